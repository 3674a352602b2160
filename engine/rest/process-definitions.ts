// Process definitions: search, get by key, BPMN XML.

import type { ProcessDefinitionFilter, Runtime } from '../runtime.ts';
import { ok, param, type Routes } from './routes.ts';
import { filterField, searchBodySchema, toSearchQuery } from './search.ts';
import { keyParams, keySchema, nonEmptyString, processDefinitionIdSchema, tenantIdSchema } from './validation.ts';
import * as wire from './wire.ts';

const filter = {
  processDefinitionId: filterField.string(processDefinitionIdSchema),
  processDefinitionKey: filterField.key(keySchema),
  version: filterField.integer(1, 2_147_483_647),
  name: filterField.string(nonEmptyString()),
  resourceName: filterField.string(nonEmptyString()),
  versionTag: filterField.string(nonEmptyString()),
  tenantId: filterField.string(tenantIdSchema),
  isLatestVersion: filterField.boolean(),
};

const sortFields = ['processDefinitionKey', 'name', 'resourceName', 'version', 'versionTag', 'processDefinitionId', 'tenantId'] as const;

export function processDefinitionRoutes(r: Routes, runtime: Runtime): void {
  r.post('/process-definitions/search', { access: 'definitions.read', search: true, schemas: { body: searchBodySchema(filter, sortFields) } }, async (req, res) => {
    const result = await runtime.searchProcessDefinitions(toSearchQuery<ProcessDefinitionFilter>(req.body));
    ok(res, wire.page(result));
  });

  r.get('/process-definitions/:processDefinitionKey', { access: 'definitions.read', schemas: { params: keyParams('processDefinitionKey') } }, async (req, res) => {
    ok(res, wire.omitNulls(await runtime.getProcessDefinition(param(req, 'processDefinitionKey'))));
  });

  r.get('/process-definitions/:processDefinitionKey/xml', { access: 'definitions.read', schemas: { params: keyParams('processDefinitionKey') } }, async (req, res) => {
    const xml = await runtime.getProcessDefinitionXml(param(req, 'processDefinitionKey'));
    res.status(200).type('text/xml').send(xml);
  });
}
