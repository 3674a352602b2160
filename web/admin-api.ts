// What the admin pages need beside /v2 and /api/forms (administrators only):
//   GET /api/admin/programmes                       the shipped programmes' diagrams (processes/diagrams/*.bpmn)
//   GET /api/admin/programmes/:file                 one of them, as BPMN XML: a starting point for a new diagram
//   GET /api/admin/processes/:processId/versions    every deployed version of a process, latest first, with its open instances (none: empty)
//   GET /api/admin/form-links                       which user tasks and start events of which process versions link which form
// Definitions never change once deployed, so what a version links is read from its XML once.

import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import type { Runtime } from '../engine/runtime.ts';
import { parseBpmn, readProcess } from '../engine/model/index.ts';
import { list } from '../engine/model/moddle.ts';
import { requirePermission } from '../engine/rest/access.ts';
import { HttpProblem } from '../engine/rest/problem.ts';
import { closedObject, processDefinitionIdSchema, validate } from '../engine/rest/validation.ts';
import type { Feature } from './feature.ts';

const DIAGRAMS = fileURLToPath(new URL('../processes/diagrams/', import.meta.url));
const FILE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}\\.bpmn$';

/** One element of a process version that links a form. */
export interface FormLink {
  formId: string;
  bindingType: string;
  versionTag: string | null;
  processDefinitionId: string;
  processDefinitionKey: string;
  processName: string | null;
  version: number;
  latestVersion: boolean;
  elementId: string;
  elementName: string | null;
  elementType: string;
}

type Linked = Omit<FormLink, 'processDefinitionKey' | 'version' | 'latestVersion' | 'processName'>;

/** Every definition, every page of it (the search pages at most 1000 at a time). */
async function allDefinitions(runtime: Runtime) {
  const out = [];
  for (let from = 0; ; from += 1000) {
    const page = await runtime.searchProcessDefinitions({ page: { from, limit: 1000 }, sort: [{ field: 'version', order: 'DESC' }] });
    out.push(...page.items);
    if (page.items.length < 1000) return out;
  }
}

async function linksOf(xml: string, processDefinitionId: string): Promise<Linked[]> {
  const { definitions } = await parseBpmn(xml);
  const process = list(definitions, 'rootElements').find((e) => e.$type === 'bpmn:Process' && e.id === processDefinitionId);
  if (!process) return [];
  const { model } = readProcess(process);
  return Object.values(model.elements).flatMap((e) => {
    const formId = e.formDefinition?.formId;
    if (!formId) return [];
    return [{
      formId, bindingType: e.formDefinition!.bindingType || 'latest', versionTag: e.formDefinition!.versionTag,
      processDefinitionId, elementId: e.id, elementName: e.name ?? null, elementType: e.type,
    }];
  });
}

/** The name of a shipped diagram's first process (for the list), without reading it as a model. */
function titleOf(xml: string): { processId: string | null; name: string | null } {
  const m = /<(?:bpmn2?:)?process\b([^>]*)>/.exec(xml);
  const attr = (n: string) => new RegExp(`\\b${n}="([^"]*)"`).exec(m?.[1] ?? '')?.[1] ?? null;
  const unescape = (s: string | null) => s?.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&') ?? null;
  return { processId: attr('id'), name: unescape(attr('name')) };
}

export function adminRoutes(runtime: Runtime): Router {
  const router = express.Router();
  const linksByKey = new Map<string, Promise<Linked[]>>();
  const deployers = requirePermission('deploy');

  router.get('/admin/programmes', deployers, validate({}), async (_req, res) => {
    let files: string[] = [];
    try {
      files = (await readdir(DIAGRAMS)).filter((f) => new RegExp(FILE_PATTERN).test(f)).sort();
    } catch {
      // No programmes shipped (yet): an empty list.
    }
    const items = await Promise.all(files.map(async (file) => ({ file, ...titleOf(await readFile(DIAGRAMS + file, 'utf8')) })));
    res.json({ items });
  });

  router.get('/admin/programmes/:file', deployers, validate({ params: closedObject({ file: { type: 'string', pattern: FILE_PATTERN, 'x-message': 'must be the file name of a shipped diagram (name.bpmn)' } }, ['file']) }), async (req, res) => {
    const file = String(req.params.file);
    let xml: string;
    try {
      xml = await readFile(DIAGRAMS + file, 'utf8');
    } catch {
      throw new HttpProblem(404, 'NOT_FOUND', `No shipped diagram '${file}'`);
    }
    res.type('application/xml').send(xml);
  });

  router.get('/admin/processes/:processId/versions', deployers, validate({ params: closedObject({ processId: processDefinitionIdSchema }, ['processId']) }), async (req, res) => {
    const processId = String(req.params.processId);
    const page = await runtime.searchProcessDefinitions({ filter: { processDefinitionId: processId }, sort: [{ field: 'version', order: 'DESC' }], page: { limit: 1000 } });
    const items = await Promise.all(page.items.map(async (d) => {
      const active = await runtime.searchProcessInstances({ filter: { processDefinitionKey: d.processDefinitionKey, state: 'ACTIVE' }, page: { limit: 1 } });
      return { ...d, activeInstances: active.page.totalItems };
    }));
    res.json({ items });
  });

  router.get('/admin/form-links', requirePermission('forms.manage'), validate({ query: closedObject({ formId: { type: 'string', minLength: 1, maxLength: 255 } }) }), async (req, res) => {
    const wanted = typeof req.query.formId === 'string' ? req.query.formId : null;
    const definitions = await allDefinitions(runtime);
    const latest = new Map<string, number>();
    for (const d of definitions) latest.set(`${d.tenantId}/${d.processDefinitionId}`, Math.max(latest.get(`${d.tenantId}/${d.processDefinitionId}`) ?? 0, d.version));
    const items: FormLink[] = [];
    for (const d of definitions) {
      let links = linksByKey.get(d.processDefinitionKey);
      if (!links) {
        links = runtime.getProcessDefinitionXml(d.processDefinitionKey).then((xml) => linksOf(xml, d.processDefinitionId)).catch(() => []);
        linksByKey.set(d.processDefinitionKey, links);
      }
      for (const l of await links) {
        if (wanted !== null && l.formId !== wanted) continue;
        items.push({
          ...l, processDefinitionKey: d.processDefinitionKey, processName: d.name, version: d.version,
          latestVersion: latest.get(`${d.tenantId}/${d.processDefinitionId}`) === d.version,
        });
      }
    }
    res.json({ items });
  });

  return router;
}

export const adminFeature: Feature = {
  name: 'admin',
  api: (ctx) => adminRoutes(ctx.runtime),
};
