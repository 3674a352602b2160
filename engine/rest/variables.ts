// POST /v2/variables/search (query: truncateValues, default true as in Camunda).

import type { VariableFilter } from '../runtime.ts';
import type { RestContext } from './context.ts';
import { ok, type Routes } from './routes.ts';
import { filterField, searchBodySchema, toSearchQuery } from './search.ts';
import { boundedString, closedObject, keySchema, nonEmptyString, tenantIdSchema } from './validation.ts';
import * as wire from './wire.ts';

const filter = {
  name: filterField.string(nonEmptyString()),
  // The JSON-serialised value, as search results carry it (e.g. '"text"', '42', 'true').
  value: filterField.string(boundedString(8192)),
  variableKey: filterField.key(keySchema),
  scopeKey: filterField.key(keySchema),
  processInstanceKey: filterField.key(keySchema),
  tenantId: filterField.string(tenantIdSchema),
};

const sortFields = ['value', 'name', 'tenantId', 'variableKey', 'scopeKey', 'processInstanceKey'] as const;

export function variableRoutes(r: Routes, ctx: RestContext): void {
  r.post('/variables/search', {
    access: 'instances.read',
    search: true,
    schemas: {
      query: closedObject({ truncateValues: { enum: ['true', 'false'] } }),
      body: searchBodySchema(filter, sortFields),
    },
  }, async (req, res) => {
    const truncate = req.query.truncateValues !== 'false';
    const scope = ctx.scope(res);
    const result = await scope.search(toSearchQuery<VariableFilter>(req.body), (q) => ctx.runtime.searchVariables(q), (v) => scope.canSeeInstance(v.processInstanceKey));
    ok(res, wire.page(result, (v) => wire.variable(v, truncate)));
  });
}
