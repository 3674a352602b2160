// /api/admin: the shipped programmes, a process's versions with their running instances, and which
// tasks link which form; administrators only, every input checked.
import assert from 'node:assert/strict';
import { usccCheckCharacter } from '../forms/uscc.ts';
import { Driver } from '../processes/demo/drive.ts';
import { deployShipped } from '../processes/diagrams/ship.ts';
import { createZoneFeature } from '../processes/zone-feature.ts';
import { adminFeature } from '../web/admin-api.ts';
import { ANONYMOUS, deployment, startSecureApp, type Caller, type SecureApp } from './helpers/secure-app.ts';

describe('/api/admin (the admin pages\' API)', () => {
  let app: SecureApp;
  let admin: Caller;
  let cadre: Caller;

  before(async () => {
    app = await startSecureApp('web_admin_api', { features: [createZoneFeature({ seed: false }), adminFeature] });
    await deployShipped(app.runtime);
    admin = await app.user('api-admin', ['administrator']);
    cadre = await app.user('api-cadre', ['cadre'], ['grid-3']);
  });
  after(() => app.close());

  it('lists the shipped programmes and serves each diagram', async () => {
    const r = await app.call(admin, 'GET', '/api/admin/programmes');
    assert.equal(r.status, 200, r.text);
    const three = r.json.items.find((p: { processId: string }) => p.processId === 'three-tier-handling');
    assert.deepEqual(three, { file: 'three-tier-handling.bpmn', processId: 'three-tier-handling', name: '三级闭环办理' });
    const xml = await app.call(admin, 'GET', `/api/admin/programmes/${three.file}`);
    assert.equal(xml.status, 200);
    assert.match(xml.type, /xml/);
    assert.match(xml.text, /<bpmn:process id="three-tier-handling"/);
  });

  it('refuses a diagram name that is not a shipped file, and paths out of the folder', async () => {
    for (const [path, status] of [
      ['/api/admin/programmes/nope.bpmn', 404],
      ['/api/admin/programmes/..%2Fpackage.json', 400],
      ['/api/admin/programmes/..%2F..%2Fpackage.bpmn', 400],
      ['/api/admin/programmes/three-tier-handling.xml', 400],
    ] as const) {
      const r = await app.call(admin, 'GET', path);
      assert.equal(r.status, status, `${path}: ${r.text}`);
      assert.match(r.type, /problem\+json/);
    }
  });

  it('lists a process\'s versions, latest first, with their running instances; none for an unknown process', async () => {
    const drive = new Driver(app.runtime, { settle: () => app.runtime.idle() });
    const enterprise = '91330110MA2KXY712' + usccCheckCharacter('91330110MA2KXY712');
    await drive.start('three-tier-handling', { enterprise, enterpriseName: '示例企业', gridId: '3', filedBy: 'cadre', title: '示例诉求', category: 'policy', urgency: 'normal', description: '政策咨询' });
    const xml = (await app.call(admin, 'GET', '/api/admin/programmes/three-tier-handling.bpmn')).text.replace(/source="[^"]*" target="slaDays"/, 'source="=4" target="slaDays"');
    assert.match(xml, /source="=4" target="slaDays"/);
    const deployed = await app.call(admin, 'POST', '/v2/deployments', deployment(['three-tier-handling.bpmn', xml]));
    assert.equal(deployed.status, 200, deployed.text);
    const r = await app.call(admin, 'GET', '/api/admin/processes/three-tier-handling/versions');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.items.map((v: { version: number; activeInstances: number }) => [v.version, v.activeInstances]), [[2, 0], [1, 1]]);
    const none = await app.call(admin, 'GET', '/api/admin/processes/no-such-process/versions');
    assert.deepEqual(none.json, { items: [] });
    assert.equal((await app.call(admin, 'GET', '/api/admin/processes/bad%20id/versions')).status, 400);
  });

  it('tells which tasks of which versions link a form', async () => {
    const r = await app.call(admin, 'GET', '/api/admin/form-links?formId=case-accept');
    assert.equal(r.status, 200, r.text);
    const latest = r.json.items.filter((l: { latestVersion: boolean; processDefinitionId: string }) => l.latestVersion && l.processDefinitionId === 'three-tier-handling');
    assert.deepEqual(latest.map((l: { elementId: string }) => l.elementId).sort(), ['accept_t1', 'accept_t2', 'accept_t3']);
    assert.equal(latest[0].bindingType, 'latest');
    assert.equal(latest[0].processName, '三级闭环办理');
    const all = await app.call(admin, 'GET', '/api/admin/form-links');
    assert.ok(all.json.items.some((l: { formId: string }) => l.formId === 'case-intake'));
    assert.equal((await app.call(admin, 'GET', '/api/admin/form-links?formId=')).status, 400);
    assert.equal((await app.call(admin, 'GET', '/api/admin/form-links?other=1')).status, 400);
  });

  it('is for administrators: 401 without credentials, 403 for others', async () => {
    for (const path of ['/api/admin/programmes', '/api/admin/programmes/three-tier-handling.bpmn', '/api/admin/processes/three-tier-handling/versions', '/api/admin/form-links']) {
      assert.equal((await app.call(ANONYMOUS, 'GET', path)).status, 401, path);
      const r = await app.call(cadre, 'GET', path);
      assert.equal(r.status, 403, path);
      assert.match(r.json.detail, /deploy|forms\.manage/);
    }
  });
});
