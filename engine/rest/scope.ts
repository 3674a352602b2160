// Record-level visibility (the scoping rule), applied in the REST layer around the runtime's calls.
//
// The rule, on data every runtime has:
// - Zone-wide callers (administrator, committee) see every record.
// - Anyone else sees a process instance when
//   (a) its `gridId` variable (root scope) is one of the caller's grids (groups named `grid-<id>`),
//       or, for an instance without one, its parent instance is visible by (a) — called processes
//       belong to their caller's grid; or
//   (b) the caller takes part in one of its user tasks: assignee, in candidateUsers, or a member
//       of one of its candidateGroups (so a department officer sees the case referred to them).
// - What belongs to an instance follows it: its user tasks, element instances, variables,
//   incidents and history. A user task is also visible to whoever takes part in it.
// Searches run the runtime's search and keep what the caller may see; totals count only those.
// Gets of a record the caller may not see answer 403 with the reason.

import type { Page, Runtime, SearchQuery, UserTask } from '../runtime.ts';
import { RuntimeError } from '../runtime.ts';
import { describe, forbidden, type Principal } from './access.ts';

const ACTIVE_TTL_MS = 30_000;
const MAX_ENTRIES = 50_000;
const FETCH_PAGE = 10_000;
const MAX_PARENT_DEPTH = 16;

interface InstanceInfo { gridId: string | null; parent: string | null; ended: boolean; at: number }

/** A JSON-text variable value as a grid id: numbers and strings count, anything else does not. */
export function gridIdOf(valueText: string | undefined): string | null {
  if (valueText === undefined) return null;
  try {
    const v: unknown = JSON.parse(valueText);
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v === 'string' && v.length > 0 && v.length <= 64) return v;
  } catch { /* not JSON: no grid */ }
  return null;
}

/** What the scoping rule needs to know of an instance, cached per process (30 s while it runs). */
export class InstanceInfoCache {
  private readonly entries = new Map<string, InstanceInfo>();

  constructor(private readonly runtime: Runtime) {}

  async get(key: string): Promise<InstanceInfo | null> {
    const hit = this.entries.get(key);
    if (hit !== undefined && (hit.ended || Date.now() - hit.at < ACTIVE_TTL_MS)) return hit;
    let pi;
    try {
      pi = await this.runtime.getProcessInstance(key);
    } catch (err) {
      if (err instanceof RuntimeError && err.status === 404) return null;
      throw err;
    }
    const vars = await this.runtime.searchVariables({ filter: { processInstanceKey: key, name: 'gridId' }, page: { limit: 100 } });
    const root = vars.items.find((v) => v.scopeKey === key);
    const info: InstanceInfo = {
      gridId: gridIdOf(root?.fullValue ?? root?.value),
      parent: pi.parentProcessInstanceKey,
      ended: pi.endDate !== null,
      at: Date.now(),
    };
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, info);
    return info;
  }

  /** Forget an instance (its variables may have changed through this process). */
  forget(key: string): void { this.entries.delete(key); }
}

/** One request's view: the caller, with what it may see computed lazily and kept for the request. */
export class Scope {
  private involved: Promise<Set<string>> | undefined;

  constructor(readonly runtime: Runtime, readonly principal: Principal, private readonly cache: InstanceInfoCache) {}

  get unrestricted(): boolean { return this.principal.zoneWide; }

  /** The caller is the task's assignee, one of its candidate users or in one of its candidate groups. */
  takesPartIn(task: Pick<UserTask, 'assignee' | 'candidateUsers' | 'candidateGroups'>): boolean {
    const p = this.principal;
    return task.assignee === p.id || task.candidateUsers.includes(p.id) || task.candidateGroups.some((g) => p.groups.includes(g));
  }

  /** The instance (or the nearest ancestor with a gridId) belongs to one of the caller's grids. */
  async inGrid(processInstanceKey: string): Promise<boolean> {
    if (this.principal.zoneWide) return true;
    let key: string | null = processInstanceKey;
    for (let depth = 0; key !== null && depth < MAX_PARENT_DEPTH; depth++) {
      const info = await this.cache.get(key);
      if (info === null) return false;
      if (info.gridId !== null) return this.principal.grids.includes(info.gridId);
      key = info.parent;
    }
    return false;
  }

  /** The grid an instance belongs to (its own gridId or its nearest ancestor's), or null. */
  async gridOf(processInstanceKey: string): Promise<string | null> {
    let key: string | null = processInstanceKey;
    for (let depth = 0; key !== null && depth < MAX_PARENT_DEPTH; depth++) {
      const info = await this.cache.get(key);
      if (info === null) return null;
      if (info.gridId !== null) return info.gridId;
      key = info.parent;
    }
    return null;
  }

  async canSeeInstance(processInstanceKey: string): Promise<boolean> {
    if (this.principal.zoneWide) return true;
    if ((await this.involvedInstances()).has(processInstanceKey)) return true;
    return this.inGrid(processInstanceKey);
  }

  async canSeeTask(task: UserTask): Promise<boolean> {
    if (this.principal.zoneWide || this.takesPartIn(task)) return true;
    return this.canSeeInstance(task.processInstanceKey);
  }

  async requireInstance(processInstanceKey: string): Promise<void> {
    if (!(await this.canSeeInstance(processInstanceKey))) {
      throw forbidden(`${describe(this.principal)} may not see process instance ${processInstanceKey}: it is not in the caller's grids (${this.gridsText()}) and the caller takes part in none of its user tasks`);
    }
  }

  async requireTask(task: UserTask): Promise<void> {
    if (!(await this.canSeeTask(task))) {
      throw forbidden(`${describe(this.principal)} may not see user task ${task.userTaskKey}: it is not the assignee or a candidate, and the task's process instance is not in the caller's grids (${this.gridsText()})`);
    }
  }

  private gridsText(): string {
    return this.principal.grids.length === 0 ? 'none' : this.principal.grids.map((g) => `grid-${g}`).join(', ');
  }

  /** Instances with a user task the caller takes part in (any state). */
  involvedInstances(): Promise<Set<string>> {
    this.involved ??= (async () => {
      const p = this.principal;
      const keys = new Set<string>();
      const filters: Array<Record<string, unknown>> = [{ assignee: p.id }, { candidateUser: p.id }];
      if (p.groups.length > 0) filters.push({ candidateGroup: { $in: [...p.groups] } });
      for (const filter of filters) {
        for (const t of await fetchAll((q) => this.runtime.searchUserTasks(q), { filter })) keys.add(t.processInstanceKey);
      }
      return keys;
    })();
    return this.involved;
  }

  /**
   * The runtime's search, keeping only what the caller may see; paging applies to what is kept.
   * Zone-wide callers get the runtime's answer as it is.
   */
  async search<F, T>(q: SearchQuery<F>, run: (q: SearchQuery<F>) => Promise<Page<T>>, visible: (item: T) => Promise<boolean>): Promise<Page<T>> {
    if (this.principal.zoneWide) return run(q);
    const { page, ...rest } = q;
    const all = await fetchAll(run, rest);
    const kept: T[] = [];
    for (const item of all) if (await visible(item)) kept.push(item);
    const from = page?.from ?? 0;
    const limit = page?.limit ?? 100;
    return { items: kept.slice(from, from + limit), page: { totalItems: kept.length } };
  }
}

async function fetchAll<F, T>(run: (q: SearchQuery<F>) => Promise<Page<T>>, q: SearchQuery<F>): Promise<T[]> {
  const out: T[] = [];
  for (;;) {
    const page = await run({ ...q, page: { from: out.length, limit: FETCH_PAGE } });
    out.push(...page.items);
    if (page.items.length === 0 || out.length >= page.page.totalItems) return out;
  }
}
