// Advancing instances durably. A command takes an instance's latest revision, has a run apply it
// (runs.ts, on a run thread), and commits by inserting the instance's next revision: the engine
// state with its outbox, in one document whose id is unique, so exactly one writer wins each
// revision, in this process or another sharing the database. Only then are the outbox's effects applied. A
// command that loses the race is retried on the winner's state.
import { RuntimeError, notFound, conflict, type Variables } from '../runtime.ts';
import { applyEffects, type Effect, type FollowUp } from './effects.ts';
import { withEnds } from './facts.ts';
import type { Clock, InstanceData } from './instance.ts';
import type { Definition, Definitions } from './definitions.ts';
import type { KeyAllocator } from './keys.ts';
import type { Store } from './store.ts';
import type { BatchInserter } from './batch.ts';
import type { RunHost } from './run-host.ts';
import type { FormMap, RunError, RunReply } from './runs.ts';

/** Commands are data, so a failed one can be stored with its incident and run again on resolution. */
export type Command =
  | { kind: 'complete'; execId: string; variables?: Variables; by?: string | null; jobKey?: string; userTaskKey?: string }
  | { kind: 'error'; execId: string; jobKey: string; errorCode: string; errorMessage: string; variables?: Variables }
  | { kind: 'correlate'; execId: string; messageKey: string; variables: Variables }
  | { kind: 'timer'; execId: string }
  | { kind: 'child'; execId: string; childKey: string; variables: Variables }
  | { kind: 'cancel' };

export type StartCommand = { kind: 'start'; variables: Variables; startElementId?: string };

export interface Meta {
  definitionKey: string; processDefinitionId: string; version: number; tenantId: string;
  parentProcessInstanceKey: string | null; parentElementInstanceKey: string | null; startDate: Date;
}

export interface IncidentFields {
  errorType: string; errorMessage: string; elementId: string | null; elementInstanceKey: string | null; jobKey: string | null;
}

/** The latest revision this process knows of an instance, with its JSON text fields as stored. */
interface Current { _id: string; rev: number; state: string; meta: Meta; engine: string | null; data: string; dataObject?: InstanceData; appliedHere?: boolean }

const MAX_WARM = 50_000;

export class Instances {
  private locks = new Map<string, Promise<unknown>>();
  onFollowUps: (pik: string, f: FollowUp[]) => void = () => {};
  /** Set by the runtime: the forms a definition's user tasks link, resolved now. */
  resolveForms: (def: Definition, tenantId: string) => Promise<FormMap> = async () => ({});

  constructor(readonly store: Store, readonly batch: BatchInserter, readonly definitions: Definitions, readonly keys: KeyAllocator, readonly clock: Clock, readonly runs: RunHost) {}

  /** Serialise commands per instance inside this process; other processes are kept out by the revision claim. */
  private lock<T>(pik: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(pik) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => {});
    this.locks.set(pik, tail);
    tail.then(() => { if (this.locks.get(pik) === tail) this.locks.delete(pik); });
    return next;
  }

  /** Start an instance (or re-run a start that raised an incident). False if it existed already. */
  async create(opts: {
    key: string; definitionKey: string; variables: Variables; startElementId?: string; tenantId: string;
    parentProcessInstanceKey?: string | null; parentElementInstanceKey?: string | null; afterRev?: number;
  }): Promise<boolean> {
    return this.lock(opts.key, async () => {
      const def = await this.definitions.byKey(opts.definitionKey);
      const meta: Meta = {
        definitionKey: def.key, processDefinitionId: def.processDefinitionId, version: def.version, tenantId: opts.tenantId,
        parentProcessInstanceKey: opts.parentProcessInstanceKey ?? null, parentElementInstanceKey: opts.parentElementInstanceKey ?? null,
        startDate: new Date(this.clock.now()),
      };
      const rev = (opts.afterRev ?? 0) + 1;
      if (rev === 1) await this.batch.insert(this.store.creations, [{ _id: opts.key }]);
      const data: InstanceData = { key: opts.key, tree: { vars: {}, parent: {} }, elements: {}, waits: {}, processExec: null, seq: 0, correlated: [] };
      const forms = await this.resolveForms(def, opts.tenantId);
      for (let attempt = 0, keys = undefined as number | undefined; attempt < 20; attempt++) {
        const reply = await this.runs.run({ op: 'start', pik: opts.key, rev, def: def.key, meta, now: this.clock.now(), forms, data, variables: opts.variables, startElementId: opts.startElementId }, def, keys);
        if (!reply.ok) {
          if (reply.error.kind === 'keys') { keys = moreKeys(keys); continue; }
          if (reply.error.kind === 'runtime') throw runtimeError(reply.error);
          const command: StartCommand = { kind: 'start', variables: opts.variables, startElementId: opts.startElementId };
          await this.keys.ensure(4);
          const failed: InstanceData = { ...data, tree: { vars: { [opts.key]: opts.variables }, parent: {} }, elements: {}, waits: {}, seq: 1 };
          const outbox = this.incidentEffects(meta, opts.key, this.fieldsOf(failureOf(reply.error), command), command, 1);
          return this.commit(opts.key, rev, { state: 'ACTIVE', meta, engine: null, data: JSON.stringify(failed), outbox });
        }
        if (!(await this.commit(opts.key, rev, { state: reply.state, meta, engine: reply.engine, data: reply.data, outbox: reply.outbox }))) {
          this.runs.forget(opts.key);
          return false;
        }
        return true;
      }
      throw new RuntimeError(503, 'RESOURCE_EXHAUSTED', `Process instance '${opts.key}' could not be started; try again`);
    });
  }

  /**
   * Run a command against an instance; `check` may reject it (4xx) before anything changes. The
   * run itself happens where runs live (run-host.ts); its reply is committed here.
   */
  async execute<T>(pik: string, command: Command, check?: (data: InstanceData) => T): Promise<T | undefined> {
    return this.lock(pik, async () => {
      for (let attempt = 0, keys = undefined as number | undefined; attempt < 20; attempt++) {
        const cur = await this.current(pik);
        if (cur.state !== 'ACTIVE' || !cur.engine) {
          if (command.kind === 'timer') return undefined; // it fired while the instance was resumed
          throw conflict(`Process instance '${pik}' is not active`);
        }
        const result = check?.(dataOf(cur));
        const def = await this.definitions.byKey(cur.meta.definitionKey);
        const forms = await this.resolveForms(def, cur.meta.tenantId);
        const reply = await this.runs.run({
          op: 'apply', pik, rev: cur.rev, stored: { state: cur.state, engine: cur.engine, data: cur.data },
          def: def.key, meta: cur.meta, now: this.clock.now(), forms, command,
        }, def, keys);
        if (!reply.ok) {
          if (reply.error.kind === 'keys') { keys = moreKeys(keys); continue; }
          if (reply.error.kind === 'runtime') throw runtimeError(reply.error);
          if (await this.saveIncident(pik, cur, failureOf(reply.error), command)) return result;
          continue;
        }
        if (!(await this.commitReply(pik, cur, reply))) { this.forget(pik); continue; }
        if (reply.resumedOnly) continue; // the command goes again, on the revision just committed
        return result;
      }
      throw new RuntimeError(503, 'RESOURCE_EXHAUSTED', `Process instance '${pik}' is too busy; try again`);
    });
  }

  private commitReply(pik: string, cur: Current, reply: Extract<RunReply, { ok: true }>) {
    return this.commit(pik, cur.rev + 1, { state: reply.state, meta: cur.meta, engine: reply.engine, data: reply.data, outbox: reply.outbox });
  }

  /** Insert revision `rev`; false if another writer committed it first. Then sync the summary and apply the outbox. */
  private async commit(pik: string, rev: number, r: { state: string; meta: Meta; engine: string | null; data: string; outbox: Effect[] }): Promise<boolean> {
    // Engine state, data and outbox are stored as JSON text: document databases (FerretDB above
    // all) read and write one long string far faster than thousands of nested fields.
    const doc = {
      _id: `${pik}/${rev}`, pik, rev, state: r.state, meta: r.meta,
      engine: r.engine ?? 'null', data: r.data, outbox: JSON.stringify(r.outbox), at: new Date(this.clock.now()),
    };
    const dups = await this.batch.insert(this.store.revisions, [doc]);
    if (dups.size) { this.warm.delete(pik); return false; }
    const warm: Current = { ...doc, engine: r.engine };
    this.keepWarm(pik, warm);
    await this.applied(pik, rev, r);
    warm.appliedHere = true; // a command on this copy need not ask whether its outbox was applied
    return true;
  }

  /** Bring the read side in step with a committed revision, then hand follow-ups on. */
  private async applied(pik: string, rev: number, r: { state: string; meta: Meta; outbox: Effect[] }) {
    const m = r.meta;
    const [followUps] = await Promise.all([
      applyEffects(this.store, this.batch, r.outbox),
      rev === 1 && this.batch.insert(this.store.instances, [{
        _id: pik, definitionKey: m.definitionKey, processDefinitionId: m.processDefinitionId, version: m.version, tenantId: m.tenantId,
        startDate: new Date(m.startDate), parentProcessInstanceKey: m.parentProcessInstanceKey, parentElementInstanceKey: m.parentElementInstanceKey,
      }]),
    ]);
    // The end goes last: a restart replays the outbox of every instance without one (recover).
    if (r.state !== 'ACTIVE') await this.batch.insert(this.store.instanceEnds, [{ _id: pik, state: r.state, endDate: new Date(this.clock.now()) }]);
    void this.batch.insert(this.store.applied, [{ _id: `${pik}/${rev}` }])
      .then(() => { if (rev === 1) this.batch.remove(this.store.creations, pik); }).catch(() => {});
    if (followUps.length) this.onFollowUps(pik, followUps);
  }

  /**
   * The latest committed revision. Revisions are never removed, so it is found by galloping up
   * from the last one known to exist (`known`: a revision this process committed or saw), then
   * halving: one probe when nothing moved on since.
   */
  private async latestRevision(pik: string, projection?: Record<string, 1>, known = 0, parse = true) {
    const has = async (rev: number) => !!(await this.store.revisions.exists({ _id: `${pik}/${rev}` }));
    let lo = known;
    if (lo < 1) {
      if (!(await has(1))) return null;
      lo = 1;
    }
    let hi = lo + 1;
    for (let step = 1; await has(hi); step *= 2) { lo = hi; hi = lo + step * 2; }
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (await has(mid)) lo = mid; else hi = mid;
    }
    const doc = await this.store.revisions.findById(`${pik}/${lo}`, projection).lean<any>();
    return parse ? unpack(doc) : doc;
  }

  /** The latest revision: the one this process committed last, else read, its outbox applied if a crash left it unapplied. */
  private async current(pik: string): Promise<Current> {
    let doc = this.warm.get(pik);
    if (!doc) {
      doc = await this.latestRevision(pik, undefined, 0, false);
      if (!doc) throw notFound('Process instance', pik);
      if (!(await this.store.applied.exists({ _id: doc._id }))) await this.applied(pik, doc.rev, unpack({ ...doc }, ['outbox']));
      asStored(doc);
      doc.appliedHere = true;
      this.keepWarm(pik, doc);
    }
    return doc;
  }

  /**
   * The latest committed state, for reads (job variables, searches by other modules): the
   * revision this process committed or read last, when no later revision exists (one probe).
   */
  async latest(pik: string): Promise<{ rev: number; state: string; meta: Meta; data: InstanceData } | null> {
    const projection = { rev: 1, state: 1, meta: 1, data: 1 } as const;
    const warm = this.warm.get(pik);
    if (!warm) return this.latestRevision(pik, projection);
    if (await this.store.revisions.exists({ _id: `${pik}/${warm.rev + 1}` })) {
      this.forget(pik);
      return this.latestRevision(pik, projection, warm.rev + 1);
    }
    return { rev: warm.rev, state: warm.state, meta: warm.meta, data: dataOf(warm) };
  }

  /**
   * The latest revision of recently seen active instances, as stored (JSON text, ~10 KiB each): a
   * command sends it to its run, which resumes from it unless it holds the run at that revision
   * already, without asking the database. A stale copy (another process moved on) loses its
   * commit and is read again.
   */
  private warm = new Map<string, Current>();
  private keepWarm(pik: string, doc: Current) {
    this.warm.delete(pik);
    if (doc.state !== 'ACTIVE') return;
    this.warm.set(pik, doc);
    if (this.warm.size > MAX_WARM) this.warm.delete(this.warm.keys().next().value!);
  }

  forget(pik: string) { this.runs.forget(pik); this.warm.delete(pik); }

  /** Apply the outboxes a crash may have left unapplied (only an instance's latest revision counts). */
  async recover() {
    // First revisions whose outbox may not have been applied: the instance has no record yet.
    for (const { _id: pik } of await this.store.creations.find({}).lean<any[]>()) {
      const doc = await this.latestRevision(pik);
      if (doc && !(await this.store.applied.exists({ _id: doc._id }))) await this.applied(pik, doc.rev, doc);
      else await this.store.creations.deleteOne({ _id: pik });
    }
    const [started, ended] = await Promise.all([
      this.store.instances.find({}, { _id: 1 }).lean<any[]>(),
      this.store.instanceEnds.find({}, { _id: 1 }).lean<any[]>(),
    ]);
    const done = new Set(ended.map((e) => e._id));
    let n = 0;
    for (const { _id: pik } of started) {
      if (done.has(pik)) continue;
      const doc = await this.latestRevision(pik);
      if (doc && !(await this.store.applied.exists({ _id: doc._id }))) { await this.applied(pik, doc.rev, doc); n++; }
    }
    return n;
  }

  // ---- incidents --------------------------------------------------------------------------------

  private incidentEffects(meta: Meta, pik: string, f: IncidentFields, command: unknown, seq: number): Effect[] {
    const incidentKey = this.keys.take();
    const elementId = f.elementId ?? meta.processDefinitionId;
    const effects: Effect[] = [
      {
        t: 'incident', doc: {
          incidentKey, processDefinitionId: meta.processDefinitionId, errorType: f.errorType, errorMessage: f.errorMessage, elementId,
          creationTime: new Date(this.clock.now()).toISOString(), state: 'ACTIVE', tenantId: meta.tenantId,
          processDefinitionKey: meta.definitionKey, processInstanceKey: pik, elementInstanceKey: f.elementInstanceKey ?? pik,
          jobKey: f.jobKey ?? null, command,
        },
      },
      { t: 'history', entry: { processInstanceKey: pik, seq, at: new Date(this.clock.now()).toISOString(), event: 'INCIDENT_CREATED', elementId, detail: f.errorMessage } },
    ];
    // The worker's call succeeded; the job is done even though the instance could not move on.
    const c = command as any;
    if (c?.jobKey && (c.kind === 'complete' || c.kind === 'error')) effects.push({ t: 'closeJob', jobKey: c.jobKey, state: c.kind === 'complete' ? 'COMPLETED' : 'ERROR_THROWN' });
    return effects;
  }

  private fieldsOf(failure: Error, command: any): IncidentFields {
    const errorType = failure.name === 'UnhandledError' ? 'UNHANDLED_ERROR_EVENT' : failure.name === 'ExpressionError' ? 'EXTRACT_VALUE_ERROR' : 'UNKNOWN';
    return { errorType, errorMessage: failure.message, elementId: (failure as any).elementId ?? command.elementId ?? null, elementInstanceKey: command.elementInstanceKey ?? null, jobKey: command.jobKey ?? null };
  }

  /** A command that failed inside the engine leaves the instance as it was, with an incident. */
  private async saveIncident(pik: string, cur: Current, failure: Error, command: Command): Promise<boolean> {
    const c: any = { ...command };
    const latest = await this.latest(pik);
    if ('execId' in command) {
      const el = latest?.data?.elements?.[command.execId];
      c.elementId = el?.elementId;
      c.elementInstanceKey = el?.key;
    }
    return this.writeIncident(pik, cur.rev, this.fieldsOf(failure, c), c);
  }

  /** An incident raised outside a run (a job out of retries, a called process not deployed). */
  async recordIncident(pik: string, f: IncidentFields) {
    return this.lock(pik, async () => {
      for (let i = 0; i < 20; i++) {
        const doc = await this.latest(pik);
        if (!doc) throw notFound('Process instance', pik);
        if (await this.writeIncident(pik, doc.rev, f, null)) return;
      }
    });
  }

  /** Commit revision rev+1: the same engine state, with the incident in its outbox. */
  private writeIncident(pik: string, rev: number, f: IncidentFields, command: unknown): Promise<boolean> {
    return this.append(pik, rev, (meta, seq) => this.incidentEffects(meta, pik, f, command, seq));
  }

  /** Commit revision rev+1 with the same engine state and an outbox of facts about the instance. */
  private async append(pik: string, rev: number, effects: (meta: Meta, seq: number) => Effect[]): Promise<boolean> {
    const doc = await this.store.revisions.findById(`${pik}/${rev}`).lean<any>();
    if (!doc) return false;
    asStored(doc);
    await this.keys.ensure(4);
    const seq = (dataOf(doc).seq ?? 0) + 1;
    const outbox = effects(doc.meta, seq);
    this.runs.forget(pik);
    return this.commit(pik, rev + 1, { state: doc.state, meta: doc.meta, engine: doc.engine, data: JSON.stringify({ ...dataOf(doc), seq }), outbox });
  }

  /** Record something that happened to an instance outside a run (a job failure, an incident resolved). */
  async note(pik: string, entry: { event: string; elementId?: string; elementInstanceKey?: string; detail?: string }) {
    return this.lock(pik, async () => {
      for (let i = 0; i < 20; i++) {
        const doc = await this.latest(pik);
        if (!doc) throw notFound('Process instance', pik);
        const at = new Date(this.clock.now()).toISOString();
        if (await this.append(pik, doc.rev, (_m, seq) => [{ t: 'history', entry: { processInstanceKey: pik, seq, at, ...entry } }])) return;
      }
    });
  }

  /** Mark an incident resolved; returns the command to run again, if the incident came from one. */
  async resolveIncident(incidentKey: string) {
    const [inc] = await withEnds([await this.store.incidents.findById(incidentKey).lean<any>()].filter(Boolean), this.store.incidentResolutions);
    if (!inc || inc.state !== 'ACTIVE') throw notFound('Incident', incidentKey);
    const pik = inc.processInstanceKey;
    // Resolved: this process alone may re-run its command (the unique insert decides).
    const dup = await this.batch.insert(this.store.incidentResolutions, [{ _id: incidentKey, state: 'RESOLVED' }]);
    if (dup.size) throw notFound('Incident', incidentKey);
    const command = inc.command ? JSON.parse(inc.command) : null;
    return { pik, command: command as Command | StartCommand | null, incident: inc };
  }
}

/** A stored revision with its JSON text fields parsed. */
export function unpack(doc: any, fields = ['engine', 'data', 'outbox']) {
  if (!doc) return doc;
  for (const f of fields) if (typeof doc[f] === 'string') doc[f] = JSON.parse(doc[f]);
  return doc;
}

/** A run that ran out of keys gets more each time it asks (a large multi-instance body takes many). */
const moreKeys = (n: number | undefined) => Math.min((n ?? 500) * 4, 1 << 22);

/** A stored revision's engine state and data as JSON text (null for no engine state), whichever way it was stored. */
function asStored(doc: any): Current {
  if (doc.engine === 'null') doc.engine = null;
  else if (doc.engine && typeof doc.engine !== 'string') doc.engine = JSON.stringify(doc.engine); // stored before as an object
  if (typeof doc.data !== 'string') doc.data = JSON.stringify(doc.data);
  return doc;
}

function dataOf(cur: Current): InstanceData {
  return (cur.dataObject ??= JSON.parse(cur.data));
}

function runtimeError(e: Extract<RunError, { kind: 'runtime' }>) {
  return new RuntimeError(e.status, e.code, e.message);
}

/** What failed in the run, as the incident names it. */
function failureOf(e: Extract<RunError, { kind: 'failure' }>): Error {
  return Object.assign(new Error(e.message), { name: e.name, elementId: e.elementId });
}
