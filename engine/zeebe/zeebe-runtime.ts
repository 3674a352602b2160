// The Zeebe runtime: the same seam on a Camunda 8 cluster, through @camunda8/sdk. Commands go
// to the gateway over gRPC (deploy, create, cancel, jobs, publish, resolve); reads, user tasks
// and correlation go to the Orchestration Cluster REST API (v2). Configuration is the SDK's own
// (ZEEBE_GRPC_ADDRESS, ZEEBE_REST_ADDRESS, CAMUNDA_AUTH_STRATEGY, CAMUNDA_OAUTH_URL,
// ZEEBE_CLIENT_ID, ZEEBE_CLIENT_SECRET, ...): see docs/zeebe.md.
import type { Connection } from 'mongoose';
import { Camunda8 } from '@camunda8/sdk';
import {
  RuntimeError, conflict, invalid, notFound,
  type ActivateJobs, type ActivatedJob, type CorrelatedMessage, type CreateProcessInstance, type CreatedProcessInstance,
  type DeployResource, type Deployment, type ElementInstance, type ElementInstanceFilter, type FailJob, type FormFilter, type FormResult,
  type FormVersion, type HistoryEntry, type Incident, type IncidentFilter, type JobHandler, type Page, type ProcessDefinition,
  type ProcessDefinitionFilter, type ProcessInstance, type ProcessInstanceFilter, type PublishMessage, type PublishedMessage, type Runtime,
  type SearchQuery, type ThrowJobError, type Topology, type UserTask, type UserTaskFilter, type Variable, type VariableFilter, type Variables,
} from '../runtime.ts';
import { pageInMemory } from '../embedded/facts.ts';
import { grpcCall, restCall } from './errors.ts';
import { ObservedHistory } from './history.ts';
import { JobTasks, USER_TASK_JOB_TYPE, taskOf } from './job-tasks.ts';
import { Definitions, jobTypesOf } from './definitions.ts';
import type { RestApi } from './rest-api.ts';
import * as shape from './shapes.ts';
import { createZeebeStore, type ZeebeStore } from './store.ts';
import { deploymentShape, jobShape, topologyShape } from './wire.ts';
import { startZeebeWorker, type ZeebeGrpcClient } from './workers.ts';

export interface ZeebeOptions {
  connection: Connection;
  /** @camunda8/sdk configuration; what is not given here comes from the SDK's environment variables. */
  config?: Record<string, unknown>;
  clock?: { now(): number };
  /** Lease of a job-based user task's job; it is activated again (and its task kept open) each lease. Default 10 minutes. */
  userTaskLeaseMs?: number;
  /** How long a read by key waits for the cluster's secondary storage to show a new record. Default 5 s. */
  consistencyWaitMs?: number;
  /** Mirror job-based user tasks (`io.camunda.zeebe:userTask` jobs) into Gridflow's task store. Default true. */
  jobBasedUserTasks?: boolean;
}

const ALL = 10_000;
const STOP_MS = 10_000;
const within = (ms: number, p: Promise<unknown>) => {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise((r) => { timer = setTimeout(r, ms); })]).finally(() => clearTimeout(timer));
};
const nothing = { consistency: { waitUpToMs: 0 } };

export class ZeebeRuntime implements Runtime {
  readonly kind = 'zeebe' as const;
  private readonly camunda: Camunda8;
  private readonly zeebe: ZeebeGrpcClient;
  private readonly rest: RestApi;
  private readonly store: ZeebeStore;
  private readonly now: () => number;
  private readonly tasks: JobTasks;
  private readonly observed: ObservedHistory;
  private readonly definitions: Definitions;
  private readonly byKey: { consistency: { waitUpToMs: number; pollIntervalMs: number } };
  private workers: Array<() => Promise<void>> = [];

  constructor(private readonly opts: ZeebeOptions) {
    this.camunda = new Camunda8(withBoundedRetries(opts.config ?? {}));
    this.zeebe = this.camunda.getZeebeGrpcApiClient();
    this.rest = this.camunda.getOrchestrationClusterApiClientLoose() as unknown as RestApi;
    this.store = createZeebeStore(opts.connection);
    this.now = opts.clock ? () => opts.clock!.now() : () => Date.now();
    this.tasks = new JobTasks(this.store, this.now, opts.userTaskLeaseMs ?? 10 * 60_000);
    this.observed = new ObservedHistory(this.store, this.now);
    this.definitions = new Definitions((key) => this.getProcessDefinitionXml(key));
    const wait = opts.consistencyWaitMs ?? 5_000;
    this.byKey = { consistency: { waitUpToMs: wait, pollIntervalMs: Math.min(500, Math.max(wait / 10, 50)) } };
  }

  async start() {
    await Promise.all(Object.values(this.store).map((m) => m.init()));
    if (this.opts.jobBasedUserTasks === false) return;
    // Job-based user tasks: activated for one lease, mirrored, handed on (forwarded) to the tasklist.
    const worker = this.zeebe.createWorker({
      taskType: USER_TASK_JOB_TYPE,
      id: 'gridflow:tasklist',
      timeout: this.tasks.leaseMs,
      maxJobsToActivate: 32,
      taskHandler: async (job: any) => {
        const activated = jobShape(job);
        try {
          await this.tasks.mirror(activated, await this.definitions.names(activated.processDefinitionKey, activated.elementId).catch(() => ({ processName: null, name: null })));
        } catch (err) {
          // Not failed: a failure would spend the task's retries. The lapsed lease brings it back.
          console.error(`gridflow: user task job ${activated.jobKey} not mirrored yet:`, (err as Error)?.message ?? err);
        }
        return job.forward();
      },
    } as any);
    this.workers.push(async () => { await worker.close(); });
  }

  async stop() {
    const workers = this.workers;
    this.workers = [];
    // Workers finish the jobs in hand first; a stop does not wait on a stuck handler for ever.
    await within(STOP_MS, Promise.allSettled(workers.map((close) => close())));
    await within(STOP_MS, this.zeebe.close(STOP_MS).catch(() => {}));
    await within(STOP_MS, this.camunda.closeAllClients().catch(() => {}));
  }

  async topology(): Promise<Topology> {
    return topologyShape(await this.command(() => this.zeebe.topology()));
  }

  /** A gateway command; null means the client is closing. */
  private async command<T>(fn: () => Promise<T>): Promise<T> {
    const res = await grpcCall(fn);
    if (res === null || res === undefined) throw new RuntimeError(503, 'UNAVAILABLE', 'Zeebe client is closing');
    return res;
  }

  // ---- deployments and definitions ------------------------------------------------------------------

  async deploy(resources: DeployResource[], tenantId?: string): Promise<Deployment> {
    const bytes = (r: DeployResource) => (typeof r.content === 'string' ? Buffer.from(r.content, 'utf8') : r.content);
    const list = resources.map((r) => (/\.form$/i.test(r.name) ? { name: r.name, form: bytes(r) } : /\.dmn$/i.test(r.name) ? { name: r.name, decision: bytes(r) } : { name: r.name, process: bytes(r) }));
    const deployment = deploymentShape(await this.command(() => this.zeebe.deployResources(list as any, tenantId)));
    // Forms deployed here are kept by key: Camunda's REST API serves forms per task, not per key.
    for (const item of deployment.deployments) {
      if (!('form' in item)) continue;
      const source = resources.find((r) => r.name === item.form.resourceName);
      const schema = source ? bytes(source).toString('utf8') : '{}';
      let versionTag: string | null = null;
      try { versionTag = JSON.parse(schema).versionTag ?? null; } catch { /* the cluster accepted it; keep it as text */ }
      const f = item.form;
      await this.store.forms.updateOne({ _id: f.formKey }, { $set: { formId: f.formId, version: f.version, tenantId: f.tenantId, schema, versionTag, resourceName: f.resourceName, deploymentKey: deployment.deploymentKey } }, { upsert: true });
    }
    return this.withWarnings(deployment, resources.filter((r) => /\.bpmn$/i.test(r.name)).map((r) => bytes(r).toString('utf8')));
  }

  private handledTypes: string[] = [];

  /** As on the embedded runtime: job types no handler of this platform serves are named. */
  private async withWarnings(deployment: Deployment, diagrams: string[]): Promise<Deployment> {
    const handled = new Set([...this.handledTypes, ...(this.opts.jobBasedUserTasks === false ? [] : [USER_TASK_JOB_TYPE])]);
    const warnings: string[] = [];
    for (const xml of diagrams) {
      const types = await jobTypesOf(xml).catch(() => []);
      for (const t of types) if (!handled.has(t.type)) warnings.push(`Element '${t.elementId}' of process '${t.processId}' uses job type '${t.type}', which no in-process handler serves; an external worker must.`);
    }
    return warnings.length ? { ...deployment, warnings } : deployment;
  }

  async searchProcessDefinitions(q: SearchQuery<ProcessDefinitionFilter>): Promise<Page<ProcessDefinition>> {
    return shape.page(await restCall(() => this.rest.searchProcessDefinitions(shape.query(q), nothing)), shape.processDefinition);
  }

  async getProcessDefinition(key: string): Promise<ProcessDefinition> {
    return shape.processDefinition(await restCall(() => this.rest.getProcessDefinition({ processDefinitionKey: key }, this.byKey)));
  }

  async getProcessDefinitionXml(key: string): Promise<string> {
    return restCall(() => this.rest.getProcessDefinitionXml({ processDefinitionKey: key }, this.byKey));
  }

  // ---- process instances ----------------------------------------------------------------------------

  async createProcessInstance(req: CreateProcessInstance): Promise<CreatedProcessInstance> {
    let id = req.processDefinitionId, version = req.processDefinitionVersion, tenantId = req.tenantId;
    if (req.processDefinitionKey) {
      // The gateway's create-by-key is not exposed by the SDK: the key names one id and version.
      const def = await this.getProcessDefinition(req.processDefinitionKey);
      id = def.processDefinitionId; version = def.version; tenantId = def.tenantId;
    } else if (!id) throw invalid('Expected either processDefinitionKey or processDefinitionId');
    const variables = req.variables ?? {};
    const res: any = await this.command(() => this.zeebe.createProcessInstance({ bpmnProcessId: id!, ...(version && version > 0 ? { version } : {}), variables, ...(tenantId ? { tenantId } : {}) } as any));
    return { processDefinitionId: res.bpmnProcessId, processDefinitionVersion: Number(res.version), tenantId: res.tenantId, variables, processDefinitionKey: String(res.processDefinitionKey), processInstanceKey: String(res.processInstanceKey) };
  }

  async cancelProcessInstance(key: string) {
    await grpcCall(() => this.zeebe.cancelProcessInstance(key));
    await this.tasks.closeInstance(key);
  }

  async getProcessInstance(key: string): Promise<ProcessInstance> {
    return shape.processInstance(await restCall(() => this.rest.getProcessInstance({ processInstanceKey: key }, this.byKey)));
  }

  async searchProcessInstances(q: SearchQuery<ProcessInstanceFilter>): Promise<Page<ProcessInstance>> {
    return shape.page(await restCall(() => this.rest.searchProcessInstances(shape.query(q), nothing)), shape.processInstance);
  }

  async searchElementInstances(q: SearchQuery<ElementInstanceFilter>): Promise<Page<ElementInstance>> {
    return shape.page(await restCall(() => this.rest.searchElementInstances(shape.query(q), nothing)), shape.elementInstance);
  }

  // ---- user tasks: Camunda user tasks through REST, job-based ones from the task store ---------------

  async searchUserTasks(q: SearchQuery<UserTaskFilter>): Promise<Page<UserTask>> {
    const own = await this.tasks.all(q);
    const from = q.page?.from ?? 0, limit = Math.min(q.page?.limit ?? 100, ALL);
    if (!own.length) return this.withCompletions(shape.page(await restCall(() => this.rest.searchUserTasks(shape.query(q), nothing)), shape.userTask));
    // Both kinds in one page: the cluster's first from+limit in the query's order, merged with the store's.
    const theirs = shape.page(await restCall(() => this.rest.searchUserTasks(shape.query({ ...q, page: { from: 0, limit: Math.min(from + limit, ALL) } }), nothing)), shape.userTask);
    const merged = pageInMemory([...(await this.withCompletions(theirs)).items, ...own], q, TASK_SORT, (t: UserTask) => t, { defaultSort: [['creationDate', 1], ['userTaskKey', 1]] });
    return { items: merged.items, page: { totalItems: theirs.page.totalItems + own.length } };
  }

  private async withCompletions(p: Page<UserTask>): Promise<Page<UserTask>> {
    const done = p.items.filter((t) => t.state === 'COMPLETED').map((t) => t.userTaskKey);
    if (!done.length) return p;
    const by = new Map((await this.store.completions.find({ _id: { $in: done } }).lean<any[]>()).map((c) => [c._id, c.by]));
    return { ...p, items: p.items.map((t) => (by.has(t.userTaskKey) ? { ...t, completedBy: by.get(t.userTaskKey) } : t)) };
  }

  async getUserTask(key: string): Promise<UserTask> {
    const own = await this.tasks.get(key);
    if (own) return taskOf(own);
    const task = shape.userTask(await restCall(() => this.rest.getUserTask({ userTaskKey: key }, this.byKey)));
    return (await this.withCompletions({ items: [task], page: { totalItems: 1 } })).items[0];
  }

  async assignUserTask(key: string, assignee: string, opts: { allowOverride?: boolean } = {}) {
    if (await this.tasks.get(key)) return this.tasks.assign(key, assignee, opts.allowOverride);
    await restCall(() => this.rest.assignUserTask({ userTaskKey: key, assignee, ...(opts.allowOverride !== undefined ? { allowOverride: opts.allowOverride } : {}) }));
  }

  async unassignUserTask(key: string) {
    if (await this.tasks.get(key)) return this.tasks.assign(key, null);
    await restCall(() => this.rest.unassignUserTask({ userTaskKey: key }));
  }

  async completeUserTask(key: string, variables: Variables = {}, by: string | null = null) {
    const own = await this.tasks.get(key);
    const task = own ? await this.tasks.open(key) : await this.getUserTask(key);
    if (task.state !== 'CREATED') throw conflict(`User task '${key}' is ${String(task.state).toLowerCase()}, not open`);
    if (own) {
      try {
        await grpcCall(() => this.zeebe.completeJob({ jobKey: key, variables: variables as any }));
      } catch (err) {
        // The job is gone: the task ended in the cluster (canceled, interrupted).
        if (err instanceof RuntimeError && err.status === 404) { await this.tasks.close(key, 'CANCELED'); throw conflict(`User task '${key}' is already completed or canceled`); }
        throw err;
      }
      await this.tasks.close(key, 'COMPLETED', by);
    } else {
      await restCall(() => this.rest.completeUserTask({ userTaskKey: key, variables }));
      await this.store.completions.updateOne({ _id: key }, { $set: { by, at: new Date(this.now()) } }, { upsert: true });
    }
    await this.observed.record(task.processInstanceKey, { event: 'USER_TASK_COMPLETED', elementId: task.elementId, elementInstanceKey: task.elementInstanceKey, by, detail: key })
      .catch((err) => console.error(`gridflow: history of user task ${key} not recorded:`, err?.message ?? err));
  }

  async getUserTaskVariables(key: string): Promise<Variables> {
    const own = await this.tasks.get(key);
    if (own) return this.tasks.variables(own);
    const found = await restCall(() => this.rest.searchUserTaskVariables({ userTaskKey: key, truncateValues: false, page: { limit: ALL } }, this.byKey));
    return shape.visibleVariables(found.items);
  }

  async getUserTaskForm(key: string): Promise<FormResult | null> {
    const own = await this.tasks.get(key);
    if (!own) {
      const form = await restCall(() => this.rest.getUserTaskForm({ userTaskKey: key }, this.byKey));
      return form && typeof form === 'object' && form.formKey ? shape.form(form) : null;
    }
    if (!own.formKey) return null;
    const embedded = /^camunda-forms:bpmn:(.+)$/.exec(own.formKey);
    if (!embedded) return this.getForm(own.formKey);
    const schema = await this.definitions.embeddedForm(own.processDefinitionKey, embedded[1]);
    return schema === null ? null : { formKey: own.formKey, formId: embedded[1], version: own.processDefinitionVersion, tenantId: own.tenantId, schema };
  }

  async getForm(formKey: string): Promise<FormResult> {
    const f = await this.store.forms.findById(formKey).lean<any>();
    if (!f) throw notFound('Form', formKey);
    return { formKey: f._id, formId: f.formId, version: f.version, tenantId: f.tenantId, schema: f.schema };
  }

  async searchForms(filter: FormFilter): Promise<FormVersion[]> {
    const query: Record<string, string> = {};
    if (filter.formId) query.formId = filter.formId;
    if (filter.tenantId) query.tenantId = filter.tenantId;
    const docs = await this.store.forms.find(query).lean<any[]>();
    docs.sort((a, b) => (a.formId === b.formId ? b.version - a.version : a.formId < b.formId ? -1 : 1));
    return docs.map((f) => ({ formKey: f._id, formId: f.formId, version: f.version, tenantId: f.tenantId, schema: f.schema, versionTag: f.versionTag ?? null, resourceName: f.resourceName, deploymentKey: f.deploymentKey }));
  }

  // ---- jobs ---------------------------------------------------------------------------------------------

  async activateJobs(req: ActivateJobs): Promise<ActivatedJob[]> {
    const jobs = await grpcCall(() => this.zeebe.activateJobs({
      type: req.type, worker: req.worker ?? 'gridflow', timeout: req.timeout, maxJobsToActivate: req.maxJobsToActivate,
      fetchVariable: req.fetchVariable ?? [], requestTimeout: req.requestTimeout ?? 0, ...(req.tenantIds ? { tenantIds: req.tenantIds } : {}),
    } as any));
    return (jobs ?? []).map(jobShape);
  }

  async completeJob(key: string, variables: Variables = {}) {
    await grpcCall(() => this.zeebe.completeJob({ jobKey: key, variables: variables as any }));
  }

  async failJob(key: string, req: FailJob) {
    await grpcCall(() => this.zeebe.failJob({ jobKey: key, retries: req.retries, errorMessage: req.errorMessage ?? '', retryBackOff: req.retryBackOff ?? 0, ...(req.variables ? { variables: req.variables } : {}) } as any));
  }

  async throwJobError(key: string, req: ThrowJobError) {
    await grpcCall(() => this.zeebe.throwError({ jobKey: key, errorCode: req.errorCode, errorMessage: req.errorMessage ?? '', ...(req.variables ? { variables: req.variables } : {}) } as any));
  }

  registerJobHandler(type: string, handler: JobHandler, opts?: { timeout?: number; maxJobsActive?: number }) {
    this.handledTypes.push(type);
    const stop = startZeebeWorker(this.zeebe, type, handler, opts, {
      onOutcome: async (job, outcome, detail) => {
        if (outcome === 'error') return;
        await this.observed.record(job.processInstanceKey, { event: outcome === 'completed' ? 'JOB_COMPLETED' : 'JOB_FAILED', elementId: job.elementId, elementInstanceKey: job.elementInstanceKey, ...(detail ? { detail } : {}) }).catch(() => {});
      },
    });
    this.workers.push(stop);
    return () => {
      this.workers = this.workers.filter((w) => w !== stop);
      const i = this.handledTypes.indexOf(type);
      if (i >= 0) this.handledTypes.splice(i, 1);
      void stop();
    };
  }

  // ---- messages -----------------------------------------------------------------------------------------

  async publishMessage(req: PublishMessage): Promise<PublishedMessage> {
    const res: any = await this.command(() => this.zeebe.publishMessage({
      name: req.name, correlationKey: req.correlationKey ?? '', timeToLive: req.timeToLive ?? 0, variables: req.variables ?? {},
      ...(req.messageId ? { messageId: req.messageId } : {}), ...(req.tenantId ? { tenantId: req.tenantId } : {}),
    } as any));
    return { tenantId: res.tenantId, messageKey: String(res.key) };
  }

  async correlateMessage(req: PublishMessage): Promise<CorrelatedMessage> {
    const res = await restCall(() => this.rest.correlateMessage({ name: req.name, correlationKey: req.correlationKey ?? '', variables: req.variables ?? {}, ...(req.tenantId ? { tenantId: req.tenantId } : {}) }));
    const out = { tenantId: res.tenantId, messageKey: String(res.messageKey), processInstanceKey: String(res.processInstanceKey) };
    await this.observed.record(out.processInstanceKey, { event: 'MESSAGE_CORRELATED', name: req.name, detail: out.messageKey }).catch(() => {});
    return out;
  }

  // ---- variables, incidents, history --------------------------------------------------------------------

  async searchVariables(q: SearchQuery<VariableFilter>): Promise<Page<Variable>> {
    return shape.page(await restCall(() => this.rest.searchVariables({ ...shape.query(q), truncateValues: false }, nothing)), shape.variable);
  }

  async searchIncidents(q: SearchQuery<IncidentFilter>): Promise<Page<Incident>> {
    return shape.page(await restCall(() => this.rest.searchIncidents(shape.query(q), nothing)), shape.incident);
  }

  async resolveIncident(key: string) {
    const found = await this.searchIncidents({ filter: { incidentKey: key } });
    const incident = found.items[0];
    if (!incident) throw notFound('Incident', key);
    // A job without retries gets one more, as on the embedded runtime; Zeebe needs it before the resolution.
    if (incident.jobKey && incident.errorType === 'JOB_NO_RETRIES') await grpcCall(() => this.zeebe.updateJobRetries({ jobKey: incident.jobKey!, retries: 1 } as any));
    await grpcCall(() => this.zeebe.resolveIncident({ incidentKey: key } as any));
    await this.observed.record(incident.processInstanceKey, { event: 'INCIDENT_RESOLVED', elementId: incident.elementId, elementInstanceKey: incident.elementInstanceKey, detail: key }).catch(() => {});
  }

  async history(processInstanceKey: string): Promise<HistoryEntry[]> {
    await this.getProcessInstance(processInstanceKey);
    const [elements, incidents] = await Promise.all([
      this.searchElementInstances({ filter: { processInstanceKey }, page: { limit: ALL } }),
      this.searchIncidents({ filter: { processInstanceKey }, page: { limit: ALL } }),
    ]);
    return this.observed.merge(processInstanceKey, elements.items, incidents.items);
  }
}

/**
 * The SDK retries a command refused for back-pressure or unavailability for ever unless told
 * otherwise; a user's request must end. Unless ZEEBE_GRPC_CLIENT_MAX_RETRIES says otherwise,
 * six retries (about 35 s with the SDK's back-off) before the error surfaces as 429 or 503.
 */
export const DEFAULT_MAX_RETRIES = 6;
function withBoundedRetries(config: Record<string, any>): Record<string, unknown> {
  const grpc = { ...(config.zeebeGrpcSettings ?? {}) };
  if (grpc.ZEEBE_GRPC_CLIENT_MAX_RETRIES === undefined && !process.env.ZEEBE_GRPC_CLIENT_MAX_RETRIES) grpc.ZEEBE_GRPC_CLIENT_MAX_RETRIES = DEFAULT_MAX_RETRIES;
  return { ...config, zeebeGrpcSettings: grpc };
}

const TASK_SORT = { creationDate: 'creationDate', followUpDate: 'followUpDate', dueDate: 'dueDate', priority: 'priority', name: 'name', completionDate: 'completionDate', userTaskKey: 'userTaskKey' };
