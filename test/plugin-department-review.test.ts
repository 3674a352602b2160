// The department review plugin end to end: the generic review step as its template writes it (a
// department's group, its form, a deadline in Chinese working days), the environmental-compliance
// review (生态环境) and the statistics-enrolment check (统计入库) with its rule table in the
// plugin's settings. Officials claim and complete over the HTTP API, their forms enforced.
import assert from 'node:assert/strict';
import { bpmn, flow } from './helpers/bpmn.ts';
import { basic, startSecureApp, type Caller, type SecureApp } from './helpers/secure-app.ts';
import { createPluginsFeature } from '../plugins/host/feature.ts';
import { addWorkingDays } from '../processes/working-days.ts';
import { checkEnrolment, type EnrolmentRule } from '../plugins/department-review/stats-enrolment.ts';
import { until } from './helpers/until.ts';

const admin = basic('admin', 'gridflow-demo');

/** A user task as the department review template writes it. */
const reviewStep = bpmn('market_review', `<bpmn:startEvent id="s"/>${flow('f1', 's', 'review')}
  <bpmn:userTask id="review" name="市场监管审查"><bpmn:extensionElements><zeebe:userTask/>
    <zeebe:assignmentDefinition candidateGroups="dept-market"/><zeebe:formDefinition formId="stats-enrolment-review"/>
    <zeebe:taskSchedule dueDate="=string(add working days(now(), reviewDays))"/>
    <zeebe:ioMapping><zeebe:input source="=2" target="reviewDays"/></zeebe:ioMapping>
  </bpmn:extensionElements></bpmn:userTask>${flow('f2', 'review', 'e')}<bpmn:endEvent id="e"/>`);

describe('plugin: department review', function () {
  this.timeout(60_000);
  let app: SecureApp;
  let eco: Caller;
  let stats: Caller;

  before(async () => {
    app = await startSecureApp('plugin_department_review', { features: [createPluginsFeature()] });
    // The demo zone creates the department groups; a fresh test database has only the demo logins' ones.
    for (const [g, name] of [['dept-eco', '生态环境'], ['dept-stats', '统计局']] as const) await app.auth.identity.store.createGroup(g, name).catch(() => {});
    eco = await app.user('eco-officer', ['department-officer'], ['dept-eco']);
    stats = await app.user('stats-officer', ['department-officer'], ['dept-stats']);
  });
  after(async () => { await app?.close(); });

  const taskOf = (pik: string) => until(async () => (await app.runtime.searchUserTasks({ filter: { processInstanceKey: pik, state: 'CREATED' } })).items[0]);
  const done = (pik: string) => until(async () => (await app.runtime.getProcessInstance(pik)).state === 'COMPLETED');
  const variable = async (pik: string, name: string) => {
    const v = (await app.runtime.searchVariables({ filter: { processInstanceKey: pik, name } })).items.find((x) => x.scopeKey === pik);
    return v ? JSON.parse(v.value) : undefined;
  };
  async function claimAndComplete(as: Caller, username: string, key: string, variables: Record<string, unknown>) {
    const claimed = await app.call(as, 'POST', `/v2/user-tasks/${key}/assignment`, { assignee: username });
    assert.equal(claimed.status, 204, claimed.text);
    return app.call(as, 'POST', `/v2/user-tasks/${key}/completion`, { variables });
  }
  const nearly = (actual: string | null, expected: Date) => {
    assert.ok(actual, 'the task has a due date');
    assert.ok(Math.abs(+new Date(actual) - +expected) < 120_000, `due ${actual}, expected about ${expected.toISOString()}`);
  };

  it('the generic review step: the department group, its form, a working-day deadline', async () => {
    await app.runtime.deploy([{ name: 'market-review.bpmn', content: reviewStep }]);
    const { processInstanceKey } = await app.runtime.createProcessInstance({ processDefinitionId: 'market_review', variables: { gridId: 3 } });
    const task = await taskOf(processInstanceKey);
    assert.deepEqual(task.candidateGroups, ['dept-market']);
    nearly(task.dueDate, addWorkingDays(Date.now(), 2));
    const form = await app.runtime.getUserTaskForm(task.userTaskKey);
    assert.equal(form?.formId, 'stats-enrolment-review');
  });

  it('生态环境: a rectification is required unless compliant; the conclusion comes back', async () => {
    const { processInstanceKey: pik } = await app.runtime.createProcessInstance({ processDefinitionId: 'gridflow-eco-compliance-review', variables: {
      enterprise: { name: '苏州恒瑞精密机械有限公司', uscc: '91320594MA1W2X3Y4Z' }, project: '年产 20 万件精密铸件扩建项目', gridId: 3,
    } });
    const task = await taskOf(pik);
    assert.equal(task.name, '生态环境合规审查');
    assert.deepEqual(task.candidateGroups, ['dept-eco']);
    nearly(task.dueDate, addWorkingDays(Date.now(), 5));
    const answer = { eiaStatus: 'approved', dischargePermit: 'registration', hazardousWasteCompliant: false, conclusion: 'conditional' };
    const refused = await claimAndComplete(eco, 'eco-officer', task.userTaskKey, answer);
    assert.equal(refused.status, 422, refused.text);
    assert.match(refused.text, /rectification/);
    const ok = await app.call(eco, 'POST', `/v2/user-tasks/${task.userTaskKey}/completion`, { variables: { ...answer, rectification: '30 日内完成危废暂存间防渗改造', opinion: '限期整改后复核' } });
    assert.equal(ok.status, 204, ok.text);
    await done(pik);
    const review = await variable(pik, 'ecoReview');
    assert.equal(review.conclusion, 'conditional');
    assert.equal(review.hazardousWasteCompliant, false);
    assert.equal(review.rectification, '30 日内完成危废暂存间防渗改造');
    assert.ok((await app.runtime.history(pik)).some((h) => h.event === 'ELEMENT_COMPLETED' && h.elementId === 'not_compliant'));
  });

  it('统计入库: an eligible enterprise goes to the statistics bureau with the rule that matched', async () => {
    const { processInstanceKey: pik } = await app.runtime.createProcessInstance({ processDefinitionId: 'gridflow-stats-enrolment-check', variables: {
      enterprise: { name: '苏州恒瑞精密机械有限公司', uscc: '91320594MA1W2X3Y4Z', industry: '制造业', revenue: 2600, employees: 85 }, gridId: 3,
    } });
    const task = await taskOf(pik);
    assert.equal(task.name, '统计局确认入库');
    assert.deepEqual(task.candidateGroups, ['dept-stats']);
    nearly(task.dueDate, addWorkingDays(Date.now(), 3));
    const check = await variable(pik, 'statsCheck');
    assert.deepEqual(check, { eligible: true, category: '规模以上工业', rule: '规模以上工业', reasons: ['主营业务收入 2600 万元 ≥ 2000 万元'] });
    assert.equal((await claimAndComplete(stats, 'stats-officer', task.userTaskKey, { enrolment: 'enrol', opinion: '材料齐全' })).status, 204);
    await done(pik);
    assert.deepEqual(await variable(pik, 'statsReview'), { enrolment: 'enrol', category: '规模以上工业', reason: null, opinion: '材料齐全' });
  });

  it('统计入库: below the threshold ends without a task, saying why; the rule table is the settings', async () => {
    const retail = { name: '园区便民超市', uscc: '92320594MA1AAAAA1B', industry: '零售业', revenue: 320, employees: 12 };
    const first = await app.runtime.createProcessInstance({ processDefinitionId: 'gridflow-stats-enrolment-check', variables: { enterprise: retail, gridId: 3 } });
    await done(first.processInstanceKey);
    assert.deepEqual(await variable(first.processInstanceKey, 'statsCheck'), { eligible: false, category: null, rule: '限额以上零售业', reasons: ['主营业务收入 320 万元 < 500 万元'] });

    const current = await app.call(admin, 'GET', '/api/plugins/department-review/settings');
    const rules = (current.json.settings.rules as EnrolmentRule[]).map((r) => (r.category === '限额以上零售业' ? { ...r, minRevenue: 300 } : r));
    const bad = await app.call(admin, 'PUT', '/api/plugins/department-review/settings', { rules: [{ category: '零售', industries: [], minRevenue: -1 }] });
    assert.equal(bad.status, 400);
    assert.match(bad.json.detail, /settings\/rules\/0\/industries/);
    assert.equal((await app.call(admin, 'PUT', '/api/plugins/department-review/settings', { rules })).status, 200);
    const second = await app.runtime.createProcessInstance({ processDefinitionId: 'gridflow-stats-enrolment-check', variables: { enterprise: retail, gridId: 3 } });
    await taskOf(second.processInstanceKey);
    assert.equal((await variable(second.processInstanceKey, 'statsCheck')).category, '限额以上零售业');
  });

  it('统计入库: missing enterprise data is an incident naming the variable', async () => {
    const { processInstanceKey } = await app.runtime.createProcessInstance({ processDefinitionId: 'gridflow-stats-enrolment-check', variables: { enterprise: { name: 'x' }, gridId: 3 } });
    const incident = await until(async () => (await app.runtime.searchIncidents({ filter: { processInstanceKey } })).items[0]);
    assert.match(incident.errorMessage, /variable 'enterprise' needs industry \(text\) and revenue/);
  });

  it('the rule table: the first rule for the industry decides; employees when the rule asks', () => {
    const rules: EnrolmentRule[] = [{ category: 'A', industries: ['x'], minRevenue: 100, minEmployees: 20 }];
    assert.deepEqual(checkEnrolment(rules, { industry: 'x', revenue: 150, employees: 10 }).reasons, ['主营业务收入 150 万元 ≥ 100 万元', '从业人员 10 人 < 20 人']);
    assert.equal(checkEnrolment(rules, { industry: 'x', revenue: 150, employees: 25 }).eligible, true);
    assert.deepEqual(checkEnrolment(rules, { industry: 'y', revenue: 1e6 }), { eligible: false, category: null, rule: null, reasons: ['行业“y”不在入库规则表中'] });
  });
});
