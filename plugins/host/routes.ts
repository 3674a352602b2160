// /api/plugins (administrators: `plugins.manage`):
//   GET  /api/plugins                   installed plugins: job types, templates, status, health; and those that failed to load
//   GET  /api/plugins/templates         every enabled plugin's Camunda element templates, one array (the modeler loads it)
//   GET  /api/plugins/:id               one plugin, with its templates and settings schema
//   POST /api/plugins/:id/enable        serve its job types, offer its templates
//   POST /api/plugins/:id/disable       stop serving them (deployments then warn about them)
//   GET  /api/plugins/:id/settings      its settings and their schema
//   PUT  /api/plugins/:id/settings      replace its settings, validated by its settings schema
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { auditAsCaller, principalOf, requirePermission, type AuditRecord } from '../../engine/rest/access.ts';
import { HttpProblem } from '../../engine/rest/problem.ts';
import { closedObject, jsonShapeGuard, requireJsonContentType, validate } from '../../engine/rest/validation.ts';
import type { Auth } from '../../web/access/setup.ts';
import type { PluginHost } from './host.ts';
import { keepWriteOnly, maskWriteOnly } from './write-only.ts';

const idParams = closedObject({ id: { type: 'string', pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$', maxLength: 64, 'x-message': 'must be a plugin id (lowercase letters, digits and dashes)' } }, ['id']);

const wrap = (fn: (req: Request, res: Response) => Promise<void>): RequestHandler => (req, res, next) => { fn(req, res).catch(next); };

export function pluginRoutes(host: PluginHost, auth: Auth): Router {
  const router = express.Router();
  const admin = requirePermission('plugins.manage');
  const audit = (req: Request, res: Response, record: Omit<AuditRecord, 'actor'>) => auditAsCaller((r, q) => auth.identity.audit(r, q), req, res, record);
  const entry = (req: Request) => {
    const e = host.get(String(req.params.id));
    if (!e) throw new HttpProblem(404, 'NOT_FOUND', `Plugin '${String(req.params.id)}' is not installed`);
    return e;
  };

  router.get('/plugins', admin, validate({}), (_req, res) => { res.json(host.list()); });
  router.get('/plugins/templates', admin, validate({}), (_req, res) => { res.json(host.templates()); });

  router.get('/plugins/:id', admin, validate({ params: idParams }), (req, res) => {
    const e = entry(req);
    res.json({ ...host.summary(e), templates: e.plugin!.templates, settingsSchema: e.plugin!.manifest.settings?.schema ?? null });
  });

  for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
    router.post(`/plugins/:id/${verb}`, admin, requireJsonContentType, validate({ params: idParams }), wrap(async (req, res) => {
      const e = entry(req);
      if (!e.plugin) throw new HttpProblem(409, 'INVALID_STATE', `Plugin '${e.id}' failed to load: ${e.error}`);
      const before = e.enabled;
      await host.setEnabled(e.id, enabled, principalOf(res).id);
      if (before !== enabled) await audit(req, res, { action: `plugin.${verb}`, target: `plugin/${e.id}`, before: { enabled: before }, after: { enabled } });
      res.json(host.summary(e));
    }));
  }

  router.get('/plugins/:id/settings', admin, validate({ params: idParams }), wrap(async (req, res) => {
    const e = entry(req);
    const schema = e.plugin!.manifest.settings?.schema;
    res.json({ settings: maskWriteOnly(schema, await host.settingsOf(e)), schema: schema ?? null });
  }));

  router.put('/plugins/:id/settings', admin, requireJsonContentType, jsonShapeGuard, validate({ params: idParams, body: { type: 'object' }, bodyRequired: true }), wrap(async (req, res) => {
    const e = entry(req);
    if (!e.plugin!.manifest.settings) throw new HttpProblem(400, 'INVALID_ARGUMENT', `Plugin '${e.id}' has no settings`);
    const { schema } = e.plugin!.manifest.settings;
    const stored = await host.settingsOf(e);
    const settings = keepWriteOnly(schema, req.body as Record<string, unknown>, stored);
    const problems = e.plugin!.checkSettings(settings);
    if (problems.length) throw new HttpProblem(400, 'INVALID_ARGUMENT', `Settings of plugin '${e.id}' are invalid: ${problems.join('; ')}`);
    await host.setSettings(e.id, settings, principalOf(res).id);
    // Names only: settings may hold credentials (placeholders, ideally) that the trail must not keep.
    await audit(req, res, { action: 'plugin.settings.update', target: `plugin/${e.id}`, before: { keys: Object.keys(stored) }, after: { keys: Object.keys(settings) } });
    res.json({ settings: maskWriteOnly(schema, settings), schema });
  }));

  return router;
}
