// GET /api/tasklist: the caller's open tasks in one answer, with what the list shows and filters
// on beside Camunda's task fields (grid, category, case number and title from the instance, due
// and overdue in working days). Views: `mine` (assigned to me), `groups` (my candidate groups'
// and candidate-user tasks), `all` (every open task the caller may see).
import express, { type Request, type Response } from 'express';
import { principalOf, requirePermission, type Principal } from '../../../engine/rest/access.ts';
import { InstanceInfoCache, Scope } from '../../../engine/rest/scope.ts';
import { closedObject, validate } from '../../../engine/rest/validation.ts';
import type { Runtime, UserTask, UserTaskFilter } from '../../../engine/runtime.ts';
import type { FeatureContext } from '../../feature.ts';
import { caseFacts, type CaseFacts } from './instance-facts.ts';
import { dueInfo, type DueInfo } from './due.ts';

/** Most tasks one answer lists (the rest are counted). */
const MAX_TASKS = 500;
const FETCH = 1000;

const querySchema = closedObject({
  view: { enum: ['mine', 'groups', 'all'] },
  process: { type: 'string', maxLength: 256 },
  grid: { type: 'string', maxLength: 64 },
  category: { type: 'string', maxLength: 128 },
  due: { enum: ['today', 'week', 'none', 'any'] },
  overdue: { enum: ['true', 'false'] },
  unassigned: { enum: ['true', 'false'] },
  sort: { enum: ['due', 'created', 'priority', 'name'] },
  order: { enum: ['asc', 'desc'] },
});

export interface TaskRow extends CaseFacts {
  userTaskKey: string;
  name: string | null;
  elementId: string;
  processName: string | null;
  processDefinitionId: string;
  processDefinitionKey: string;
  processInstanceKey: string;
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  creationDate: string;
  priority: number;
  hasForm: boolean;
  dueInfo: DueInfo | null;
}

async function searchAll(runtime: Runtime, filter: UserTaskFilter): Promise<UserTask[]> {
  const out: UserTask[] = [];
  for (;;) {
    const page = await runtime.searchUserTasks({ filter, page: { from: out.length, limit: FETCH } });
    out.push(...page.items);
    if (page.items.length === 0 || out.length >= page.page.totalItems) return out;
  }
}

async function tasksOf(runtime: Runtime, scope: Scope, p: Principal, view: string): Promise<UserTask[]> {
  const open = { state: 'CREATED' } as UserTaskFilter;
  if (view === 'mine') return searchAll(runtime, { ...open, assignee: p.id } as UserTaskFilter);
  if (view === 'groups') {
    const found = new Map<string, UserTask>();
    if (p.groups.length > 0) for (const t of await searchAll(runtime, { ...open, candidateGroup: { $in: [...p.groups] } } as unknown as UserTaskFilter)) found.set(t.userTaskKey, t);
    for (const t of await searchAll(runtime, { ...open, candidateUser: p.id } as UserTaskFilter)) found.set(t.userTaskKey, t);
    return [...found.values()];
  }
  const all = await searchAll(runtime, open);
  if (p.zoneWide) return all;
  const kept: UserTask[] = [];
  for (const t of all) if (await scope.canSeeTask(t)) kept.push(t);
  return kept;
}

/** Day number in the zone's calendar (UTC+8). */
const zoneDay = (ms: number) => Math.floor((ms + 8 * 3_600_000) / 86_400_000);

export function tasklistRoutes(ctx: FeatureContext): express.Router {
  const router = express.Router();
  const cache = new InstanceInfoCache(ctx.runtime);

  router.get('/tasklist', requirePermission('tasks.read'), validate({ query: querySchema }), async (req: Request, res: Response) => {
    const q = req.query as Record<string, string | undefined>;
    const p = principalOf(res);
    const scope = new Scope(ctx.runtime, p, cache);
    const now = ctx.now();
    const tasks = await tasksOf(ctx.runtime, scope, p, q.view ?? 'groups');

    const facts = new Map<string, CaseFacts>();
    const keys = [...new Set(tasks.map((t) => t.processInstanceKey))];
    // A few instances at a time: enough to overlap the database's round trips, not to flood it.
    for (let i = 0; i < keys.length; i += 8) {
      const batch = keys.slice(i, i + 8);
      const found = await Promise.all(batch.map((key) => caseFacts(ctx.runtime, key)));
      batch.forEach((key, n) => facts.set(key, found[n]!));
    }

    let rows: TaskRow[] = tasks.map((t) => {
      const f = facts.get(t.processInstanceKey) ?? {};
      return {
        ...f,
        userTaskKey: t.userTaskKey, name: t.name, elementId: t.elementId, processName: t.processName,
        processDefinitionId: t.processDefinitionId, processDefinitionKey: t.processDefinitionKey, processInstanceKey: t.processInstanceKey,
        assignee: t.assignee, candidateGroups: t.candidateGroups, candidateUsers: t.candidateUsers,
        creationDate: t.creationDate, priority: t.priority,
        hasForm: t.formKey !== null || (t.formLink !== null && t.formLink !== undefined),
        dueInfo: dueInfo(t.dueDate ?? (typeof f.deadline === 'string' ? f.deadline : null), now),
      };
    });

    // What the filters can offer, before filtering.
    const options = {
      processes: [...new Map(rows.map((r) => [r.processDefinitionId, r.processName ?? r.processDefinitionId])).entries()].map(([id, name]) => ({ id, name })),
      grids: [...new Set(rows.map((r) => r.gridId).filter((g) => g !== undefined && g !== null).map(String))].sort(),
      categories: [...new Set(rows.map((r) => r.category).filter((c) => typeof c === 'string'))].sort() as string[],
    };

    if (q.process) rows = rows.filter((r) => r.processDefinitionId === q.process);
    if (q.grid) rows = rows.filter((r) => r.gridId !== undefined && r.gridId !== null && String(r.gridId) === q.grid);
    if (q.category) rows = rows.filter((r) => r.category === q.category);
    if (q.unassigned === 'true') rows = rows.filter((r) => r.assignee === null);
    if (q.overdue === 'true') rows = rows.filter((r) => r.dueInfo?.overdue === true);
    if (q.due === 'none') rows = rows.filter((r) => r.dueInfo === null);
    if (q.due === 'any') rows = rows.filter((r) => r.dueInfo !== null);
    if (q.due === 'today' || q.due === 'week') {
      const today = zoneDay(now);
      const until = q.due === 'today' ? today : today + 6;
      rows = rows.filter((r) => r.dueInfo !== null && zoneDay(Date.parse(r.dueInfo.due)) <= until);
    }

    const dir = q.order === 'desc' ? -1 : 1;
    const sort = q.sort ?? 'due';
    const key = (r: TaskRow): number | string => {
      if (sort === 'created') return r.creationDate;
      if (sort === 'priority') return r.priority;
      if (sort === 'name') return r.name ?? '';
      return r.dueInfo ? r.dueInfo.due : '\uffff'; // no due date last
    };
    rows.sort((a, b) => {
      const ka = key(a), kb = key(b);
      const c = typeof ka === 'number' && typeof kb === 'number' ? ka - kb : String(ka).localeCompare(String(kb), 'zh-CN');
      return c * dir || a.creationDate.localeCompare(b.creationDate);
    });

    res.setHeader('Cache-Control', 'no-store');
    res.json({ items: rows.slice(0, MAX_TASKS), total: rows.length, options, now: new Date(now).toISOString() });
  });

  // The task's variables as its form sees them (its scope and those above), for the viewer.
  router.get('/tasklist/:userTaskKey/variables', requirePermission('tasks.read'),
    validate({ params: closedObject({ userTaskKey: { type: 'string', pattern: '^[0-9]{1,19}$' } }, ['userTaskKey']) }),
    async (req: Request, res: Response) => {
      const key = String(req.params.userTaskKey);
      const task = await ctx.runtime.getUserTask(key);
      await new Scope(ctx.runtime, principalOf(res), cache).requireTask(task);
      res.setHeader('Cache-Control', 'no-store');
      res.json({ variables: await ctx.runtime.getUserTaskVariables(key) });
    });

  return router;
}
