// Starting a process from its start form: GET /api/start-forms lists the latest version of every
// process whose start event has a form; GET /api/start-forms/{processDefinitionKey} gives the
// form; POST validates the submission on the server (the form's own rules, as for task
// completions) and starts the instance in the caller's grid (the rule of POST /v2/process-instances).
import express, { type Request, type Response } from 'express';
import { actorOf, describe, forbidden, principalOf, requirePermission, type Principal } from '../../../engine/rest/access.ts';
import { HttpProblem, invalidArgument } from '../../../engine/rest/problem.ts';
import { gridIdOf } from '../../../engine/rest/scope.ts';
import { closedObject, validate } from '../../../engine/rest/validation.ts';
import { parseBpmn, readProcess } from '../../../engine/model/index.ts';
import { list } from '../../../engine/model/moddle.ts';
import { RuntimeError, type ProcessDefinition, type Runtime } from '../../../engine/runtime.ts';
import { validateSubmission } from '../../../forms/validate.ts';
import type { FeatureContext } from '../../feature.ts';

const keyParams = closedObject({ processDefinitionKey: { type: 'string', pattern: '^[0-9]{1,19}$' } }, ['processDefinitionKey']);

interface StartForm { formId: string; version: number | null; schema: unknown }

/** The start event's form of a definition (linked by formId, or embedded), or null. */
async function startFormOf(runtime: Runtime, def: ProcessDefinition): Promise<StartForm | null> {
  if (!def.hasStartForm) return null;
  const { definitions } = await parseBpmn(await runtime.getProcessDefinitionXml(def.processDefinitionKey));
  const process = list(definitions, 'rootElements').find((e) => e.$type === 'bpmn:Process' && e.id === def.processDefinitionId);
  if (!process) return null;
  const { model } = readProcess(process);
  const start = Object.values(model.elements).find((e) => e.type === 'bpmn:StartEvent' && e.parentId === null && e.formDefinition);
  const link = start?.formDefinition;
  if (!link) return null;
  if (start.userTaskForm) return { formId: start.userTaskForm.id, version: null, schema: JSON.parse(start.userTaskForm.body) };
  if (!link.formId) return null; // an external form: not rendered here
  const versions = await runtime.searchForms({ formId: link.formId, tenantId: def.tenantId });
  const form = link.bindingType === 'versionTag' ? versions.find((v) => v.versionTag === link.versionTag) : versions[0];
  return form ? { formId: form.formId, version: form.version, schema: JSON.parse(form.schema) } : null;
}

/** The grid rule for new instances (as POST /v2/process-instances applies it). */
function withGrid(p: Principal, variables: Record<string, unknown>): Record<string, unknown> {
  if (p.zoneWide) return variables;
  if ('gridId' in variables) {
    const grid = gridIdOf(JSON.stringify(variables.gridId ?? null));
    if (grid === null || !p.grids.includes(grid)) throw forbidden(`${describe(p)} may start instances only in its own grids, not with gridId ${JSON.stringify(variables.gridId)}`);
    return variables;
  }
  if (p.grids.length === 1) return { ...variables, gridId: /^[0-9]{1,15}$/.test(p.grids[0]!) ? Number(p.grids[0]) : p.grids[0] };
  if (p.grids.length > 1) throw invalidArgument(`variables/gridId is required: the caller belongs to several grids (${p.grids.join(', ')})`);
  return variables;
}

export function startFormRoutes(ctx: FeatureContext): express.Router {
  const router = express.Router();
  const runtime = ctx.runtime;

  router.get('/start-forms', requirePermission('instances.start'), validate({}), async (_req: Request, res: Response) => {
    const items: ProcessDefinition[] = [];
    for (let from = 0; ;) {
      const page = await runtime.searchProcessDefinitions({ filter: { isLatestVersion: true }, page: { from, limit: 1000 } });
      items.push(...page.items);
      from += page.items.length;
      if (page.items.length === 0 || from >= page.page.totalItems) break;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      items: items.filter((d) => d.hasStartForm).map((d) => ({
        processDefinitionKey: d.processDefinitionKey, processDefinitionId: d.processDefinitionId, name: d.name, version: d.version, versionTag: d.versionTag,
      })),
    });
  });

  router.get('/start-forms/:processDefinitionKey', requirePermission('instances.start'), validate({ params: keyParams }), async (req: Request, res: Response) => {
    const def = await runtime.getProcessDefinition(String(req.params.processDefinitionKey));
    const form = await startFormOf(runtime, def);
    if (!form) throw new HttpProblem(404, 'NOT_FOUND', `process definition ${def.processDefinitionKey} has no start form`);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ processDefinitionKey: def.processDefinitionKey, processDefinitionId: def.processDefinitionId, name: def.name, version: def.version, form });
  });

  router.post('/start-forms/:processDefinitionKey', requirePermission('instances.start'),
    validate({ params: keyParams, bodyRequired: true, body: closedObject({ variables: { type: 'object' } }, ['variables']) }),
    async (req: Request, res: Response) => {
      const def = await runtime.getProcessDefinition(String(req.params.processDefinitionKey));
      const form = await startFormOf(runtime, def);
      if (!form) throw new HttpProblem(404, 'NOT_FOUND', `process definition ${def.processDefinitionKey} has no start form`);
      const submitted = (req.body as { variables: Record<string, unknown> }).variables;
      const options = { extraKeys: 'refuse', cacheKey: `start:${form.formId}@${form.version ?? def.processDefinitionKey}` } as const;
      const result = validateSubmission(form.schema, submitted, {}, { ...options, locale: 'en' });
      if (!result.ok) {
        const zh = validateSubmission(form.schema, submitted, {}, { ...options, locale: 'zh' });
        throw new RuntimeError(422, 'FORM_VALIDATION', `The submission breaks the start form: ${result.errors.map((e) => `${e.path || '(form)'}: ${e.message}`).join('; ')}`,
          { errors: result.errors, localized: { en: result.errors, zh: zh.ok ? result.errors : zh.errors } });
      }
      const p = principalOf(res);
      const variables = withGrid(p, { ...result.data, startedBy: p.id });
      const created = await runtime.createProcessInstance({ processDefinitionKey: def.processDefinitionKey, variables });
      if (ctx.auth !== 'unprotected') {
        await ctx.auth.identity.audit({ actor: actorOf(p), outcome: 'success', action: 'instance.create', target: `process-instance/${created.processInstanceKey}`, detail: { processDefinitionId: def.processDefinitionId, via: 'start-form' } }, req)
          .catch((err: unknown) => ctx.log(`audit append failed: ${String(err)}`));
      }
      res.status(201).json({ processInstanceKey: created.processInstanceKey, processDefinitionId: created.processDefinitionId, processDefinitionVersion: created.processDefinitionVersion });
    });

  return router;
}
