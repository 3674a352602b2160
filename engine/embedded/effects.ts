// What an instance run did, written to the read-side collections. Every effect is idempotent, so
// the outbox of a saved instance can be applied again after a crash without doubling anything.
import type { AnyBulkWriteOperation } from 'mongoose';
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
  | { t: 'variable'; scopeKey: string; name: string; value: unknown }
  | { t: 'incident'; doc: Record<string, any> }
  | { t: 'resolveIncident'; incidentKey: string };

/** Effects that start more work on other instances, run after the writes below. */
export type FollowUp = Extract<Effect, { t: 'startChild' | 'cancelChild' | 'childDone' | 'subscribe' | 'job' | 'closeJob' }>;

const dup = (err: any) => err?.code === 11000 || err?.writeErrors?.every?.((e: any) => (e.code ?? e.err?.code) === 11000);

export async function applyEffects(store: Store, processInstanceKey: string, tenantId: string, effects: Effect[]): Promise<FollowUp[]> {
  const elements: AnyBulkWriteOperation[] = [];
  const newElements = new Map<string, Record<string, any>>();
  const newTasks: Array<Record<string, any>> = [];
  const newJobs: Array<Record<string, any>> = [];
  const jobs: AnyBulkWriteOperation[] = [];
  const tasks: AnyBulkWriteOperation[] = [];
  const subs: AnyBulkWriteOperation[] = [];
  const timers: AnyBulkWriteOperation[] = [];
  const incidents: AnyBulkWriteOperation[] = [];
  const history: any[] = [];
  const variables = new Map<string, { scopeKey: string; name: string; value: unknown }>();
  const followUps: FollowUp[] = [];

  for (const e of effects) {
    switch (e.t) {
      case 'element': {
        // An element that starts and ends within one run is written once, with its final state.
        const started = newElements.get(e.doc._id);
        if (started) Object.assign(started, e.doc);
        else if (e.doc.state === 'ACTIVE') newElements.set(e.doc._id, { ...e.doc });
        else {
          const { _id, ...rest } = e.doc;
          elements.push({ updateOne: { filter: { _id }, update: { $set: rest } } });
        }
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
      case 'userTask':
        // Stored flat, in the UserTask shape, with the bpmn-engine execution it continues.
        newTasks.push({ _id: e.doc.userTaskKey, ...e.doc, executionId: e.executionId });
        break;
      case 'closeUserTask': {
        const set: Record<string, unknown> = { state: e.state, completionDate: new Date(e.at).toISOString() };
        if (e.by !== undefined) set.completedBy = e.by;
        const fresh = newTasks.find((t) => t._id === e.userTaskKey);
        if (fresh) Object.assign(fresh, set);
        else tasks.push({ updateOne: { filter: { _id: e.userTaskKey }, update: { $set: set } } });
        break;
      }
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
      case 'variable':
        variables.set(`${e.scopeKey}/${e.name}`, e);
        break;
      case 'incident':
        incidents.push({ updateOne: { filter: { _id: e.doc.incidentKey }, update: { $setOnInsert: { doc: e.doc, state: 'ACTIVE', processInstanceKey: e.doc.processInstanceKey, jobKey: e.doc.jobKey } }, upsert: true } });
        break;
      case 'resolveIncident':
        incidents.push({ updateOne: { filter: { _id: e.incidentKey }, update: { $set: { state: 'RESOLVED', 'doc.state': 'RESOLVED' } } } });
        break;
      default:
        followUps.push(e);
    }
  }

  const varOps: AnyBulkWriteOperation[] = [...variables.values()].map(({ scopeKey, name, value }) => ({
    updateOne: {
      filter: { _id: `${scopeKey}/${name}` },
      update: { $set: { name, value: JSON.stringify(value ?? null), scopeKey, processInstanceKey, tenantId, variableKey: `${scopeKey}/${name}` } },
      upsert: true,
    },
  }));

  // Order matters only within a collection; collections are written side by side. New documents
  // are inserted (a replayed outbox meets duplicates, which are ignored) before updates of older ones.
  const insert = async (model: any, docs: any[]) => {
    if (docs.length) await model.collection.insertMany(docs, { ordered: false }).catch((err: any) => { if (!dup(err)) throw err; });
  };
  await Promise.all([
    insert(store.elementInstances, [...newElements.values()]).then(() => elements.length && store.elementInstances.bulkWrite(elements as any, { ordered: true })),
    insert(store.jobs, newJobs).then(() => jobs.length && store.jobs.bulkWrite(jobs as any, { ordered: true })),
    insert(store.userTasks, newTasks).then(() => tasks.length && store.userTasks.bulkWrite(tasks as any, { ordered: true })),
    subs.length && store.subscriptions.bulkWrite(subs as any, { ordered: true }),
    timers.length && store.timers.bulkWrite(timers as any, { ordered: true }),
    incidents.length && store.incidents.bulkWrite(incidents as any, { ordered: true }),
    varOps.length && store.variables.bulkWrite(varOps as any, { ordered: false }),
    insert(store.history, history),
  ]);
  return followUps;
}
