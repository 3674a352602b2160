// /api/plugins: administrators list plugins with their job types, templates, health and the ones
// that failed to load; fetch every enabled template for the modeler; enable and disable (a
// disabled plugin's job types make deployments warn); read and replace settings, validated.
// Everyone else is refused; changes are in the audit trail.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bpmn, flow, serviceTask } from './helpers/bpmn.ts';
import { ANONYMOUS, basic, deployment, startSecureApp, type SecureApp } from './helpers/secure-app.ts';
import { createPluginsFeature } from '../plugins/host/feature.ts';
import { templateProblems } from '../plugins/host/manifest.ts';

const admin = basic('admin', 'gridflow-demo');
const httpDiagram = bpmn('api_http', `<bpmn:startEvent id="s"/>${flow('f1', 's', 'call')}${serviceTask('call', 'gridflow.http.call')}${flow('f2', 'call', 'e')}<bpmn:endEvent id="e"/>`);

describe('/api/plugins', function () {
  this.timeout(60_000);
  let app: SecureApp;

  before(async () => {
    const broken = mkdtempSync(path.join(tmpdir(), 'gridflow-broken-'));
    writeFileSync(path.join(broken, 'plugin.json'), JSON.stringify({ id: 'broken', version: '1', name: { zh: '坏', en: 'Broken' }, jobTypes: [], templates: [] }));
    app = await startSecureApp('plugin_api', { features: [createPluginsFeature({ extra: [broken] })] });
  });
  after(async () => { await app?.close(); });

  it('lists the installed plugins with job types, templates, status and those that failed', async () => {
    const r = await app.call(admin, 'GET', '/api/plugins');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.items.map((p: any) => [p.id, p.status]), [['countersign', 'running'], ['department-review', 'running'], ['http-call', 'running'], ['notification', 'running']]);
    const http = r.json.items.find((p: any) => p.id === 'http-call');
    assert.deepEqual(http.name, { zh: 'HTTP 调用', en: 'HTTP call' });
    assert.deepEqual(http.jobTypes.map((j: any) => j.type), ['gridflow.http.call']);
    assert.deepEqual(http.templates.map((t: any) => t.id), ['gridflow.http-call']);
    assert.equal(http.hasSettings, true);
    assert.deepEqual(http.health, { completed: 0, failed: 0, bpmnErrors: 0, timedOut: 0, lastRunAt: null, lastError: null });
    assert.equal(r.json.failed.length, 1);
    assert.match(r.json.failed[0].error, /invalid manifest: plugin\.json\/version must match pattern/);
  });

  it('serves every enabled template as one array for the modeler', async () => {
    const r = await app.call(admin, 'GET', '/api/plugins/templates');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.map((t: any) => t.id).sort(), ['gridflow.countersign', 'gridflow.department-review', 'gridflow.http-call', 'gridflow.notify-email', 'gridflow.stats-enrolment-rules']);
    for (const t of r.json) assert.deepEqual(templateProblems(t), []);
  });

  it('only administrators: 401 anonymous, 403 for others, naming the permission', async () => {
    assert.equal((await app.call(ANONYMOUS, 'GET', '/api/plugins')).status, 401);
    const officer = await app.call(basic('officer', 'gridflow-demo'), 'GET', '/api/plugins/templates');
    assert.equal(officer.status, 403);
    assert.match(officer.json.detail, /lacks the permission 'plugins\.manage'/);
    assert.equal((await app.call(basic('demo-worker', 'demo-worker-secret'), 'POST', '/api/plugins/http-call/disable')).status, 403);
    const session = await app.login('committee', 'gridflow-demo');
    assert.equal((await app.call(session, 'PUT', '/api/plugins/http-call/settings', { defaultTimeoutMs: 500 })).status, 403);
  });

  it('disabling stops its job types (deployments warn) and hides its templates; enabling brings them back', async () => {
    const off = await app.call(admin, 'POST', '/api/plugins/http-call/disable');
    assert.equal(off.status, 200);
    assert.equal(off.json.status, 'disabled');
    assert.ok(!(await app.call(admin, 'GET', '/api/plugins/templates')).json.some((t: any) => t.id === 'gridflow.http-call'));
    const deployed = await app.call(admin, 'POST', '/v2/deployments', deployment(['http.bpmn', httpDiagram]));
    assert.equal(deployed.status, 200, deployed.text);
    assert.equal(deployed.json.warnings.length, 1);
    assert.match(deployed.json.warnings[0], /Element 'call' of process 'api_http' uses job type 'gridflow\.http\.call', which no in-process handler serves; an external worker must\./);

    const on = await app.call(admin, 'POST', '/api/plugins/http-call/enable');
    assert.equal(on.json.status, 'running');
    const again = await app.call(admin, 'POST', '/v2/deployments', deployment(['http.bpmn', httpDiagram]));
    assert.equal(again.json.warnings, undefined);
    assert.ok((await app.call(admin, 'GET', '/api/plugins/templates')).json.some((t: any) => t.id === 'gridflow.http-call'));

    const trail = (await app.call(admin, 'GET', '/api/audit?limit=1000')).json.items as any[];
    assert.deepEqual(trail.filter((e) => e.target === 'plugin/http-call').map((e) => [e.action, e.actor.id]), [['plugin.disable', 'admin'], ['plugin.enable', 'admin']]);
  });

  it('health counts the jobs a plugin ran', async () => {
    const { processInstanceKey } = await app.runtime.createProcessInstance({ processDefinitionId: 'api_http', variables: {} });
    for (let i = 0; i < 200; i++) {
      if ((await app.runtime.searchIncidents({ filter: { processInstanceKey } })).items.length) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const one = await app.call(admin, 'GET', '/api/plugins/http-call');
    assert.equal(one.status, 200);
    assert.equal(one.json.health.failed, 1);
    assert.match(one.json.health.lastError.message, /input 'url' is missing/);
    assert.equal(one.json.templates[0].id, 'gridflow.http-call');
    assert.equal(one.json.settingsSchema.type, 'object');
  });

  it('settings: read, replace when valid, refuse what the schema refuses, naming the field', async () => {
    const before = await app.call(admin, 'GET', '/api/plugins/notification/settings');
    assert.equal(before.status, 200);
    assert.equal(before.json.settings.port, 25);
    const bad = await app.call(admin, 'PUT', '/api/plugins/notification/settings', { host: 'smtp.zone.example.cn', port: 'twenty-five' });
    assert.equal(bad.status, 400);
    assert.match(bad.json.detail, /Settings of plugin 'notification' are invalid: settings\/port must be integer/);
    const unknown = await app.call(admin, 'PUT', '/api/plugins/notification/settings', { hots: 'typo' });
    assert.match(unknown.json.detail, /must NOT have additional properties \('hots'\)/);
    const ok = await app.call(admin, 'PUT', '/api/plugins/notification/settings', { host: 'smtp.zone.example.cn', port: 465, secure: true, password: '{{secrets.SMTP_PASSWORD}}' });
    assert.equal(ok.status, 200);
    assert.equal((await app.call(admin, 'GET', '/api/plugins/notification/settings')).json.settings.host, 'smtp.zone.example.cn');
    const trail = (await app.call(admin, 'GET', '/api/audit?limit=1000')).json.items as any[];
    const update = trail.find((e) => e.action === 'plugin.settings.update' && e.target === 'plugin/notification');
    assert.ok(update, 'the update is in the trail');
    assert.ok(!JSON.stringify(trail).includes('smtp.zone.example.cn'), 'the trail names the keys, not the values');
  });

  it('write-only settings (a literal password) are never sent back; sending the mask keeps them', async () => {
    const put = await app.call(admin, 'PUT', '/api/plugins/notification/settings', { host: 'smtp.zone.example.cn', user: 'gridflow', password: 'literal-pass-1' });
    assert.equal(put.json.settings.password, '****');
    const got = await app.call(admin, 'GET', '/api/plugins/notification/settings');
    assert.equal(got.json.settings.password, '****');
    assert.ok(!got.text.includes('literal-pass-1'));
    assert.equal((await app.call(admin, 'PUT', '/api/plugins/notification/settings', { ...got.json.settings, port: 587 })).status, 200);
    assert.equal((await app.db.connection.collection('plugin_states').findOne({ _id: 'notification' as never }))?.settings.includes('literal-pass-1'), true, 'the stored password is kept');
    const placeholder = await app.call(admin, 'PUT', '/api/plugins/notification/settings', { host: 'smtp.zone.example.cn', password: '{{secrets.SMTP_PASSWORD}}' });
    assert.equal(placeholder.json.settings.password, '{{secrets.SMTP_PASSWORD}}', 'a placeholder reveals nothing');
  });

  it('answers problem+json for unknown plugins, bad ids and plugins without settings', async () => {
    const missing = await app.call(admin, 'GET', '/api/plugins/no-such-plugin');
    assert.equal(missing.status, 404);
    assert.match(missing.type, /problem\+json/);
    assert.match(missing.json.detail, /Plugin 'no-such-plugin' is not installed/);
    const badId = await app.call(admin, 'GET', '/api/plugins/Bad_Id');
    assert.equal(badId.status, 400);
    assert.match(badId.json.detail, /path\/id must be a plugin id/);
    const none = await app.call(admin, 'PUT', '/api/plugins/countersign/settings', { a: 1 });
    assert.equal(none.status, 400);
    assert.match(none.json.detail, /Plugin 'countersign' has no settings/);
    assert.equal((await app.call(admin, 'PUT', '/api/plugins/notification/settings', '[1]')).status, 400);
  });
});
