// The Zeebe runtime: the same seam on a Camunda 8 cluster, through @camunda8/sdk. Commands go
// to the gateway over gRPC (deploy, create, cancel, jobs, publish, resolve); reads, user tasks
// and correlation go to the Orchestration Cluster REST API (v2). Configuration is the SDK's own
// (ZEEBE_GRPC_ADDRESS, ZEEBE_REST_ADDRESS, CAMUNDA_AUTH_STRATEGY, CAMUNDA_OAUTH_URL,
// ZEEBE_CLIENT_ID, ZEEBE_CLIENT_SECRET, ...): see docs/zeebe.md.
import type { Connection } from 'mongoose';
import { Camunda8 } from '@camunda8/sdk';
import {
  RuntimeError, invalid,
  type ActivateJobs, type ActivatedJob, type CorrelatedMessage, type CreateProcessInstance, type CreatedProcessInstance,
  type DeployResource, type Deployment, type ElementInstance, type ElementInstanceFilter, type FailJob, type FormFilter, type FormResult,
  type FormVersion, type HistoryEntry, type Incident, type IncidentFilter, type JobHandler, type Page, type ProcessDefinition,
  type ProcessDefinitionFilter, type ProcessInstance, type ProcessInstanceFilter, type PublishMessage, type PublishedMessage, type Runtime,
  type SearchQuery, type ThrowJobError, type Topology, type UserTask, type UserTaskFilter, type UserTaskVariableFilter, type Variable, type VariableFilter, type Variables,
} from '../runtime.ts';
import { grpcCall, restCall } from './errors.ts';
import { ObservedHistory } from './history.ts';
import { JobTasks, USER_TASK_JOB_TYPE } from './job-tasks.ts';
import { DeployedForms } from './forms.ts';
import { UserTasks } from './user-tasks.ts';
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
  private readonly observed: ObservedHistory;
  private readonly userTasks: UserTasks;
  private readonly forms: DeployedForms;
  private readonly byKey: { consistency: { waitUpToMs: number; pollIntervalMs: number } };
  private workers: Array<() => Promise<void>> = [];

  constructor(private readonly opts: ZeebeOptions) {
    this.camunda = new Camunda8(withBoundedRetries(opts.config ?? {}));
    this.zeebe = this.camunda.getZeebeGrpcApiClient();
    this.rest = this.camunda.getOrchestrationClusterApiClientLoose() as unknown as RestApi;
    this.store = createZeebeStore(opts.connection);
    this.now = opts.clock ? () => opts.clock!.now() : () => Date.now();
    this.observed = new ObservedHistory(this.store, this.now);
    const wait = opts.consistencyWaitMs ?? 5_000;
    this.byKey = { consistency: { waitUpToMs: wait, pollIntervalMs: Math.min(500, Math.max(wait / 10, 50)) } };
    this.forms = new DeployedForms(this.store);
    this.userTasks = new UserTasks({
      zeebe: this.zeebe, rest: this.rest, store: this.store, byKey: this.byKey, observed: this.observed, forms: this.forms, now: this.now,
      tasks: new JobTasks(this.store, this.now, opts.userTaskLeaseMs ?? 10 * 60_000),
      definitions: new Definitions((key) => this.getProcessDefinitionXml(key)),
    });
  }

  async start() {
    await Promise.all(Object.values(this.store).map((m) => m.init()));
    if (this.opts.jobBasedUserTasks === false) return;
    this.workers.push(this.userTasks.mirrorJobs());
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
    await this.forms.record(deployment, (name) => { const r = resources.find((x) => x.name === name); return r ? bytes(r).toString('utf8') : undefined; });
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
    await this.userTasks.instanceCanceled(key);
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

  // ---- user tasks (user-tasks.ts) and forms (forms.ts) ---------------------------------------------

  searchUserTasks(q: SearchQuery<UserTaskFilter>): Promise<Page<UserTask>> { return this.userTasks.search(q); }
  getUserTask(key: string): Promise<UserTask> { return this.userTasks.get(key); }
  assignUserTask(key: string, assignee: string, opts: { allowOverride?: boolean } = {}) { return this.userTasks.assign(key, assignee, opts); }
  unassignUserTask(key: string) { return this.userTasks.unassign(key); }
  completeUserTask(key: string, variables: Variables = {}, by: string | null = null) { return this.userTasks.complete(key, variables, by); }
  getUserTaskVariables(key: string): Promise<Variables> { return this.userTasks.variables(key); }
  searchUserTaskVariables(key: string, q: SearchQuery<UserTaskVariableFilter>): Promise<Page<Variable>> { return this.userTasks.searchVariables(key, q); }
  getUserTaskForm(key: string): Promise<FormResult | null> { return this.userTasks.form(key); }
  getForm(formKey: string): Promise<FormResult> { return this.forms.get(formKey); }
  searchForms(filter: FormFilter): Promise<FormVersion[]> { return this.forms.search(filter); }

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
    // By key: the read waits for an incident just raised to reach the cluster's secondary storage.
    const incident = shape.incident(await restCall(() => this.rest.getIncident({ incidentKey: key }, this.byKey)));
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
