// Job-based user tasks: a bpmn:userTask without zeebe:userTask is, on Zeebe, a job of type
// `io.camunda.zeebe:userTask` whose headers carry the assignment and form. Camunda's REST API
// does not list them, so a worker of this runtime activates each one and mirrors it into
// Gridflow's task store, where the tasklist finds it like any other user task; submitting it
// completes the job. The job's lease is renewed by activating it again once it lapses: a task
// whose job has not been seen for LEASES_BEFORE_STALE leases ended in the cluster (its instance
// was canceled or an event interrupted it) and is marked canceled.
import { conflict, notFound, type ActivatedJob, type Page, type SearchQuery, type UserTask, type UserTaskFilter, type Variables } from '../runtime.ts';
import { matches, pageInMemory, toMongo } from '../shared/query.ts';
import type { ZeebeStore } from './store.ts';

export const USER_TASK_JOB_TYPE = 'io.camunda.zeebe:userTask';
const H = 'io.camunda.zeebe:';
const LEASES_BEFORE_STALE = 3;

const FIELDS = {
  state: 'state', assignee: 'assignee', elementId: 'elementId', processInstanceKey: 'processInstanceKey', processDefinitionKey: 'processDefinitionKey',
  processDefinitionId: 'processDefinitionId', userTaskKey: '_id', tenantId: 'tenantId', candidateGroup: 'candidateGroups', candidateUser: 'candidateUsers',
  creationDate: 'creationDate', dueDate: 'dueDate', followUpDate: 'followUpDate', priority: 'priority', elementInstanceKey: 'elementInstanceKey', name: 'name',
  completionDate: 'completionDate',
};

/** A header holding a list: JSON (`["a","b"]`, Zeebe 8.x) or comma-separated (older clusters). */
function list(value: string | undefined): string[] {
  if (!value) return [];
  try { const v = JSON.parse(value); if (Array.isArray(v)) return v.map(String); } catch { /* comma-separated */ }
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

export class JobTasks {
  constructor(private readonly store: ZeebeStore, private readonly now: () => number, readonly leaseMs: number) {}

  /** Mirror (or renew) the task of an activated user task job. */
  async mirror(job: ActivatedJob, names: { processName: string | null; name: string | null }) {
    const h = job.customHeaders;
    const now = new Date(this.now());
    const task = {
      name: names.name, elementId: job.elementId, candidateGroups: list(h[`${H}candidateGroups`]), candidateUsers: list(h[`${H}candidateUsers`]),
      processDefinitionId: job.processDefinitionId, creationDate: now.toISOString(), completionDate: null, followUpDate: h[`${H}followUpDate`] || null,
      dueDate: h[`${H}dueDate`] || null, tenantId: job.tenantId, externalFormReference: null, processDefinitionVersion: job.processDefinitionVersion,
      // As JSON text: header names and variable names may hold '.', which not every server stores as keys.
      customHeaders: JSON.stringify(Object.fromEntries(Object.entries(h).filter(([k]) => !k.startsWith(H)))), priority: Number(h[`${H}priority`] ?? 50) || 50,
      userTaskKey: job.jobKey, elementInstanceKey: job.elementInstanceKey, processName: names.processName, processDefinitionKey: job.processDefinitionKey,
      processInstanceKey: job.processInstanceKey, formKey: h[`${H}formKey`] ?? null, state: 'CREATED', assignee: h[`${H}assignee`] || null,
    };
    await this.store.jobTasks.updateOne({ _id: job.jobKey }, { $setOnInsert: task, $set: { seenAt: now, variables: JSON.stringify(job.variables) } }, { upsert: true });
  }

  async get(key: string): Promise<any | null> {
    const doc = await this.store.jobTasks.findById(key).lean<any>();
    return doc ? this.sweepOne(doc) : null;
  }

  async search(q: SearchQuery<UserTaskFilter>): Promise<Page<UserTask>> {
    const docs = await Promise.all((await this.store.jobTasks.find(toMongo((q.filter ?? {}) as Record<string, unknown>, FIELDS)).lean<any[]>()).map((d) => this.sweepOne(d)));
    return pageInMemory(docs.filter(matches(toMongo((q.filter ?? {}) as Record<string, unknown>, FIELDS))), q, FIELDS, taskOf, { defaultSort: [['creationDate', 1], ['_id', 1]] });
  }

  /** Every task of this store matching the filter, for merging with the cluster's own tasks. */
  async all(q: SearchQuery<UserTaskFilter>): Promise<UserTask[]> {
    return (await this.search({ ...q, page: { from: 0, limit: 10_000 } })).items;
  }

  async open(key: string) {
    const t = await this.get(key);
    if (!t) throw notFound('User task', key);
    if (t.state !== 'CREATED') throw conflict(`User task '${key}' is ${String(t.state).toLowerCase()}, not open`);
    return t;
  }

  async assign(key: string, assignee: string | null, allowOverride?: boolean) {
    const t = await this.open(key);
    if (assignee && t.assignee && t.assignee !== assignee && allowOverride === false) throw conflict(`User task '${key}' is already assigned to '${t.assignee}'`);
    await this.store.jobTasks.updateOne({ _id: key }, { $set: { assignee } });
  }

  async close(key: string, state: 'COMPLETED' | 'CANCELED', by?: string | null) {
    await this.store.jobTasks.updateOne({ _id: key, state: 'CREATED' }, { $set: { state, completionDate: new Date(this.now()).toISOString(), ...(state === 'COMPLETED' ? { completedBy: by ?? null } : {}) } });
  }

  async closeInstance(processInstanceKey: string) {
    const open = await this.store.jobTasks.find({ processInstanceKey, state: 'CREATED' }, { _id: 1 }).lean<any[]>();
    for (const t of open) await this.close(t._id, 'CANCELED');
  }

  variables(doc: any): Variables { return JSON.parse(doc.variables ?? '{}'); }

  private async sweepOne(doc: any) {
    if (doc.state !== 'CREATED' || this.now() - new Date(doc.seenAt).getTime() < LEASES_BEFORE_STALE * this.leaseMs) return doc;
    await this.close(doc._id, 'CANCELED');
    return { ...doc, state: 'CANCELED', completionDate: new Date(this.now()).toISOString() };
  }
}

export function taskOf(d: any): UserTask {
  const { _id, variables, seenAt, customHeaders, ...task } = d;
  void _id; void variables; void seenAt;
  // An empty list may not survive an upsert on every server: read it back as empty.
  return { ...task, candidateGroups: task.candidateGroups ?? [], candidateUsers: task.candidateUsers ?? [], customHeaders: JSON.parse(customHeaders ?? '{}'), assignee: task.assignee ?? null, completedBy: task.completedBy ?? null };
}
