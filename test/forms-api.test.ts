// Gridflow's own forms API (/api/forms) on the real embedded runtime: administrators list, read,
// create and version forms and preview them; malformed schemas are refused naming each component
// and property; everyone else gets 403, unauthenticated callers 401.
import assert from 'node:assert/strict';
import { ANONYMOUS, startSecureApp, type Caller, type SecureApp } from './helpers/secure-app.ts';

const demand = (extra: Record<string, unknown> = {}) => ({
  id: 'demand', type: 'default', components: [
    { id: 'title', type: 'textfield', key: 'title', label: '诉求标题', validate: { required: true, maxLength: 20 } },
    { id: 'score', type: 'number', key: 'score', label: 'Score', validate: { min: 1, max: 5 } },
    { id: 'reason', type: 'textarea', key: 'reason', label: 'Reason', conditional: { hide: '=decision != "return"' }, validate: { required: true } },
    { id: 'decision', type: 'select', key: 'decision', label: 'Decision', values: [{ label: 'Resolve', value: 'resolve' }, { label: 'Return', value: 'return' }] },
  ],
  ...extra,
});

describe('/api/forms', () => {
  let app: SecureApp;
  let admin: Caller;
  let cadre: Caller;
  before(async () => {
    app = await startSecureApp('forms_api');
    admin = await app.user('forms-admin', ['administrator']);
    cadre = await app.user('forms-cadre', ['cadre']);
  });
  after(async () => { await app?.close(); });

  const problem = (r: { status: number; type: string }, status: number) => {
    assert.equal(r.status, status);
    assert.match(r.type, /application\/problem\+json/);
  };

  it('creates a form, versions it on change, keeps the version when unchanged, and audits it', async () => {
    const first = await app.call(admin, 'POST', '/api/forms', demand());
    assert.equal(first.status, 201, first.text);
    assert.equal(first.json.formId, 'demand');
    assert.equal(first.json.version, 1);
    assert.equal(first.json.resourceName, 'demand.form');
    assert.equal(first.json.created, true);
    assert.match(first.json.formKey, /^[0-9]+$/);

    const same = await app.call(admin, 'POST', '/api/forms', demand());
    assert.equal(same.status, 200, same.text);
    assert.equal(same.json.version, 1);
    assert.equal(same.json.created, false);
    assert.equal(same.json.formKey, first.json.formKey);

    const second = await app.call(admin, 'POST', '/api/forms', demand({ versionTag: 'v2' }));
    assert.equal(second.status, 201, second.text);
    assert.equal(second.json.version, 2);
    assert.equal(second.json.versionTag, 'v2');

    const entries = (await app.auth.trail.list(1, 1000)).filter((e) => e.action === 'deployment.create');
    const deployed = entries.map((e) => JSON.parse(e.after!).deployed[0]);
    assert.deepEqual(deployed.filter((d: any) => d.formId === 'demand').map((d: any) => d.version), [1, 2], 'one entry per new version');
    assert.deepEqual(entries[0]!.actor, { kind: 'user', id: 'forms-admin' });
  });

  it('lists the latest version of each form, and every version of one', async () => {
    const other = await app.call(admin, 'POST', '/api/forms', { id: 'approval', type: 'default', components: [{ id: 'ok', type: 'checkbox', key: 'ok', label: 'OK' }] });
    assert.equal(other.status, 201, other.text);
    const list = await app.call(admin, 'GET', '/api/forms');
    assert.equal(list.status, 200, list.text);
    const byId = Object.fromEntries(list.json.items.map((f: any) => [f.formId, f]));
    assert.deepEqual(Object.keys(byId).sort(), ['approval', 'demand']);
    assert.equal(byId.demand.version, 2);
    assert.equal(byId.demand.versionTag, 'v2');
    assert.equal(byId.demand.resourceName, 'demand.form');
    assert.equal(byId.approval.version, 1);
    assert.equal(byId.approval.versionTag, null);
    assert.equal(byId.demand.schema, undefined, 'the list carries no schemas');

    const versions = await app.call(admin, 'GET', '/api/forms/demand/versions');
    assert.equal(versions.status, 200, versions.text);
    assert.deepEqual(versions.json.items.map((f: any) => [f.version, f.versionTag]), [[2, 'v2'], [1, null]]);
    assert.ok(versions.json.items.every((f: any) => /^[0-9]+$/.test(f.formKey) && f.formId === 'demand'));
  });

  it('reads the latest schema and a given version', async () => {
    const latest = await app.call(admin, 'GET', '/api/forms/demand');
    assert.equal(latest.status, 200, latest.text);
    assert.equal(latest.json.version, 2);
    assert.deepEqual(latest.json.schema, demand({ versionTag: 'v2' }));
    const v1 = await app.call(admin, 'GET', '/api/forms/demand/versions/1');
    assert.equal(v1.status, 200, v1.text);
    assert.equal(v1.json.version, 1);
    assert.deepEqual(v1.json.schema, demand());
    // The runtime hands the same form to tasks.
    assert.equal((await app.runtime.getForm(v1.json.formKey)).schema, JSON.stringify(demand()));
  });

  it('answers 404 for unknown forms and versions, 400 for malformed paths and queries', async () => {
    problem(await app.call(admin, 'GET', '/api/forms/nothing'), 404);
    problem(await app.call(admin, 'GET', '/api/forms/nothing/versions'), 404);
    problem(await app.call(admin, 'GET', '/api/forms/demand/versions/9'), 404);
    const badVersion = await app.call(admin, 'GET', '/api/forms/demand/versions/0');
    problem(badVersion, 400);
    assert.match(badVersion.json.detail, /path\/version/);
    problem(await app.call(admin, 'GET', '/api/forms/demand/versions/abc'), 400);
    problem(await app.call(admin, 'GET', '/api/forms/%20bad'), 400);
    const query = await app.call(admin, 'GET', '/api/forms?formId=demand');
    problem(query, 400);
    assert.match(query.json.detail, /query\/formId is not allowed/);
  });

  it('refuses a malformed schema with 400 naming every component and property; nothing is deployed', async () => {
    const bad = {
      id: 'broken', type: 'default', components: [
        { id: 'title', type: 'textfield', key: 'title', validate: { maxLength: 'twenty' } },
        { id: 'when', type: 'datetime', key: 'when', subtype: 'sometimes' },
        { id: 'title', type: 'number', key: 'n' },
      ],
    };
    const r = await app.call(admin, 'POST', '/api/forms', bad);
    problem(r, 400);
    const problems = r.json.problems.map((p: any) => `${p.componentId}|${p.property}`);
    assert.ok(problems.includes('title|validate.maxLength'), JSON.stringify(r.json.problems));
    assert.ok(problems.includes('when|subtype'), JSON.stringify(r.json.problems));
    assert.ok(r.json.problems.some((p: any) => p.property === 'id' && /duplicate/.test(p.message)), JSON.stringify(r.json.problems));
    assert.match(r.json.detail, /title \(validate\.maxLength\)/);
    assert.match(r.json.detail, /when \(subtype\)/);
    problem(await app.call(admin, 'GET', '/api/forms/broken'), 404);
  });

  it('validates the body with ajv: an id is required, in the runtime\'s shape; JSON only', async () => {
    const noId = await app.call(admin, 'POST', '/api/forms', { type: 'default', components: [] });
    problem(noId, 400);
    assert.match(noId.json.detail, /body\/id is required/);
    const badId = await app.call(admin, 'POST', '/api/forms', { id: '1 bad', type: 'default', components: [] });
    problem(badId, 400);
    assert.match(badId.json.detail, /body\/id must be a form id/);
    problem(await app.call(admin, 'POST', '/api/forms', [demand()]), 400);
    problem(await app.call(admin, 'POST', '/api/forms', 'id=demand', { headers: { 'content-type': 'text/plain' } }), 415);
  });

  it('previews a form: fields, and the verdict on test data in the chosen language', async () => {
    const bad = await app.call(admin, 'POST', '/api/forms/preview', { schema: demand(), data: { score: 9, decision: 'return', extra: 1 }, locale: 'zh' });
    assert.equal(bad.status, 200, bad.text);
    assert.equal(bad.json.ok, false);
    const codes = Object.fromEntries(bad.json.errors.map((e: any) => [e.path, e.code]));
    assert.deepEqual(codes, { title: 'REQUIRED', score: 'MAX', reason: 'REQUIRED', extra: 'UNKNOWN_FIELD' });
    assert.match(bad.json.errors[0].message, /[\u4e00-\u9fff]/);
    const fields = Object.fromEntries(bad.json.fields.map((f: any) => [f.path, f]));
    assert.equal(fields.reason.hidden, false, 'shown once the data chooses "return"');
    assert.equal(fields.title.required, true);
    assert.equal(fields.title.label, '诉求标题');

    const good = await app.call(admin, 'POST', '/api/forms/preview', { schema: demand(), data: { title: 'Land quota', score: 4, decision: 'resolve' }, locale: 'en' });
    assert.equal(good.status, 200, good.text);
    assert.deepEqual(good.json.errors, []);
    assert.equal(good.json.ok, true);
    assert.equal(good.json.fields.find((f: any) => f.path === 'reason').hidden, true);

    const readonly = { id: 'ro', type: 'default', components: [{ id: 'name', type: 'textfield', key: 'name', label: 'Name', readonly: true }] };
    const changed = await app.call(admin, 'POST', '/api/forms/preview', { schema: readonly, variables: { name: 'Ada' }, data: { name: 'Bob' } });
    assert.equal(changed.json.ok, false);
    assert.equal(changed.json.errors[0].code, 'READONLY_CHANGED');
    assert.equal(changed.json.fields[0].readonly, true);

    const empty = await app.call(admin, 'POST', '/api/forms/preview', { schema: demand() });
    assert.equal(empty.status, 200, empty.text);
    assert.equal(empty.json.ok, false);
    assert.equal(empty.json.fields.length, 4);
  });

  it('refuses a malformed preview: schema problems by component, unknown body keys, wrong types', async () => {
    const r = await app.call(admin, 'POST', '/api/forms/preview', { schema: { type: 'default', components: [{ id: 'x', type: 'slider', key: 'x' }] } });
    problem(r, 400);
    assert.deepEqual(r.json.problems.map((p: any) => [p.componentId, p.property]), [['x', 'type']]);
    const extra = await app.call(admin, 'POST', '/api/forms/preview', { schema: demand(), submit: true });
    problem(extra, 400);
    assert.match(extra.json.detail, /body\/submit is not allowed/);
    const data = await app.call(admin, 'POST', '/api/forms/preview', { schema: demand(), data: [] });
    problem(data, 400);
    assert.match(data.json.detail, /body\/data must be object/);
    const locale = await app.call(admin, 'POST', '/api/forms/preview', { schema: demand(), locale: 'fr' });
    problem(locale, 400);
    problem(await app.call(admin, 'POST', '/api/forms/preview', {}), 400);
  });

  it('is for administrators: 403 for other roles, 401 without credentials', async () => {
    const calls: Array<[string, string, unknown?]> = [
      ['GET', '/api/forms'], ['GET', '/api/forms/demand'], ['GET', '/api/forms/demand/versions'], ['GET', '/api/forms/demand/versions/1'],
      ['POST', '/api/forms', demand({ versionTag: 'sneaky' })], ['POST', '/api/forms/preview', { schema: demand() }],
    ];
    for (const [method, path, body] of calls) {
      const denied = await app.call(cadre, method, path, body);
      problem(denied, 403);
      assert.match(denied.json.detail, /forms\.manage/);
      const anonymous = await app.call(ANONYMOUS, method, path, body);
      problem(anonymous, 401);
      assert.match(anonymous.headers.get('www-authenticate') ?? '', /Basic/);
    }
    assert.equal((await app.call(admin, 'GET', '/api/forms/demand')).json.version, 2, 'nothing deployed by the refused calls');
  });

  it('works over a browser session, which needs the CSRF token to create', async () => {
    const session = await app.login('forms-admin', 'correct-horse-battery-7');
    assert.equal((await app.call(session, 'GET', '/api/forms')).status, 200);
    problem(await app.call(session, 'POST', '/api/forms', demand({ versionTag: 'v3' }), { csrf: false }), 403);
    const made = await app.call(session, 'POST', '/api/forms', demand({ versionTag: 'v3' }));
    assert.equal(made.status, 201, made.text);
    assert.equal(made.json.version, 3);
  });
});
