// The runtime seam. Everything above engine/ (REST API, tasks, forms, plugins, web) talks to a
// Runtime; the embedded one (bpmn-engine + feelin, state in MongoDB) and the Zeebe one implement it.
// Shapes follow Camunda 8.8's Orchestration Cluster REST API (v2): keys are strings, dates ISO 8601.

export type Variables = Record<string, unknown>;

export interface Topology {
  brokers: Array<{ nodeId: number; host: string; port: number; version: string; partitions: Array<{ partitionId: number; role: 'leader' | 'follower' | 'inactive'; health: 'healthy' | 'unhealthy' | 'dead' }> }>;
  clusterSize: number;
  partitionsCount: number;
  replicationFactor: number;
  gatewayVersion: string;
  lastCompletedChangeId: string;
}

export interface DeployResource { name: string; content: Buffer | string }

export type DeploymentItem =
  | { processDefinition: { processDefinitionId: string; processDefinitionVersion: number; resourceName: string; tenantId: string; processDefinitionKey: string } }
  | { form: { formId: string; version: number; resourceName: string; tenantId: string; formKey: string } };

export interface Deployment { deploymentKey: string; tenantId: string; deployments: DeploymentItem[]; warnings?: string[] }

export interface ProcessDefinition {
  name: string | null;
  resourceName: string;
  version: number;
  versionTag: string | null;
  processDefinitionId: string;
  tenantId: string;
  processDefinitionKey: string;
  hasStartForm: boolean;
}

export interface CreateProcessInstance {
  processDefinitionId?: string;
  processDefinitionVersion?: number;
  processDefinitionKey?: string;
  variables?: Variables;
  tenantId?: string;
}

export interface CreatedProcessInstance {
  processDefinitionId: string;
  processDefinitionVersion: number;
  tenantId: string;
  variables: Variables;
  processDefinitionKey: string;
  processInstanceKey: string;
}

export type ProcessInstanceState = 'ACTIVE' | 'COMPLETED' | 'TERMINATED';

export interface ProcessInstance {
  processDefinitionId: string;
  processDefinitionName: string | null;
  processDefinitionVersion: number;
  processDefinitionVersionTag: string | null;
  startDate: string;
  endDate: string | null;
  state: ProcessInstanceState;
  hasIncident: boolean;
  tenantId: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  parentProcessInstanceKey: string | null;
  parentElementInstanceKey: string | null;
}

export interface ElementInstance {
  processDefinitionId: string;
  startDate: string;
  endDate: string | null;
  elementId: string;
  elementName: string | null;
  type: string;
  state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  hasIncident: boolean;
  tenantId: string;
  elementInstanceKey: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  incidentKey: string | null;
}

export type UserTaskState = 'CREATED' | 'COMPLETED' | 'CANCELED' | 'FAILED';

export interface UserTask {
  name: string | null;
  state: UserTaskState;
  assignee: string | null;
  elementId: string;
  candidateGroups: string[];
  candidateUsers: string[];
  processDefinitionId: string;
  creationDate: string;
  completionDate: string | null;
  followUpDate: string | null;
  dueDate: string | null;
  tenantId: string;
  externalFormReference: string | null;
  processDefinitionVersion: number;
  customHeaders: Record<string, string>;
  priority: number;
  userTaskKey: string;
  elementInstanceKey: string;
  processName: string | null;
  processDefinitionKey: string;
  processInstanceKey: string;
  formKey: string | null;
  /** Gridflow: the zeebe:formDefinition / zeebe:userTaskForm link, resolved by the forms module. */
  formLink?: FormLink | null;
  /** Gridflow: who completed the task, kept for history and the audit trail. */
  completedBy?: string | null;
}

export type FormLink =
  | { formId: string; bindingType: 'latest' | 'deployment' | 'versionTag'; versionTag?: string; deploymentKey: string }
  | { embeddedFormKey: string; schema: string };

export interface ActivateJobs {
  type: string;
  worker?: string;
  timeout: number;
  maxJobsToActivate: number;
  fetchVariable?: string[];
  requestTimeout?: number;
  tenantIds?: string[];
}

export interface ActivatedJob {
  type: string;
  processDefinitionId: string;
  processDefinitionVersion: number;
  elementId: string;
  customHeaders: Record<string, string>;
  worker: string;
  retries: number;
  deadline: number;
  variables: Variables;
  tenantId: string;
  jobKey: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  elementInstanceKey: string;
  kind: 'BPMN_ELEMENT';
  listenerEventType: 'UNSPECIFIED';
}

export interface FailJob { retries: number; errorMessage?: string; retryBackOff?: number; variables?: Variables }
export interface ThrowJobError { errorCode: string; errorMessage?: string; variables?: Variables }

/** An in-process job worker: the same contract plugins use, runtime-neutral. */
export type JobHandler = (job: ActivatedJob) => Promise<JobOutcome> | JobOutcome;
export type JobOutcome =
  | { complete: Variables | undefined }
  | { fail: FailJob }
  | { error: ThrowJobError };

export interface PublishMessage {
  name: string;
  correlationKey?: string;
  timeToLive?: number;
  messageId?: string;
  variables?: Variables;
  tenantId?: string;
}
export interface PublishedMessage { tenantId: string; messageKey: string }
export interface CorrelatedMessage { tenantId: string; messageKey: string; processInstanceKey: string }

/** A deployed form as Camunda's REST API returns it; `schema` is the form-js JSON as text. */
export interface FormResult { formKey: string; formId: string; version: number; tenantId: string; schema: string }

/** One deployed version of a form (searchForms), with its schema as text. */
export interface FormVersion extends FormResult { versionTag: string | null; resourceName: string; deploymentKey: string }
export interface FormFilter { formId?: string; tenantId?: string }

export interface Variable {
  name: string;
  value: string; // JSON-serialised, as Camunda returns it
  fullValue?: string;
  tenantId: string;
  isTruncated: boolean;
  variableKey: string;
  scopeKey: string;
  processInstanceKey: string;
}

export interface Incident {
  processDefinitionId: string;
  errorType: 'JOB_NO_RETRIES' | 'UNHANDLED_ERROR_EVENT' | 'EXTRACT_VALUE_ERROR' | 'CALLED_ELEMENT_ERROR' | 'CONDITION_ERROR' | 'IO_MAPPING_ERROR' | 'UNKNOWN';
  errorMessage: string;
  elementId: string;
  creationTime: string;
  state: 'ACTIVE' | 'RESOLVED';
  tenantId: string;
  incidentKey: string;
  processDefinitionKey: string;
  processInstanceKey: string;
  elementInstanceKey: string;
  jobKey: string | null;
}

export interface HistoryEntry {
  processInstanceKey: string;
  seq: number;
  at: string;
  event:
    | 'ELEMENT_ACTIVATED' | 'ELEMENT_COMPLETED' | 'ELEMENT_TERMINATED'
    | 'VARIABLE_SET' | 'USER_TASK_COMPLETED' | 'JOB_COMPLETED' | 'JOB_FAILED'
    | 'INCIDENT_CREATED' | 'INCIDENT_RESOLVED' | 'MESSAGE_CORRELATED' | 'TIMER_TRIGGERED';
  elementId?: string;
  elementInstanceKey?: string;
  elementType?: string;
  name?: string;
  /** VARIABLE_SET: the value as JSON text, and the variable's key. */
  value?: unknown;
  variableKey?: string;
  by?: string | null;
  detail?: string;
}

export interface SearchQuery<F> {
  filter?: F;
  sort?: Array<{ field: string; order?: 'ASC' | 'DESC' }>;
  page?: { from?: number; limit?: number };
}
export interface Page<T> { items: T[]; page: { totalItems: number } }

export type ProcessInstanceFilter = Partial<Pick<ProcessInstance, 'processDefinitionId' | 'processDefinitionKey' | 'processInstanceKey' | 'parentProcessInstanceKey' | 'state' | 'tenantId' | 'hasIncident' | 'processDefinitionVersion'>>;
export type ElementInstanceFilter = Partial<Pick<ElementInstance, 'processInstanceKey' | 'elementId' | 'state' | 'type' | 'elementInstanceKey' | 'processDefinitionKey'>>;
export type UserTaskFilter = Partial<Pick<UserTask, 'state' | 'assignee' | 'elementId' | 'processInstanceKey' | 'processDefinitionKey' | 'processDefinitionId' | 'userTaskKey' | 'tenantId'>> & { candidateGroup?: string; candidateUser?: string };
export type VariableFilter = Partial<Pick<Variable, 'name' | 'scopeKey' | 'processInstanceKey' | 'tenantId'>>;
export type UserTaskVariableFilter = Partial<Pick<Variable, 'name'>>;
export type IncidentFilter = Partial<Pick<Incident, 'processInstanceKey' | 'state' | 'errorType' | 'elementId' | 'jobKey' | 'processDefinitionKey' | 'incidentKey'>>;
export type ProcessDefinitionFilter = Partial<Pick<ProcessDefinition, 'processDefinitionId' | 'processDefinitionKey' | 'version' | 'name' | 'tenantId'>> & { isLatestVersion?: boolean };

export interface Runtime {
  readonly kind: 'embedded' | 'zeebe';
  start(): Promise<void>;
  stop(): Promise<void>;
  topology(): Promise<Topology>;

  deploy(resources: DeployResource[], tenantId?: string): Promise<Deployment>;
  searchProcessDefinitions(q: SearchQuery<ProcessDefinitionFilter>): Promise<Page<ProcessDefinition>>;
  getProcessDefinition(key: string): Promise<ProcessDefinition>;
  getProcessDefinitionXml(key: string): Promise<string>;

  createProcessInstance(req: CreateProcessInstance): Promise<CreatedProcessInstance>;
  cancelProcessInstance(key: string): Promise<void>;
  getProcessInstance(key: string): Promise<ProcessInstance>;
  searchProcessInstances(q: SearchQuery<ProcessInstanceFilter>): Promise<Page<ProcessInstance>>;
  searchElementInstances(q: SearchQuery<ElementInstanceFilter>): Promise<Page<ElementInstance>>;

  searchUserTasks(q: SearchQuery<UserTaskFilter>): Promise<Page<UserTask>>;
  getUserTask(key: string): Promise<UserTask>;
  assignUserTask(key: string, assignee: string, opts?: { allowOverride?: boolean }): Promise<void>;
  unassignUserTask(key: string): Promise<void>;
  completeUserTask(key: string, variables?: Variables, by?: string | null): Promise<void>;
  /** Every variable the task sees (its own scope and those above), as its form is evaluated against. */
  getUserTaskVariables(key: string): Promise<Variables>;
  /** The same, one item per name and scope (the task's own scope and every scope above it), as Camunda's user task variable search answers. */
  searchUserTaskVariables(key: string, q: SearchQuery<UserTaskVariableFilter>): Promise<Page<Variable>>;
  /** The task's linked (zeebe:formDefinition) or embedded (zeebe:userTaskForm) form, or null. */
  getUserTaskForm(key: string): Promise<FormResult | null>;
  getForm(formKey: string): Promise<FormResult>;
  /** Every deployed version of the matching forms: by form id, latest version first. */
  searchForms(filter: FormFilter): Promise<FormVersion[]>;

  activateJobs(req: ActivateJobs, signal?: AbortSignal): Promise<ActivatedJob[]>;
  completeJob(key: string, variables?: Variables): Promise<void>;
  failJob(key: string, req: FailJob): Promise<void>;
  throwJobError(key: string, req: ThrowJobError): Promise<void>;
  /** Serve a job type in-process (plugins, Gridflow's own job types). */
  registerJobHandler(type: string, handler: JobHandler, opts?: { timeout?: number; maxJobsActive?: number }): () => void;

  publishMessage(req: PublishMessage): Promise<PublishedMessage>;
  correlateMessage(req: PublishMessage): Promise<CorrelatedMessage>;

  searchVariables(q: SearchQuery<VariableFilter>): Promise<Page<Variable>>;
  searchIncidents(q: SearchQuery<IncidentFilter>): Promise<Page<Incident>>;
  resolveIncident(key: string): Promise<void>;

  history(processInstanceKey: string): Promise<HistoryEntry[]>;
}

/** Errors every runtime throws; the REST layer maps them to problem+json. */
export class RuntimeError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 422 | 429 | 503,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'RuntimeError';
  }
}
export const notFound = (what: string, key: string) => new RuntimeError(404, 'NOT_FOUND', `${what} with key '${key}' not found`);
export const invalid = (message: string, details?: unknown) => new RuntimeError(400, 'INVALID_ARGUMENT', message, details);
export const conflict = (message: string) => new RuntimeError(409, 'INVALID_STATE', message);
