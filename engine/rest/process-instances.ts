// Process instances: create, cancel, search, get, and Gridflow's history extension.

import type { CreateProcessInstance, ProcessInstanceFilter } from '../runtime.ts';
import { describe, forbidden, principalOf, type Principal } from './access.ts';
import type { RestContext } from './context.ts';
import { invalidArgument } from './problem.ts';
import { gridIdOf } from './scope.ts';
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

/**
 * The grid rule for new instances: a caller who is not zone-wide starts instances in its own
 * grids only. `variables.gridId`, when given, must be one of them; when absent it is filled in
 * for a caller with exactly one grid, asked for from a caller with several, and left out for a
 * caller with none (e.g. a department officer: the instance is then visible only to zone-wide
 * roles and to those who take part in its tasks).
 */
function applyGridRule(p: Principal, variables: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (p.zoneWide) return variables;
  if (variables !== undefined && 'gridId' in variables) {
    const grid = gridIdOf(JSON.stringify(variables.gridId ?? null));
    if (grid === null || !p.grids.includes(grid)) {
      throw forbidden(`${describe(p)} may start instances only in its own grids (${p.grids.map((g) => `grid-${g}`).join(', ') || 'none'}), not with gridId ${JSON.stringify(variables.gridId)}`);
    }
    return variables;
  }
  if (p.grids.length === 1) {
    const grid = p.grids[0]!;
    return { ...variables, gridId: /^[0-9]{1,15}$/.test(grid) ? Number(grid) : grid };
  }
  if (p.grids.length > 1) throw invalidArgument(`body/variables/gridId is required: the caller belongs to several grids (${p.grids.join(', ')})`);
  return variables;
}

export function processInstanceRoutes(r: Routes, ctx: RestContext): void {
  const runtime = ctx.runtime;
  r.post('/process-instances', {
    access: 'instances.start',
    schemas: { body: createBody, bodyRequired: true, refine: (req) => refineCreate(req.body as CreateBody) },
  }, async (req, res) => {
    const b = req.body as CreateBody;
    const create: CreateProcessInstance = {};
    if (b.processDefinitionId !== undefined) create.processDefinitionId = b.processDefinitionId;
    if (b.processDefinitionVersion !== undefined && b.processDefinitionVersion !== -1) create.processDefinitionVersion = b.processDefinitionVersion;
    if (b.processDefinitionKey !== undefined) create.processDefinitionKey = b.processDefinitionKey;
    const variables = applyGridRule(principalOf(res), b.variables);
    if (variables !== undefined) create.variables = variables;
    if (b.tenantId !== undefined) create.tenantId = b.tenantId;
    ok(res, wire.omitNulls(await runtime.createProcessInstance(create)));
  });

  r.post('/process-instances/search', { access: 'instances.read', search: true, schemas: { body: searchBodySchema(filter, sortFields) } }, async (req, res) => {
    const scope = ctx.scope(res);
    const result = await scope.search(toSearchQuery<ProcessInstanceFilter>(req.body), (q) => runtime.searchProcessInstances(q), (pi) => scope.canSeeInstance(pi.processInstanceKey));
    ok(res, wire.page(result, wire.processInstance));
  });

  r.get('/process-instances/:processInstanceKey', { access: 'instances.read', schemas: { params: keyParams('processInstanceKey') } }, async (req, res) => {
    const key = param(req, 'processInstanceKey');
    const instance = await runtime.getProcessInstance(key);
    await ctx.scope(res).requireInstance(key);
    ok(res, wire.processInstance(instance));
  });

  r.post('/process-instances/:processInstanceKey/cancellation', {
    access: 'instances.cancel',
    schemas: { params: keyParams('processInstanceKey'), body: closedObject({ operationReference: int64(1, MAX_SAFE) }) },
  }, async (req, res) => {
    const key = param(req, 'processInstanceKey');
    const scope = ctx.scope(res);
    if (!(await scope.inGrid(key))) {
      throw forbidden(`${describe(scope.principal)} may cancel process instances of its own grids only; instance ${key} is not in them`);
    }
    await runtime.cancelProcessInstance(key);
    await ctx.audit(req, res, { action: 'instance.cancel', target: `process-instance/${key}`, after: { state: 'TERMINATED' } });
    noContent(res);
  });

  // Gridflow extension (not part of Camunda's API): the instance's audit trail, oldest first,
  // as recorded by the runtime: element activations/completions, variable changes, user task
  // completions (with who completed them), jobs, incidents, messages and timers.
  r.get('/process-instances/:processInstanceKey/history', { access: 'instances.read', schemas: { params: keyParams('processInstanceKey') } }, async (req, res) => {
    const key = param(req, 'processInstanceKey');
    const scope = ctx.scope(res);
    if (!scope.unrestricted) {
      await runtime.getProcessInstance(key); // 404 for an instance that does not exist
      await scope.requireInstance(key);
    }
    const entries = await runtime.history(key);
    ok(res, { items: entries });
  });
}
