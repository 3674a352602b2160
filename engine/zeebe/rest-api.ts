// The part of Camunda's Orchestration Cluster REST API (v2) the Zeebe runtime calls, through
// @camunda8/orchestration-cluster-api as @camunda8/sdk creates it. Searches and reads are
// eventually consistent on a cluster: `consistency` says how long a read waits for a record.
type Eventual = { consistency: { waitUpToMs: number; pollIntervalMs?: number } };
type Search = { filter?: unknown; sort?: unknown; page?: { from?: number; limit?: number } };
type Found<T = any> = { items: T[]; page: { totalItems: number } };

export interface RestApi {
  getTopology(): Promise<any>;
  searchProcessDefinitions(q: Search, c: Eventual): Promise<Found>;
  getProcessDefinition(q: { processDefinitionKey: string }, c: Eventual): Promise<any>;
  getProcessDefinitionXml(q: { processDefinitionKey: string }, c: Eventual): Promise<string>;
  getProcessInstance(q: { processInstanceKey: string }, c: Eventual): Promise<any>;
  searchProcessInstances(q: Search, c: Eventual): Promise<Found>;
  searchElementInstances(q: Search, c: Eventual): Promise<Found>;
  searchUserTasks(q: Search, c: Eventual): Promise<Found>;
  getUserTask(q: { userTaskKey: string }, c: Eventual): Promise<any>;
  assignUserTask(q: { userTaskKey: string; assignee: string; allowOverride?: boolean }): Promise<void>;
  unassignUserTask(q: { userTaskKey: string }): Promise<void>;
  completeUserTask(q: { userTaskKey: string; variables?: Record<string, unknown> }): Promise<void>;
  searchUserTaskVariables(q: Search & { userTaskKey: string; truncateValues?: boolean }, c: Eventual): Promise<Found>;
  getUserTaskForm(q: { userTaskKey: string }, c: Eventual): Promise<any>;
  correlateMessage(q: { name: string; correlationKey: string; variables?: Record<string, unknown>; tenantId?: string }): Promise<any>;
  searchVariables(q: Search & { truncateValues?: boolean }, c: Eventual): Promise<Found>;
  searchIncidents(q: Search, c: Eventual): Promise<Found>;
  getIncident(q: { incidentKey: string }, c: Eventual): Promise<any>;
}
