// Gridflow's own forms API, /api/forms (administrators: the `forms.manage` permission):
//   GET  /api/forms                              every form, latest version of each
//   GET  /api/forms/:formId                      the latest version, with its schema
//   GET  /api/forms/:formId/versions             every version, latest first
//   GET  /api/forms/:formId/versions/:version    one version, with its schema
//   POST /api/forms                              create or version a form (the form-js schema as the body)
//   POST /api/forms/preview                      what the form designer shows: fields and verdict of a test submission
// Forms are deployed through the runtime (`.form` resources, versioned there: identical content
// keeps its version); schemas are checked with forms/checkFormSchema first, every problem named by
// component and property. Every path, query and body is validated with ajv; errors are
// problem+json as on /v2.

import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { FormVersion, Runtime } from '../engine/runtime.ts';
import { auditAsCaller, authenticateRequests, requirePermission, type AuditRecord } from '../engine/rest/access.ts';
import { HttpProblem, sendProblem } from '../engine/rest/problem.ts';
import { closedObject, jsonShapeGuard, requireJsonContentType, validate } from '../engine/rest/validation.ts';
import { checkFormSchema, compileForm, FormSchemaError, validateSubmission, type Locale, type SchemaProblem } from '../forms/index.ts';
import type { Identity } from './identity/identity.ts';

/** A form id as the runtime accepts it in a .form resource. */
const FORM_ID_PATTERN = '^[A-Za-z_][\\w.-]{0,254}$';
const formIdSchema = { type: 'string', pattern: FORM_ID_PATTERN, 'x-message': "must be a form id: a letter or _ followed by letters, digits, '_', '-' or '.' (at most 255)" } as const;
const versionSchema = { type: 'string', pattern: '^[1-9][0-9]{0,8}$', 'x-message': 'must be a version number (1 or more)' } as const;

const formParams = closedObject({ formId: formIdSchema }, ['formId']);
const versionParams = closedObject({ formId: formIdSchema, version: versionSchema }, ['formId', 'version']);

/** The body of POST /api/forms: a form-js schema with an `id`; checkFormSchema checks the rest. */
const formBody = {
  type: 'object',
  required: ['id', 'components'],
  properties: {
    id: formIdSchema,
    components: { type: 'array' },
    versionTag: { type: 'string', minLength: 1, maxLength: 256 },
  },
} as const;

const jsonObject = { type: 'object' } as const;
const previewBody = closedObject({ schema: jsonObject, data: jsonObject, variables: jsonObject, locale: { enum: ['en', 'zh'] } }, ['schema']);

/** A form version as the API lists it (no schema). */
export interface FormSummary { formId: string; version: number; formKey: string; versionTag: string | null; resourceName: string; tenantId: string }

const summary = (f: FormVersion): FormSummary => ({
  formId: f.formId, version: f.version, formKey: f.formKey, versionTag: f.versionTag, resourceName: f.resourceName, tenantId: f.tenantId,
});
const withSchema = (f: FormVersion) => ({ ...summary(f), deploymentKey: f.deploymentKey, schema: JSON.parse(f.schema) as unknown });

/** 400 problem+json listing every problem of a form schema, each with its component and property. */
class SchemaProblems extends Error {
  constructor(readonly problems: SchemaProblem[]) {
    super(`Invalid form schema: ${problems.map((p) => `${p.componentId}${p.property ? ` (${p.property})` : ''}: ${p.message}`).join('; ')}`);
  }
}

const wrap = (fn: (req: Request, res: Response) => Promise<void>): RequestHandler => (req, res, next) => {
  fn(req, res).catch((err: unknown) => {
    if (err instanceof SchemaProblems || err instanceof FormSchemaError) {
      sendProblem(req, res, 400, 'INVALID_ARGUMENT', err.message, { problems: err.problems });
      return;
    }
    next(err);
  });
};

function checked(schema: unknown): void {
  const problems = checkFormSchema(schema);
  if (problems.length > 0) throw new SchemaProblems(problems);
}

/** Forms made here go to the default tenant, and the API reads them there (Camunda's '<default>'). */
const TENANT = '<default>';

const notFound = (detail: string) => new HttpProblem(404, 'NOT_FOUND', detail);

export function formsRoutes(runtime: Runtime, identity: Identity): Router {
  const router = express.Router();
  const admin = [authenticateRequests(identity), requirePermission('forms.manage')];
  const audit = (req: Request, res: Response, record: Omit<AuditRecord, 'actor'>) => auditAsCaller((r, q) => identity.audit(r, q), req, res, record);
  const versionsOf = async (formId: string) => {
    const versions = (await runtime.searchForms({ formId, tenantId: TENANT })).filter((f) => f.formId === formId && f.tenantId === TENANT);
    if (versions.length === 0) throw notFound(`Form '${formId}' not found`);
    return versions.sort((a, b) => b.version - a.version);
  };

  router.get('/', ...admin, validate({}), wrap(async (_req, res) => {
    const latest = new Map<string, FormVersion>();
    for (const f of await runtime.searchForms({})) {
      const id = `${f.tenantId}/${f.formId}`;
      const seen = latest.get(id);
      if (!seen || seen.version < f.version) latest.set(id, f);
    }
    const items = [...latest.values()].sort((a, b) => (a.formId < b.formId ? -1 : a.formId > b.formId ? 1 : 0)).map(summary);
    res.json({ items });
  }));

  router.post('/', ...admin, requireJsonContentType, jsonShapeGuard, validate({ body: formBody, bodyRequired: true }), wrap(async (req, res) => {
    const schema = req.body as { id: string };
    checked(schema);
    const before = (await runtime.searchForms({ formId: schema.id, tenantId: TENANT })).filter((f) => f.formId === schema.id && f.tenantId === TENANT);
    const previous = before.reduce((max, f) => Math.max(max, f.version), 0);
    const resourceName = `${schema.id}.form`;
    const deployment = await runtime.deploy([{ name: resourceName, content: JSON.stringify(schema) }], TENANT);
    const item = deployment.deployments.find((d) => 'form' in d && d.form.formId === schema.id);
    if (!item || !('form' in item)) throw new Error(`deployment ${deployment.deploymentKey} returned no form '${schema.id}'`);
    const created = item.form.version > previous;
    const stored = (await runtime.searchForms({ formId: schema.id, tenantId: TENANT })).find((f) => f.formKey === item.form.formKey);
    if (created) {
      await audit(req, res, {
        action: 'deployment.create',
        target: `deployment/${deployment.deploymentKey}`,
        after: {
          resources: [{ name: resourceName, bytes: Buffer.byteLength(JSON.stringify(schema)) }],
          deployed: [{ formId: item.form.formId, version: item.form.version, key: item.form.formKey }],
        },
        detail: { via: 'POST /api/forms' },
      });
    }
    res.status(created ? 201 : 200).json({
      formId: item.form.formId, version: item.form.version, formKey: item.form.formKey,
      versionTag: stored?.versionTag ?? null, resourceName: item.form.resourceName, tenantId: item.form.tenantId,
      deploymentKey: deployment.deploymentKey, created,
    });
  }));

  router.post('/preview', ...admin, requireJsonContentType, jsonShapeGuard, validate({ body: previewBody, bodyRequired: true }), wrap(async (req, res) => {
    const b = req.body as { schema: unknown; data?: Record<string, unknown>; variables?: Record<string, unknown>; locale?: Locale };
    checked(b.schema);
    const locale: Locale = b.locale ?? (req.acceptsLanguages('en', 'zh') === 'zh' ? 'zh' : 'en');
    const variables = b.variables ?? {};
    const data = b.data ?? {};
    const result = validateSubmission(b.schema, data, variables, { extraKeys: 'refuse', locale });
    // A submission refused as a whole (too large, not JSON data) is not laid over the form.
    const whole = !result.ok && result.errors.some((e) => ['NOT_AN_OBJECT', 'NOT_JSON', 'TOO_LARGE'].includes(e.code));
    const { fields } = compileForm(b.schema, variables, { ...(whole ? {} : { data }), extraKeys: 'refuse' });
    res.json({ fields, ok: result.ok, errors: result.ok ? [] : result.errors });
  }));

  router.get('/:formId', ...admin, validate({ params: formParams }), wrap(async (req, res) => {
    const [latest] = await versionsOf(String(req.params.formId));
    res.json(withSchema(latest!));
  }));

  router.get('/:formId/versions', ...admin, validate({ params: formParams }), wrap(async (req, res) => {
    res.json({ items: (await versionsOf(String(req.params.formId))).map(summary) });
  }));

  router.get('/:formId/versions/:version', ...admin, validate({ params: versionParams }), wrap(async (req, res) => {
    const version = Number(req.params.version);
    const found = (await versionsOf(String(req.params.formId))).find((f) => f.version === version);
    if (!found) throw notFound(`Form '${req.params.formId}' has no version ${version}`);
    res.json(withSchema(found));
  }));

  return router;
}
