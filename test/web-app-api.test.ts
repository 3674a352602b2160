// The web app's own API (web/app/server): the tasklist's views, filters, working-day due figures
// and sorting; the variables a task's form sees, scoped like the task; start forms listed,
// served, validated on the server (422 with each field, in the caller's language), started in the
// caller's grid.
import assert from 'node:assert/strict';
import { webAppFeature } from '../web/app-feature.ts';
import { bpmn, flow, userTask } from './helpers/bpmn.ts';
import { deployment, startSecureApp, type Caller, type SecureApp } from './helpers/secure-app.ts';
import { assessForm, VALID_USCC, visitDiagram, visitForm } from './helpers/web-visit.ts';

const DAY = 86_400_000;

describe('web app API: tasklist and start forms', function () {
  this.timeout(60_000);
  let app: SecureApp;
  let admin: Caller;
  let cadre: Caller;
  let otherGridCadre: Caller;
  let visitKey: string;

  const visit = (title: string, extra: Record<string, unknown> = {}) => ({
    enterpriseName: '杭州临平智造科技有限公司', enterprise: VALID_USCC, channel: 'onsite', category: '用地规划', title, description: '—', ...extra,
  });

  before(async () => {
    app = await startSecureApp('web_app_api', { features: [webAppFeature] });
    admin = await app.user('api-admin', ['administrator']);
    cadre = await app.login('cadre', 'gridflow-demo');
    otherGridCadre = await app.user('grid1-cadre', ['cadre'], ['grid-1']);
    const grid1 = bpmn('grid1-work', `<bpmn:startEvent id="s"/>${userTask('g1', '<zeebe:assignmentDefinition candidateGroups="grid-1"/>', '第一网格任务')}<bpmn:endEvent id="e"/>${flow('a', 's', 'g1')}${flow('b', 'g1', 'e')}`);
    const r = await app.call(admin, 'POST', '/v2/deployments', deployment(
      ['visit.bpmn', await visitDiagram()], ['visit.form', JSON.stringify(visitForm())], ['assess.form', JSON.stringify(assessForm())], ['grid1.bpmn', grid1],
    ));
    assert.equal(r.status, 200, r.text);
    for (const [title, category] of [['甲', '政策咨询'], ['乙', '用地规划'], ['丙', '安全生产']] as const) {
      const s = await app.call(cadre, 'POST', '/v2/process-instances', { processDefinitionId: 'web-visit', variables: visit(title, { category }) });
      assert.equal(s.status, 200, s.text);
      visitKey = s.json.processInstanceKey;
    }
    await app.call(otherGridCadre, 'POST', '/v2/process-instances', { processDefinitionId: 'grid1-work' });
  });

  after(async () => { await app?.close(); });

  it('lists the groups\' open tasks with grid, category, case title and working days left', async () => {
    const r = await app.call(cadre, 'GET', '/api/tasklist');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.total, 3, 'grid 3\'s three tasks, not grid 1\'s');
    for (const item of r.json.items) {
      assert.equal(item.gridId, 3);
      assert.equal(item.name, '网格研判');
      assert.equal(typeof item.dueInfo.workingDaysLeft, 'number');
      assert.equal(item.dueInfo.overdue, false);
    }
    assert.deepEqual(r.json.options.categories, ['安全生产', '政策咨询', '用地规划'].sort());
    assert.deepEqual(r.json.options.grids, ['3']);
  });

  it('filters by category, process and grid, and sorts', async () => {
    const byCategory = await app.call(cadre, 'GET', `/api/tasklist?category=${encodeURIComponent('用地规划')}`);
    assert.deepEqual(byCategory.json.items.map((i: { title: string }) => i.title), ['乙']);
    const byName = await app.call(cadre, 'GET', '/api/tasklist?sort=created&order=desc');
    assert.deepEqual(byName.json.items.map((i: { title: string }) => i.title), ['丙', '乙', '甲']);
    const otherGrid = await app.call(cadre, 'GET', '/api/tasklist?grid=1');
    assert.equal(otherGrid.json.total, 0);
    const otherProcess = await app.call(admin, 'GET', '/api/tasklist?view=all&process=grid1-work');
    assert.equal(otherProcess.json.total, 1);
    const bad = await app.call(cadre, 'GET', '/api/tasklist?sort=evil');
    assert.equal(bad.status, 400);
    assert.match(bad.type, /problem\+json/);
  });

  it('keeps a cadre to their grid in "all" and shows mine once claimed', async () => {
    const all = await app.call(otherGridCadre, 'GET', '/api/tasklist?view=all');
    assert.deepEqual(all.json.items.map((i: { name: string }) => i.name), ['第一网格任务']);
    const first = (await app.call(cadre, 'GET', '/api/tasklist')).json.items[0];
    const claim = await app.call(cadre, 'POST', `/v2/user-tasks/${first.userTaskKey}/assignment`, { assignee: 'cadre' });
    assert.equal(claim.status, 204, claim.text);
    const mine = await app.call(cadre, 'GET', '/api/tasklist?view=mine');
    assert.deepEqual(mine.json.items.map((i: { userTaskKey: string }) => i.userTaskKey), [first.userTaskKey]);
    const unassigned = await app.call(cadre, 'GET', '/api/tasklist?unassigned=true');
    assert.equal(unassigned.json.total, 2);
  });

  it('counts overdue in working days once the due date has passed', async () => {
    app.clock.advance(20 * DAY);
    try {
      const r = await app.call(cadre, 'GET', '/api/tasklist?overdue=true');
      assert.equal(r.json.total, 3);
      for (const item of r.json.items) {
        assert.equal(item.dueInfo.overdue, true);
        assert.ok(item.dueInfo.workingDaysLeft < -5, `20 days later is well over 5 working days late (${item.dueInfo.workingDaysLeft})`);
      }
      const today = await app.call(cadre, 'GET', '/api/tasklist?due=today');
      assert.equal(today.json.total, 3, 'overdue tasks are due by today');
    } finally {
      app.clock.advance(-20 * DAY);
    }
  });

  it('gives a task\'s variables to those who may see the task, and no one else', async () => {
    const task = (await app.call(cadre, 'GET', '/api/tasklist')).json.items[0];
    const mine = await app.call(cadre, 'GET', `/api/tasklist/${task.userTaskKey}/variables`);
    assert.equal(mine.status, 200);
    assert.equal(mine.json.variables.enterprise, VALID_USCC);
    const other = await app.call(otherGridCadre, 'GET', `/api/tasklist/${task.userTaskKey}/variables`);
    assert.equal(other.status, 403);
    const none = await app.call(cadre, 'GET', '/api/tasklist/999999999/variables');
    assert.equal(none.status, 404);
    const anonymous = await app.call({ headers: {} }, 'GET', `/api/tasklist/${task.userTaskKey}/variables`);
    assert.equal(anonymous.status, 401);
  });

  it('lists and serves start forms to those who may start processes', async () => {
    const list = await app.call(cadre, 'GET', '/api/start-forms');
    assert.deepEqual(list.json.items.map((i: { processDefinitionId: string }) => i.processDefinitionId), ['web-visit']);
    const one = await app.call(cadre, 'GET', `/api/start-forms/${list.json.items[0].processDefinitionKey}`);
    assert.equal(one.json.form.formId, 'web-test-visit');
    assert.equal(one.json.form.schema.components.length, visitForm().components.length);
    const mentor = await app.login('mentor', 'gridflow-demo');
    assert.equal((await app.call(mentor, 'GET', '/api/start-forms')).status, 403, 'mentors start nothing');
    const noForm = await app.call(admin, 'POST', '/v2/process-definitions/search', { filter: { processDefinitionId: 'grid1-work' } });
    assert.equal((await app.call(admin, 'GET', `/api/start-forms/${noForm.json.items[0].processDefinitionKey}`)).status, 404);
  });

  it('validates a start form on the server, naming each field in the caller\'s language, and starts in the caller\'s grid', async () => {
    const key = (await app.call(cadre, 'GET', '/api/start-forms')).json.items[0].processDefinitionKey;
    const bad = await app.call(cadre, 'POST', `/api/start-forms/${key}`, { variables: { enterpriseName: '', enterprise: '91330110MA2B00001X', channel: 'nowhere', extra: 1 } }, { headers: { 'accept-language': 'zh-CN' } });
    assert.equal(bad.status, 422, bad.text);
    const paths = bad.json.errors.map((e: { path: string }) => e.path).sort();
    for (const p of ['enterpriseName', 'enterprise', 'channel', 'extra', 'title']) assert.ok(paths.includes(p), `${p} in ${paths}`);
    assert.match(bad.json.errors.find((e: { path: string }) => e.path === 'enterprise').message, /统一社会信用代码/);
    const en = await app.call(cadre, 'POST', `/api/start-forms/${key}`, { variables: {} }, { headers: { 'accept-language': 'en' } });
    assert.match(en.json.errors[0].message, /required/i);

    const ok = await app.call(cadre, 'POST', `/api/start-forms/${key}`, { variables: visit('丁') });
    assert.equal(ok.status, 201, ok.text);
    const vars = await app.call(admin, 'POST', '/v2/variables/search', { filter: { processInstanceKey: ok.json.processInstanceKey, name: 'gridId' } });
    assert.equal(vars.json.items[0].value, '3');
    const elsewhere = await app.call(cadre, 'POST', `/api/start-forms/${key}`, { variables: visit('戊', { gridId: 1 }) });
    assert.ok([403, 422].includes(elsewhere.status), `${elsewhere.status}: another grid is refused`);
    assert.ok(visitKey);
  });

  it('serves the app for client routes, bundles with long caching, and leaves the APIs alone', async () => {
    const page = await fetch(`${app.base}/tasks/123`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const html = await page.text();
    const script = /src="(\/assets\/app-[^"]+\.js)"/.exec(html)![1]!;
    const js = await fetch(`${app.base}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(js.status, 200);
    assert.match(js.headers.get('cache-control') ?? '', /immutable/);
    assert.doesNotMatch(html, /<script>(?!<)/, 'no inline script');
    const missing = await fetch(`${app.base}/assets/nothing.js`);
    assert.equal(missing.status, 404);
    assert.match((await fetch(`${app.base}/api/nothing`)).headers.get('content-type') ?? '', /problem\+json/);
    assert.match((await fetch(`${app.base}/v2/nothing`)).headers.get('content-type') ?? '', /problem\+json/);
  });
});
