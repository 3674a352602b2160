// What an instance run did, written to the read side. Facts are inserted, never updated: a
// record (element instance, user task, incident) is inserted when it starts and its end is a
// second insert into the matching `*_ends` collection, read back together (see facts.ts). Every
// insert is idempotent (a replayed outbox meets duplicates, which are ignored), so the outbox of a
// committed revision can be applied again after a crash without doubling anything. Only the
// small collections of open work (jobs, timers, subscriptions) are updated in place.
import type { AnyBulkWriteOperation } from 'mongoose';
import type { BatchInserter } from './batch.ts';
import type { Store } from './store.ts';
import type { Variables } from '../runtime.ts';

export type Effect =
  | { t: 'element'; doc: Record<string, any> }
  | { t: 'job'; doc: Record<string, any> }
  | { t: 'closeJob'; jobKey: string; state: string }
  | { t: 'userTask'; doc: Record<string, any>; executionId: string }
  | { t: 'closeUserTask'; userTaskKey: string; state: string; at: number; by?: string | null }
  | { t: 'subscribe'; doc: Record<string, any> }
  | { t: 'unsubscribe'; id: string }
  | { t: 'timer'; doc: Record<string, any> }
  | { t: 'cancelTimer'; id: string }
  | { t: 'startChild'; childKey: string; processDefinitionId: string; variables: Variables; parentProcessInstanceKey: string; parentElementInstanceKey: string; tenantId: string }
  | { t: 'cancelChild'; childKey: string }
  | { t: 'childDone'; parentProcessInstanceKey: string; parentElementInstanceKey: string; variables: Variables }
  | { t: 'history'; entry: Record<string, any> }
  | { t: 'incident'; doc: Record<string, any> }
  | { t: 'resolveIncident'; incidentKey: string };

/** Effects that start more work elsewhere (other instances, this process's job queue), run after the writes. */
export type FollowUp = Extract<Effect, { t: 'startChild' | 'cancelChild' | 'childDone' | 'subscribe' | 'job' | 'closeJob' | 'userTask' }>;

/**
 * Upserts of open work. The same outbox may be applied by two processes at once (one committed
 * it, the other loaded the revision before it was marked applied); an upsert that meets the
 * other's insert (a duplicate key) finds the document it would have written.
 */
async function upsert(model: any, ops: AnyBulkWriteOperation[]) {
  if (!ops.length) return;
  try {
    await model.bulkWrite(ops, { ordered: true });
  } catch (err: any) {
    const errors: any[] = err?.writeErrors ?? (err?.code === 11000 ? [err] : []);
    if (!errors.length || errors.some((e) => (e.code ?? e.err?.code) !== 11000)) throw err;
    const failed = errors.map((e) => e.index ?? 0).sort((a, b) => a - b)[0];
    await upsert(model, ops.slice(failed + 1));
  }
}

export async function applyEffects(store: Store, batch: BatchInserter, effects: Effect[]): Promise<FollowUp[]> {
  const elements = new Map<string, Record<string, any>>();
  const elementEnds: any[] = [];
  const tasks = new Map<string, Record<string, any>>();
  const taskEnds: any[] = [];
  const newJobs: any[] = [];
  const jobs: AnyBulkWriteOperation[] = [];
  const subs: AnyBulkWriteOperation[] = [];
  const timers: AnyBulkWriteOperation[] = [];
  const incidents: any[] = [];
  const resolutions: any[] = [];
  const history: any[] = [];
  const followUps: FollowUp[] = [];

  for (const e of effects) {
    switch (e.t) {
      case 'element': {
        // An element that starts and ends within one run is written once, with its final state.
        const started = elements.get(e.doc._id);
        if (started) Object.assign(started, e.doc);
        else if (e.doc.state === 'ACTIVE') elements.set(e.doc._id, { ...e.doc });
        else elementEnds.push({ _id: e.doc._id, state: e.doc.state, endDate: e.doc.endDate });
        break;
      }
      case 'userTask':
        // Stored flat, in the UserTask shape, with the bpmn-engine execution it continues.
        tasks.set(e.doc.userTaskKey, { _id: e.doc.userTaskKey, ...e.doc, executionId: e.executionId });
        followUps.push(e);
        break;
      case 'closeUserTask': {
        const end = { state: e.state, completionDate: new Date(e.at).toISOString(), ...(e.by !== undefined && { completedBy: e.by }) };
        const fresh = tasks.get(e.userTaskKey);
        if (fresh) Object.assign(fresh, end);
        else taskEnds.push({ _id: e.userTaskKey, ...end });
        break;
      }
      case 'job':
        newJobs.push(e.doc);
        followUps.push(e);
        break;
      case 'closeJob':
        // The jobs collection holds open jobs only; the history keeps what happened to them.
        jobs.push({ deleteOne: { filter: { _id: e.jobKey } } });
        followUps.push(e);
        break;
      case 'subscribe':
        subs.push({ updateOne: { filter: { _id: e.doc._id }, update: { $set: e.doc }, upsert: true } });
        followUps.push(e);
        break;
      case 'unsubscribe':
        subs.push({ deleteOne: { filter: { _id: e.id } } });
        break;
      case 'timer': {
        const { _id, ...rest } = e.doc;
        timers.push({ updateOne: { filter: { _id }, update: { $set: rest }, upsert: true } });
        break;
      }
      case 'cancelTimer':
        timers.push({ deleteOne: { filter: { _id: e.id } } });
        break;
      case 'history':
        history.push({ _id: `${e.entry.processInstanceKey}/${e.entry.seq}`, processInstanceKey: e.entry.processInstanceKey, seq: e.entry.seq, entry: e.entry });
        break;
      case 'incident': {
        const { command, ...doc } = e.doc;
        incidents.push({ _id: doc.incidentKey, ...doc, command: command ? JSON.stringify(command) : null });
        break;
      }
      case 'resolveIncident':
        resolutions.push({ _id: e.incidentKey, state: 'RESOLVED' });
        break;
      default:
        followUps.push(e);
    }
  }

  // All inserts go at once: an end never refers to a record of the same outbox (a record that
  // starts and ends in one run is written once, above) and reads start from records, so an end
  // that lands first is simply not seen yet. Jobs are the exception: a job opened and closed in
  // one outbox is deleted only after it was inserted.
  await Promise.all([
    batch.insert(store.elementInstances, [...elements.values()]),
    batch.insert(store.elementEnds, elementEnds),
    batch.insert(store.userTasks, [...tasks.values()]),
    batch.insert(store.userTaskEnds, taskEnds),
    batch.insert(store.jobs, newJobs).then(async () => { if (jobs.length) await store.jobs.bulkWrite(jobs as any, { ordered: true }); }),
    batch.insert(store.incidents, incidents),
    batch.insert(store.incidentResolutions, resolutions),
    upsert(store.subscriptions, subs),
    upsert(store.timers, timers),
    batch.insert(store.history, history),
  ]);
  return followUps;
}
