// User tasks on Zeebe: Camunda user tasks (zeebe:userTask) through the Orchestration Cluster REST
// API; job-based ones (`io.camunda.zeebe:userTask` jobs) mirrored into Gridflow's task store
// (job-tasks.ts) and completed with their job. One search answers both kinds.
import { RuntimeError, conflict, type FormResult, type Page, type SearchQuery, type UserTask, type UserTaskFilter, type UserTaskVariableFilter, type Variable, type Variables } from '../runtime.ts';
import { pageInMemory } from '../shared/query.ts';
import type { Definitions } from './definitions.ts';
import { grpcCall, restCall } from './errors.ts';
import type { DeployedForms } from './forms.ts';
import type { ObservedHistory } from './history.ts';
import { USER_TASK_JOB_TYPE, taskOf, type JobTasks } from './job-tasks.ts';
import type { RestApi } from './rest-api.ts';
import * as shape from './shapes.ts';
import type { ZeebeStore } from './store.ts';
import { jobShape } from './wire.ts';
import type { ZeebeGrpcClient } from './workers.ts';

const ALL = 10_000;
const nothing = { consistency: { waitUpToMs: 0 } };
const TASK_SORT = { creationDate: 'creationDate', followUpDate: 'followUpDate', dueDate: 'dueDate', priority: 'priority', name: 'name', completionDate: 'completionDate', userTaskKey: 'userTaskKey' };

export interface UserTaskDeps {
  zeebe: ZeebeGrpcClient;
  rest: RestApi;
  store: ZeebeStore;
  tasks: JobTasks;
  definitions: Definitions;
  observed: ObservedHistory;
  forms: DeployedForms;
  now: () => number;
  byKey: { consistency: { waitUpToMs: number; pollIntervalMs?: number } };
}

export class UserTasks {
  constructor(private readonly deps: UserTaskDeps) {}

  /** The worker that activates job-based user tasks for one lease, mirrors them and hands them on. */
  mirrorJobs(): () => Promise<void> {
    const worker = this.deps.zeebe.createWorker({
      taskType: USER_TASK_JOB_TYPE,
      id: 'gridflow:tasklist',
      timeout: this.deps.tasks.leaseMs,
      maxJobsToActivate: 32,
      taskHandler: async (job: any) => {
        const activated = jobShape(job);
        try {
          await this.deps.tasks.mirror(activated, await this.deps.definitions.names(activated.processDefinitionKey, activated.elementId).catch(() => ({ processName: null, name: null })));
        } catch (err) {
          // Not failed: a failure would spend the task's retries. The lapsed lease brings it back.
          console.error(`gridflow: user task job ${activated.jobKey} not mirrored yet:`, (err as Error)?.message ?? err);
        }
        return job.forward();
      },
    } as any);
    return async () => { await worker.close(); };
  }

  /** An instance canceled through this runtime: its mirrored tasks are canceled with it. */
  instanceCanceled(processInstanceKey: string) { return this.deps.tasks.closeInstance(processInstanceKey); }

  async search(q: SearchQuery<UserTaskFilter>): Promise<Page<UserTask>> {
    const own = await this.deps.tasks.all(q);
    const from = q.page?.from ?? 0, limit = Math.min(q.page?.limit ?? 100, ALL);
    if (!own.length) return this.withCompletions(shape.page(await restCall(() => this.deps.rest.searchUserTasks(shape.query(q), nothing)), shape.userTask));
    // Both kinds in one page: the cluster's first from+limit in the query's order, merged with the store's.
    const theirs = shape.page(await restCall(() => this.deps.rest.searchUserTasks(shape.query({ ...q, page: { from: 0, limit: Math.min(from + limit, ALL) } }), nothing)), shape.userTask);
    const merged = pageInMemory([...(await this.withCompletions(theirs)).items, ...own], q, TASK_SORT, (t: UserTask) => t, { defaultSort: [['creationDate', 1], ['userTaskKey', 1]] });
    return { items: merged.items, page: { totalItems: theirs.page.totalItems + own.length } };
  }

  private async withCompletions(p: Page<UserTask>): Promise<Page<UserTask>> {
    const done = p.items.filter((t) => t.state === 'COMPLETED').map((t) => t.userTaskKey);
    if (!done.length) return p;
    const by = new Map((await this.deps.store.completions.find({ _id: { $in: done } }).lean<any[]>()).map((c) => [c._id, c.by]));
    return { ...p, items: p.items.map((t) => (by.has(t.userTaskKey) ? { ...t, completedBy: by.get(t.userTaskKey) } : t)) };
  }

  async get(key: string): Promise<UserTask> {
    const own = await this.deps.tasks.get(key);
    if (own) return taskOf(own);
    const task = shape.userTask(await restCall(() => this.deps.rest.getUserTask({ userTaskKey: key }, this.deps.byKey)));
    return (await this.withCompletions({ items: [task], page: { totalItems: 1 } })).items[0];
  }

  async assign(key: string, assignee: string, opts: { allowOverride?: boolean } = {}) {
    if (await this.deps.tasks.get(key)) return this.deps.tasks.assign(key, assignee, opts.allowOverride);
    await restCall(() => this.deps.rest.assignUserTask({ userTaskKey: key, assignee, ...(opts.allowOverride !== undefined ? { allowOverride: opts.allowOverride } : {}) }));
  }

  async unassign(key: string) {
    if (await this.deps.tasks.get(key)) return this.deps.tasks.assign(key, null);
    await restCall(() => this.deps.rest.unassignUserTask({ userTaskKey: key }));
  }

  async complete(key: string, variables: Variables = {}, by: string | null = null) {
    const own = await this.deps.tasks.get(key);
    const task = own ? await this.deps.tasks.open(key) : await this.get(key);
    if (task.state !== 'CREATED') throw conflict(`User task '${key}' is ${String(task.state).toLowerCase()}, not open`);
    if (own) {
      try {
        await grpcCall(() => this.deps.zeebe.completeJob({ jobKey: key, variables: variables as any }));
      } catch (err) {
        // The job is gone: the task ended in the cluster (canceled, interrupted).
        if (err instanceof RuntimeError && err.status === 404) { await this.deps.tasks.close(key, 'CANCELED'); throw conflict(`User task '${key}' is already completed or canceled`); }
        throw err;
      }
      await this.deps.tasks.close(key, 'COMPLETED', by);
    } else {
      await restCall(() => this.deps.rest.completeUserTask({ userTaskKey: key, variables }));
      await this.deps.store.completions.updateOne({ _id: key }, { $set: { by, at: new Date(this.deps.now()) } }, { upsert: true });
    }
    await this.deps.observed.record(task.processInstanceKey, { event: 'USER_TASK_COMPLETED', elementId: task.elementId, elementInstanceKey: task.elementInstanceKey, by, detail: key })
      .catch((err) => console.error(`gridflow: history of user task ${key} not recorded:`, err?.message ?? err));
  }

  async variables(key: string): Promise<Variables> {
    const own = await this.deps.tasks.get(key);
    if (own) return this.deps.tasks.variables(own);
    const found = await restCall(() => this.deps.rest.searchUserTaskVariables({ userTaskKey: key, truncateValues: false, page: { limit: ALL } }, this.deps.byKey));
    return shape.visibleVariables(found.items);
  }

  async searchVariables(key: string, q: SearchQuery<UserTaskVariableFilter>): Promise<Page<Variable>> {
    const own = await this.deps.tasks.get(key);
    if (!own) return shape.page(await restCall(() => this.deps.rest.searchUserTaskVariables({ ...shape.query(q), userTaskKey: key, truncateValues: false }, this.deps.byKey)), shape.variable);
    // Camunda's endpoint knows no job-based tasks, and its element instances do not name their flow
    // scope: the task's own scope and the instance's (not those of sub-processes in between).
    const task = taskOf(own);
    const filter = { ...q.filter, processInstanceKey: task.processInstanceKey, scopeKey: { $in: [task.elementInstanceKey, task.processInstanceKey] } };
    return shape.page(await restCall(() => this.deps.rest.searchVariables({ ...shape.query({ ...q, filter }), truncateValues: false }, nothing)), shape.variable);
  }

  async form(key: string): Promise<FormResult | null> {
    const own = await this.deps.tasks.get(key);
    if (!own) {
      const form = await restCall(() => this.deps.rest.getUserTaskForm({ userTaskKey: key }, this.deps.byKey));
      return form && typeof form === 'object' && form.formKey ? shape.form(form) : null;
    }
    if (!own.formKey) return null;
    const embedded = /^camunda-forms:bpmn:(.+)$/.exec(own.formKey);
    if (!embedded) return this.deps.forms.get(own.formKey);
    const schema = await this.deps.definitions.embeddedForm(own.processDefinitionKey, embedded[1]);
    return schema === null ? null : { formKey: own.formKey, formId: embedded[1], version: own.processDefinitionVersion, tenantId: own.tenantId, schema };
  }
}
