// POST /v2/element-instances/search

import type { ElementInstanceFilter } from '../runtime.ts';
import type { RestContext } from './context.ts';
import { ok, type Routes } from './routes.ts';
import { filterField, searchBodySchema, toSearchQuery } from './search.ts';
import { keySchema, nonEmptyString, processDefinitionIdSchema, tenantIdSchema } from './validation.ts';
import * as wire from './wire.ts';

/** Camunda 8.8's element instance types (the filter accepts them all; a type Gridflow never produces matches nothing). */
export const ELEMENT_TYPES = [
  'UNSPECIFIED', 'PROCESS', 'SUB_PROCESS', 'EVENT_SUB_PROCESS', 'AD_HOC_SUB_PROCESS', 'AD_HOC_SUB_PROCESS_INNER_INSTANCE',
  'START_EVENT', 'INTERMEDIATE_CATCH_EVENT', 'INTERMEDIATE_THROW_EVENT', 'BOUNDARY_EVENT', 'END_EVENT',
  'SERVICE_TASK', 'RECEIVE_TASK', 'USER_TASK', 'MANUAL_TASK', 'TASK',
  'EXCLUSIVE_GATEWAY', 'INCLUSIVE_GATEWAY', 'PARALLEL_GATEWAY', 'EVENT_BASED_GATEWAY',
  'SEQUENCE_FLOW', 'MULTI_INSTANCE_BODY', 'CALL_ACTIVITY', 'BUSINESS_RULE_TASK', 'SCRIPT_TASK', 'SEND_TASK', 'UNKNOWN',
] as const;

const filter = {
  processInstanceKey: filterField.key(keySchema),
  processDefinitionKey: filterField.key(keySchema),
  processDefinitionId: filterField.string(processDefinitionIdSchema),
  elementInstanceKey: filterField.key(keySchema),
  elementId: filterField.string(nonEmptyString()),
  elementName: filterField.string(nonEmptyString()),
  state: filterField.enum(['ACTIVE', 'COMPLETED', 'TERMINATED']),
  type: filterField.enum(ELEMENT_TYPES),
  tenantId: filterField.string(tenantIdSchema),
  startDate: filterField.dateTime(),
  endDate: filterField.dateTime(),
};

// What the runtime can sort by (Camunda also sorts by incidentKey).
const sortFields = [
  'elementInstanceKey', 'processInstanceKey', 'processDefinitionKey', 'processDefinitionId', 'startDate', 'endDate',
  'elementId', 'elementName', 'type', 'state', 'tenantId',
] as const;

export function elementInstanceRoutes(r: Routes, ctx: RestContext): void {
  r.post('/element-instances/search', { access: 'instances.read', search: true, schemas: { body: searchBodySchema(filter, sortFields) } }, async (req, res) => {
    const scope = ctx.scope(res);
    const result = await scope.search(toSearchQuery<ElementInstanceFilter>(req.body), (q) => ctx.runtime.searchElementInstances(q), (e) => scope.canSeeInstance(e.processInstanceKey));
    ok(res, wire.page(result, wire.elementInstance));
  });
}
