// Process instances: create, cancel, search, get, and Gridflow's history extension.

import type { CreateProcessInstance, ProcessInstanceFilter, Runtime } from '../runtime.ts';
import { noContent, ok, param, type Routes } from './routes.ts';
import { filterField, searchBodySchema, toSearchQuery } from './search.ts';
import { closedObject, int64, keyParams, keySchema, nonEmptyString, processDefinitionIdSchema, tenantIdSchema, variablesSchema } from './validation.ts';
import * as wire from './wire.ts';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * The 8.8 creation instruction (by id or by key). Every property the spec lists is accepted so
 * Camunda's client passes, including the defaults it fills in (processDefinitionVersion -1,
 * awaitCompletion false, requestTimeout "0"); features the seam cannot carry are refused when
 * actually used instead of being dropped.
 */
const createBody = closedObject({
  processDefinitionId: processDefinitionIdSchema,
  processDefinitionVersion: { type: 'integer', minimum: -1, maximum: 2_147_483_647 },
  processDefinitionKey: keySchema,
  variables: variablesSchema,
  tenantId: tenantIdSchema,
  operationReference: int64(1, MAX_SAFE),
  startInstructions: { type: 'array', maxItems: 100 },
  runtimeInstructions: { type: 'array', maxItems: 100 },
  awaitCompletion: { type: 'boolean' },
  fetchVariables: { type: 'array', maxItems: 1000, items: nonEmptyString() },
  requestTimeout: int64(0, MAX_SAFE),
  tags: { type: 'array', maxItems: 10 },
});

/** Spec features the Runtime seam cannot carry: accepted when empty/off, refused when used. */
const UNSUPPORTED = ['startInstructions', 'runtimeInstructions', 'tags'] as const;

interface CreateBody {
  processDefinitionId?: string;
  processDefinitionVersion?: number;
  processDefinitionKey?: string;
  variables?: Record<string, unknown>;
  tenantId?: string;
  awaitCompletion?: boolean;
  startInstructions?: unknown[];
  runtimeInstructions?: unknown[];
  tags?: unknown[];
}

function refineCreate(body: CreateBody): string | undefined {
  const byId = body.processDefinitionId !== undefined;
  const byKey = body.processDefinitionKey !== undefined;
  if (byId === byKey) return 'body must contain exactly one of processDefinitionId or processDefinitionKey';
  if (byKey && body.processDefinitionVersion !== undefined) return 'body/processDefinitionVersion is only allowed with processDefinitionId';
  if (body.processDefinitionVersion === 0) return 'body/processDefinitionVersion must be >= 1 (or -1 for the latest version)';
  if (body.awaitCompletion === true) return 'body/awaitCompletion is not supported by Gridflow yet';
  for (const field of UNSUPPORTED) {
    if ((body[field]?.length ?? 0) > 0) return `body/${field} is not supported by Gridflow yet`;
  }
  return undefined;
}

const filter = {
  processDefinitionId: filterField.string(processDefinitionIdSchema),
  processDefinitionKey: filterField.key(keySchema),
  processDefinitionVersion: filterField.integer(1, 2_147_483_647),
  processInstanceKey: filterField.key(keySchema),
  parentProcessInstanceKey: filterField.key(keySchema),
  parentElementInstanceKey: filterField.key(keySchema),
  state: filterField.enum(['ACTIVE', 'COMPLETED', 'TERMINATED']),
  tenantId: filterField.string(tenantIdSchema),
  hasIncident: filterField.boolean(),
  startDate: filterField.dateTime(),
  endDate: filterField.dateTime(),
};

// What the runtime can sort by (Camunda also sorts by processDefinitionName and ...VersionTag).
const sortFields = [
  'processInstanceKey', 'processDefinitionId', 'processDefinitionVersion', 'processDefinitionKey', 'parentProcessInstanceKey',
  'parentElementInstanceKey', 'startDate', 'endDate', 'state', 'hasIncident', 'tenantId',
] as const;

export function processInstanceRoutes(r: Routes, runtime: Runtime): void {
  r.post('/process-instances', {
    schemas: { body: createBody, bodyRequired: true, refine: (req) => refineCreate(req.body as CreateBody) },
  }, async (req, res) => {
    const b = req.body as CreateBody;
    const create: CreateProcessInstance = {};
    if (b.processDefinitionId !== undefined) create.processDefinitionId = b.processDefinitionId;
    if (b.processDefinitionVersion !== undefined && b.processDefinitionVersion !== -1) create.processDefinitionVersion = b.processDefinitionVersion;
    if (b.processDefinitionKey !== undefined) create.processDefinitionKey = b.processDefinitionKey;
    if (b.variables !== undefined) create.variables = b.variables;
    if (b.tenantId !== undefined) create.tenantId = b.tenantId;
    ok(res, wire.omitNulls(await runtime.createProcessInstance(create)));
  });

  r.post('/process-instances/search', { search: true, schemas: { body: searchBodySchema(filter, sortFields) } }, async (req, res) => {
    const result = await runtime.searchProcessInstances(toSearchQuery<ProcessInstanceFilter>(req.body));
    ok(res, wire.page(result, wire.processInstance));
  });

  r.get('/process-instances/:processInstanceKey', { schemas: { params: keyParams('processInstanceKey') } }, async (req, res) => {
    ok(res, wire.processInstance(await runtime.getProcessInstance(param(req, 'processInstanceKey'))));
  });

  r.post('/process-instances/:processInstanceKey/cancellation', {
    schemas: { params: keyParams('processInstanceKey'), body: closedObject({ operationReference: int64(1, MAX_SAFE) }) },
  }, async (req, res) => {
    await runtime.cancelProcessInstance(param(req, 'processInstanceKey'));
    noContent(res);
  });

  // Gridflow extension (not part of Camunda's API): the instance's audit trail, oldest first,
  // as recorded by the runtime: element activations/completions, variable changes, user task
  // completions (with who completed them), jobs, incidents, messages and timers.
  r.get('/process-instances/:processInstanceKey/history', { schemas: { params: keyParams('processInstanceKey') } }, async (req, res) => {
    const entries = await runtime.history(param(req, 'processInstanceKey'));
    ok(res, { items: entries });
  });
}
