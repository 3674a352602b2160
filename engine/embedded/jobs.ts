// Jobs: activation hands a job to one worker at a time through a lease (`deadline`); a lease
// that runs out makes the job activatable again. Long polling waits for a job of the type to be
// created here, and polls the database for those created by other processes.
import { EventEmitter } from 'node:events';
import { visible } from './scopes.ts';
import type { ActivateJobs, ActivatedJob, JobHandler, Variables } from '../runtime.ts';
import type { Store } from './store.ts';
import type { Clock } from './instance.ts';
import { headerObject } from './headers.ts';

const DEFAULT_LONG_POLL_MS = 10_000;
const POLL_MS = 250;
const RESCAN_MS = 1_000;
const CLAIM_GRACE_MS = 10_000;

export class Jobs {
  readonly created = new EventEmitter();
  /** Open jobs this process knows, by type: activation picks from here, never by scanning. */
  private open = new Map<string, Map<string, any>>();
  private scanned = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly latest: (pik: string) => Promise<{ data: any } | null>,
  ) {
    this.created.setMaxListeners(0);
  }

  /** A job created, changed or closed here. */
  known(doc: any) {
    let byKey = this.open.get(doc.type);
    if (!byKey) this.open.set(doc.type, (byKey = new Map()));
    byKey.set(doc._id, doc);
    this.created.emit(doc.type);
  }

  closed(jobKey: string) {
    for (const byKey of this.open.values()) byKey.delete(jobKey);
  }

  /** Jobs created by other processes sharing the database are found by a periodic scan. */
  private async rescan(now: number) {
    if (now - this.scanned < RESCAN_MS) return;
    this.scanned = now;
    const docs = await this.store.jobs.find({}).lean<any[]>();
    const open = new Map<string, Map<string, any>>();
    for (const d of docs) {
      if (!['ACTIVATABLE', 'ACTIVATED'].includes(d.state)) continue;
      if (!open.has(d.type)) open.set(d.type, new Map());
      open.get(d.type)!.set(d._id, d);
    }
    this.open = open;
  }

  async activate(req: ActivateJobs, signal?: AbortSignal): Promise<ActivatedJob[]> {
    const wait = req.requestTimeout === undefined || req.requestTimeout === 0 ? DEFAULT_LONG_POLL_MS : req.requestTimeout;
    const until = this.clock.now() + Math.max(wait, 0);
    for (;;) {
      const jobs = await this.tryActivate(req);
      if (jobs.length || wait < 0 || this.clock.now() >= until || signal?.aborted) return jobs;
      await this.nextChance(req.type, Math.min(POLL_MS * 4, until - this.clock.now()), signal);
    }
  }

  private nextChance(type: string, ms: number, signal?: AbortSignal) {
    return new Promise<void>((resolve) => {
      const done = () => { clearTimeout(t); this.created.off(type, done); signal?.removeEventListener('abort', done); resolve(); };
      const t = setTimeout(done, Math.max(ms, 1));
      this.created.on(type, done);
      signal?.addEventListener('abort', done);
    });
  }

  private async tryActivate(req: ActivateJobs): Promise<ActivatedJob[]> {
    const now = this.clock.now();
    await this.rescan(now);
    const candidates = [...(this.open.get(req.type)?.values() ?? [])]
      .filter((j) => (!req.tenantIds?.length || req.tenantIds.includes(j.tenantId)) &&
        ((j.state === 'ACTIVATABLE' && (j.notBefore ?? 0) <= now) || (j.state === 'ACTIVATED' && j.deadline < now)))
      .sort((a, b) => +new Date(a.createdAt) - +new Date(b.createdAt));
    const out: any[] = [];
    for (const c of candidates) {
      if (out.length >= req.maxJobsToActivate) break;
      if (this.activating.has(c._id)) continue; // another request of this process is on it
      if (!((c.state === 'ACTIVATABLE' && (c.notBefore ?? 0) <= now) || (c.state === 'ACTIVATED' && c.deadline < now))) continue;
      this.activating.add(c._id);
      try {
        const won = await this.claim(c, req, now);
        if (won) out.push(won);
      } finally {
        this.activating.delete(c._id);
      }
    }
    if (!out.length) return [];
    const piks = [...new Set(out.map((j) => j.processInstanceKey))];
    const latest = await Promise.all(piks.map((pik) => this.latest(pik)));
    const byKey = new Map(piks.map((pik, i) => [pik, latest[i]]));
    return out.map((j) => this.shape(j, byKey.get(j.processInstanceKey)?.data, req.fetchVariable));
  }

  private activating = new Set<string>();

  /**
   * The activation is claimed by a unique insert (`job/<key>/<activation>`): one worker per
   * activation, across processes. A claim whose winner never recorded it on the job (it crashed
   * in between) is passed over after CLAIM_GRACE_MS: the job's count moves past it.
   */
  private async claim(c: any, req: ActivateJobs, now: number) {
    const activation = (c.activation ?? 0) + 1;
    const _id = `job/${c._id}/${activation}`;
    try {
      await this.store.claims.collection.insertOne({ _id: _id as any, at: new Date(now) });
    } catch (err: any) {
      if (err?.code !== 11000) throw err;
      this.scanned = 0;
      const other = await this.store.claims.findById(_id).lean<any>();
      const fresh = await this.store.jobs.findById(c._id).lean<any>();
      if (other && fresh && (fresh.activation ?? 0) < activation && now - new Date(other.at).getTime() > CLAIM_GRACE_MS) {
        await this.store.jobs.updateOne({ _id: c._id }, { $set: { activation } });
        Object.assign(c, { activation });
      }
      return null;
    }
    const set = { state: 'ACTIVATED', worker: req.worker ?? '', deadline: now + req.timeout, activation };
    const res = await this.store.jobs.updateOne({ _id: c._id }, { $set: set });
    if (res.matchedCount !== 1) { this.closed(c._id); return null; }
    Object.assign(c, set);
    return { ...c };
  }

  private shape(j: any, data: any, fetch?: string[]): ActivatedJob {
    const el = data?.elements?.[j.executionId];
    let variables: Variables = el ? visible(data.tree, el.scope) : {};
    if (fetch?.length) variables = Object.fromEntries(fetch.filter((n) => n in variables).map((n) => [n, variables[n]]));
    return {
      type: j.type, processDefinitionId: j.processDefinitionId, processDefinitionVersion: j.processDefinitionVersion,
      elementId: j.elementId, customHeaders: headerObject(j.customHeaders), worker: j.worker, retries: j.retries, deadline: j.deadline,
      variables, tenantId: j.tenantId, jobKey: j._id, processInstanceKey: j.processInstanceKey, processDefinitionKey: j.processDefinitionKey,
      elementInstanceKey: j.elementInstanceKey, kind: 'BPMN_ELEMENT', listenerEventType: 'UNSPECIFIED',
    };
  }
}

/** In-process workers: a loop per job type calling a handler, like a Camunda job worker. */
export function startWorker(
  runtime: {
    activateJobs(r: ActivateJobs, s?: AbortSignal): Promise<ActivatedJob[]>;
    completeJob(k: string, v?: Variables): Promise<void>;
    failJob(k: string, r: { retries: number; errorMessage?: string; retryBackOff?: number }): Promise<void>;
    throwJobError(k: string, r: { errorCode: string; errorMessage?: string; variables?: Variables }): Promise<void>;
  },
  type: string, handler: JobHandler, opts: { timeout?: number; maxJobsActive?: number } = {},
): () => void {
  const abort = new AbortController();
  const timeout = opts.timeout ?? 30_000;
  const max = opts.maxJobsActive ?? 32;
  let active = 0;
  const settle = async (job: ActivatedJob) => {
    try {
      const outcome = await handler(job);
      if ('complete' in outcome) await runtime.completeJob(job.jobKey, outcome.complete ?? {});
      else if ('fail' in outcome) await runtime.failJob(job.jobKey, outcome.fail);
      else await runtime.throwJobError(job.jobKey, outcome.error);
    } catch (err) {
      await runtime.failJob(job.jobKey, { retries: job.retries - 1, errorMessage: (err as Error)?.message ?? String(err) }).catch(() => {});
    } finally {
      active--;
    }
  };
  (async () => {
    while (!abort.signal.aborted) {
      if (active >= max) { await new Promise((r) => setTimeout(r, 5)); continue; }
      try {
        const jobs = await runtime.activateJobs({ type, worker: `gridflow:${type}`, timeout, maxJobsToActivate: max - active, requestTimeout: 1_000 }, abort.signal);
        for (const job of jobs) { active++; void settle(job); }
      } catch {
        if (!abort.signal.aborted) await new Promise((r) => setTimeout(r, 500));
      }
    }
  })();
  return () => abort.abort();
}
