// The Orchestration Cluster REST API's answers in the seam's shapes. They are Camunda 8.8's own
// shapes already; what differs is that a cluster leaves out absent values, where the seam has null.
import type { ElementInstance, FormResult, Incident, Page, ProcessDefinition, ProcessInstance, SearchQuery, UserTask, Variable, Variables } from '../runtime.ts';

const orNull = <T>(v: T | undefined | null): T | null => (v === undefined ? null : v);
const key = (v: unknown) => (v === undefined || v === null ? v : String(v)) as string;

export function query(q: SearchQuery<unknown>) {
  const out: { filter?: unknown; sort?: unknown; page?: { from?: number; limit?: number } } = {};
  if (q.filter && Object.keys(q.filter).length) out.filter = q.filter;
  if (q.sort?.length) out.sort = q.sort;
  if (q.page) out.page = q.page;
  return out;
}

export function page<T>(found: { items?: any[]; page?: { totalItems?: number } }, map: (item: any) => T): Page<T> {
  const items = (found?.items ?? []).map(map);
  return { items, page: { totalItems: Number(found?.page?.totalItems ?? items.length) } };
}

export const processDefinition = (d: any): ProcessDefinition => ({
  name: orNull(d.name), resourceName: d.resourceName, version: d.version, versionTag: orNull(d.versionTag), processDefinitionId: d.processDefinitionId,
  tenantId: d.tenantId, processDefinitionKey: key(d.processDefinitionKey), hasStartForm: !!d.hasStartForm,
});

export const processInstance = (p: any): ProcessInstance => ({
  processDefinitionId: p.processDefinitionId, processDefinitionName: orNull(p.processDefinitionName), processDefinitionVersion: p.processDefinitionVersion,
  processDefinitionVersionTag: orNull(p.processDefinitionVersionTag), startDate: p.startDate, endDate: orNull(p.endDate), state: p.state,
  hasIncident: !!p.hasIncident, tenantId: p.tenantId, processInstanceKey: key(p.processInstanceKey), processDefinitionKey: key(p.processDefinitionKey),
  parentProcessInstanceKey: orNull(key(p.parentProcessInstanceKey)), parentElementInstanceKey: orNull(key(p.parentElementInstanceKey)),
});

export const elementInstance = (e: any): ElementInstance => ({
  processDefinitionId: e.processDefinitionId, startDate: e.startDate, endDate: orNull(e.endDate), elementId: e.elementId, elementName: orNull(e.elementName),
  type: e.type, state: e.state, hasIncident: !!e.hasIncident, tenantId: e.tenantId, elementInstanceKey: key(e.elementInstanceKey),
  processInstanceKey: key(e.processInstanceKey), processDefinitionKey: key(e.processDefinitionKey), incidentKey: orNull(key(e.incidentKey)),
});

export const userTask = (t: any): UserTask => ({
  name: orNull(t.name), state: t.state, assignee: orNull(t.assignee), elementId: t.elementId, candidateGroups: t.candidateGroups ?? [],
  candidateUsers: t.candidateUsers ?? [], processDefinitionId: t.processDefinitionId, creationDate: t.creationDate, completionDate: orNull(t.completionDate),
  followUpDate: orNull(t.followUpDate), dueDate: orNull(t.dueDate), tenantId: t.tenantId, externalFormReference: orNull(t.externalFormReference),
  processDefinitionVersion: t.processDefinitionVersion, customHeaders: t.customHeaders ?? {}, priority: t.priority ?? 50, userTaskKey: key(t.userTaskKey),
  elementInstanceKey: key(t.elementInstanceKey), processName: orNull(t.processName), processDefinitionKey: key(t.processDefinitionKey),
  processInstanceKey: key(t.processInstanceKey), formKey: orNull(key(t.formKey)), completedBy: null,
});

/** Variables are searched with truncateValues=false: an untruncated value is the full one. */
export const variable = (v: any): Variable => ({
  name: v.name, value: v.value, ...(v.fullValue !== undefined || !v.isTruncated ? { fullValue: v.fullValue ?? v.value } : {}), tenantId: v.tenantId, isTruncated: !!v.isTruncated,
  variableKey: key(v.variableKey), scopeKey: key(v.scopeKey), processInstanceKey: key(v.processInstanceKey),
});

export const incident = (i: any): Incident => ({
  processDefinitionId: i.processDefinitionId, errorType: i.errorType, errorMessage: i.errorMessage ?? '', elementId: i.elementId, creationTime: i.creationTime,
  state: i.state, tenantId: i.tenantId, incidentKey: key(i.incidentKey), processDefinitionKey: key(i.processDefinitionKey),
  processInstanceKey: key(i.processInstanceKey), elementInstanceKey: key(i.elementInstanceKey), jobKey: orNull(key(i.jobKey)),
});

/** Camunda's server sends a form's schema as JSON text (its 8.8 specification long said object): either is read. */
export const form = (f: any): FormResult => ({
  formKey: key(f.formKey), formId: f.formId, version: f.version, tenantId: f.tenantId, schema: typeof f.schema === 'string' ? f.schema : JSON.stringify(f.schema),
});

/**
 * A user task's variables by name. Where a name is set in several scopes, the innermost wins:
 * an inner scope is created after the scopes around it, so its key is the larger.
 */
export function visibleVariables(items: any[]): Variables {
  const best = new Map<string, { scope: bigint; value: unknown }>();
  for (const v of items) {
    const scope = BigInt(String(v.scopeKey ?? '0'));
    const prev = best.get(v.name);
    if (prev && prev.scope > scope) continue;
    best.set(v.name, { scope, value: JSON.parse(v.fullValue ?? v.value) });
  }
  return Object.fromEntries([...best].map(([name, v]) => [name, v.value]));
}
