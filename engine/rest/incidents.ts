// Incidents: search, get and resolution.

import { notFound, type IncidentFilter } from '../runtime.ts';
import type { RestContext } from './context.ts';
import { noContent, ok, param, type Routes } from './routes.ts';
import { filterField, searchBodySchema, toSearchQuery } from './search.ts';
import { closedObject, int64, keyParams, keySchema, nonEmptyString, processDefinitionIdSchema, tenantIdSchema } from './validation.ts';
import * as wire from './wire.ts';

/** Camunda 8.8's incident error types; the filter accepts them all. */
const ERROR_TYPES = [
  'UNSPECIFIED', 'UNKNOWN', 'IO_MAPPING_ERROR', 'JOB_NO_RETRIES', 'EXECUTION_LISTENER_NO_RETRIES', 'TASK_LISTENER_NO_RETRIES',
  'AD_HOC_SUB_PROCESS_NO_RETRIES', 'CONDITION_ERROR', 'EXTRACT_VALUE_ERROR', 'CALLED_ELEMENT_ERROR', 'UNHANDLED_ERROR_EVENT',
  'MESSAGE_SIZE_EXCEEDED', 'CALLED_DECISION_ERROR', 'DECISION_EVALUATION_ERROR', 'FORM_NOT_FOUND', 'RESOURCE_NOT_FOUND',
] as const;

const filter = {
  processInstanceKey: filterField.key(keySchema),
  processDefinitionKey: filterField.key(keySchema),
  processDefinitionId: filterField.string(processDefinitionIdSchema),
  incidentKey: filterField.key(keySchema),
  jobKey: filterField.key(keySchema),
  elementId: filterField.string(nonEmptyString()),
  state: filterField.enum(['ACTIVE', 'MIGRATED', 'RESOLVED', 'PENDING']),
  errorType: filterField.enum(ERROR_TYPES),
  creationTime: filterField.dateTime(),
  tenantId: filterField.string(tenantIdSchema),
};

// What the runtime can sort by (Camunda also sorts by errorMessage and elementInstanceKey).
const sortFields = [
  'incidentKey', 'processDefinitionKey', 'processDefinitionId', 'processInstanceKey', 'errorType',
  'elementId', 'creationTime', 'state', 'jobKey', 'tenantId',
] as const;

export function incidentRoutes(r: Routes, ctx: RestContext): void {
  r.post('/incidents/search', { access: 'instances.read', search: true, schemas: { body: searchBodySchema(filter, sortFields) } }, async (req, res) => {
    const scope = ctx.scope(res);
    const result = await scope.search(toSearchQuery<IncidentFilter>(req.body), (q) => ctx.runtime.searchIncidents(q), (i) => scope.canSeeInstance(i.processInstanceKey));
    ok(res, wire.page(result));
  });

  // One incident, for whoever may see its process instance (the search's rule).
  r.get('/incidents/:incidentKey', { access: 'instances.read', schemas: { params: keyParams('incidentKey') } }, async (req, res) => {
    const key = param(req, 'incidentKey');
    const [incident] = (await ctx.runtime.searchIncidents({ filter: { incidentKey: key }, page: { limit: 1 } })).items;
    if (incident === undefined) throw notFound('Incident', key);
    await ctx.scope(res).requireInstance(incident.processInstanceKey);
    ok(res, wire.omitNulls(incident));
  });

  r.post('/incidents/:incidentKey/resolution', {
    access: 'incidents.resolve',
    schemas: { params: keyParams('incidentKey'), body: closedObject({ operationReference: int64(1, Number.MAX_SAFE_INTEGER) }) },
  }, async (req, res) => {
    const key = param(req, 'incidentKey');
    await ctx.runtime.resolveIncident(key);
    await ctx.audit(req, res, { action: 'incident.resolve', target: `incident/${key}` });
    noContent(res);
  });
}
