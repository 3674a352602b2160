// The countersign plugin end to end: its process and form deployed by the host, dropped into a
// diagram as a call activity the way its template writes it; officials sign over the HTTP API
// (their own logins, the form enforced), and the outcome comes back to the calling process.
import assert from 'node:assert/strict';
import { bpmn, flow } from './helpers/bpmn.ts';
import { startSecureApp, type Caller, type SecureApp } from './helpers/secure-app.ts';
import { createPluginsFeature } from '../plugins/host/feature.ts';
import { until } from './helpers/until.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A call activity as the countersign template writes it. */
function withCountersign(id: string, inputs: Record<string, string>) {
  const io = Object.entries(inputs).map(([k, v]) => `<zeebe:input source="${esc(v)}" target="${k}"/>`).join('');
  return bpmn(id, `<bpmn:startEvent id="s"/>${flow('f1', 's', 'sign')}
  <bpmn:callActivity id="sign" name="会签"><bpmn:extensionElements><zeebe:calledElement processId="gridflow-countersign" propagateAllChildVariables="false"/>
    <zeebe:ioMapping>${io}<zeebe:output source="=countersign" target="approval"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:callActivity>
  ${flow('f2', 'sign', 'e')}<bpmn:endEvent id="e"/>`);
}

describe('plugin: countersign (会签 / 或签)', function () {
  this.timeout(60_000);
  let app: SecureApp;
  const who: Record<string, Caller> = {};

  before(async () => {
    app = await startSecureApp('plugin_countersign', { features: [createPluginsFeature()] });
    for (const u of ['admin', 'leader', 'cadre', 'mentor', 'officer']) who[u] = await app.login(u, 'gridflow-demo');
    await app.runtime.deploy([
      { name: 'all.bpmn', content: withCountersign('cs_all', { mode: 'all', approvers: '=["leader", "cadre", "mentor"]', subject: '="重大事项：" + topic' }) },
      { name: 'any.bpmn', content: withCountersign('cs_any', { mode: 'any', approvers: '=["leader", "cadre", "mentor"]', subject: '或签' }) },
      { name: 'nofm.bpmn', content: withCountersign('cs_nofm', { mode: 'n-of-m', required: '=2', approvers: '=["leader", "cadre", "mentor"]', subject: '三人中两人同意' }) },
      { name: 'group.bpmn', content: withCountersign('cs_group', { mode: 'all', signerSource: 'group', candidateGroup: 'dept-market', seats: '=1', subject: '市场监管局会签' }) },
    ]);
  });
  after(async () => { await app?.close(); });

  async function start(id: string) {
    return (await app.runtime.createProcessInstance({ processDefinitionId: id, variables: { topic: '企业用地调整', gridId: 3 } })).processInstanceKey;
  }
  async function openTasks(parent: string) {
    const child = await until(async () => (await app.runtime.searchProcessInstances({ filter: { parentProcessInstanceKey: parent } })).items[0]);
    return { child: child.processInstanceKey, tasks: (await app.runtime.searchUserTasks({ filter: { processInstanceKey: child.processInstanceKey, state: 'CREATED' } })).items };
  }
  async function sign(parent: string, user: string, variables: Record<string, unknown>) {
    const { tasks } = await openTasks(parent);
    const task = tasks.find((t) => t.assignee === user);
    assert.ok(task, `an open task for ${user}`);
    return app.call(who[user]!, 'POST', `/v2/user-tasks/${task.userTaskKey}/completion`, { variables });
  }
  const result = async (pik: string) => {
    await until(async () => (await app.runtime.getProcessInstance(pik)).state === 'COMPLETED');
    const v = (await app.runtime.searchVariables({ filter: { processInstanceKey: pik, name: 'approval' } })).items[0]!;
    return JSON.parse(v.value);
  };

  it('会签 (all-of): one task per approver, each assigned; all approve → approved', async () => {
    const pik = await start('cs_all');
    const { tasks } = await until(async () => { const o = await openTasks(pik); return o.tasks.length === 3 && o; });
    assert.deepEqual(tasks.map((t) => t.assignee).sort(), ['cadre', 'leader', 'mentor']);
    assert.equal(tasks[0]!.name, '会签审批');
    const form = await app.call(who.leader!, 'GET', `/v2/user-tasks/${tasks.find((t) => t.assignee === 'leader')!.userTaskKey}/form`);
    assert.equal(form.status, 200);
    assert.match(form.json.schema, /不同意的理由/);
    for (const u of ['leader', 'cadre', 'mentor']) assert.equal((await sign(pik, u, { decision: 'approve', opinion: '同意' })).status, 204);
    const approval = await result(pik);
    assert.equal(approval.approved, true);
    assert.equal(approval.approvals, 3);
    assert.equal(approval.needed, 3);
    assert.deepEqual(approval.decisions.map((d: any) => d.signer).sort(), ['cadre', 'leader', 'mentor']);
  });

  it('rejecting needs a reason: the form refuses a rejection without one', async () => {
    const pik = await start('cs_all');
    await until(async () => (await openTasks(pik)).tasks.length === 3);
    const refused = await sign(pik, 'cadre', { decision: 'reject' });
    assert.equal(refused.status, 422, refused.text);
    assert.match(refused.text, /reason/);
    // 会签: one rejection decides; the others' tasks are withdrawn.
    assert.equal((await sign(pik, 'cadre', { decision: 'reject', reason: '用地指标不足' })).status, 204);
    const approval = await result(pik);
    assert.equal(approval.approved, false);
    assert.equal(approval.rejections, 1);
    assert.equal(approval.decisions[0].reason, '用地指标不足');
    const { tasks } = await openTasks(pik);
    assert.equal(tasks.length, 0, 'no task left open');
  });

  it('或签 (any-of): the first approval decides and withdraws the rest', async () => {
    const pik = await start('cs_any');
    await until(async () => (await openTasks(pik)).tasks.length === 3);
    assert.equal((await sign(pik, 'mentor', { decision: 'reject', reason: '需补充材料' })).status, 204);
    assert.equal((await openTasks(pik)).tasks.length, 2, 'one rejection does not decide 或签');
    assert.equal((await sign(pik, 'leader', { decision: 'approve' })).status, 204);
    const approval = await result(pik);
    assert.deepEqual([approval.approved, approval.approvals, approval.rejections, approval.needed], [true, 1, 1, 1]);
  });

  it('n-of-m: two of three approvals', async () => {
    const pik = await start('cs_nofm');
    await until(async () => (await openTasks(pik)).tasks.length === 3);
    await sign(pik, 'leader', { decision: 'approve' });
    assert.equal((await openTasks(pik)).tasks.length, 2);
    await sign(pik, 'cadre', { decision: 'approve', opinion: '可行' });
    const approval = await result(pik);
    assert.deepEqual([approval.approved, approval.approvals, approval.needed], [true, 2, 2]);
  });

  it('a candidate group: the group claims the seat and signs', async () => {
    const pik = await start('cs_group');
    const { tasks } = await until(async () => { const o = await openTasks(pik); return o.tasks.length === 1 && o; });
    assert.deepEqual(tasks[0]!.candidateGroups, ['dept-market']);
    assert.equal(tasks[0]!.assignee, null);
    const key = tasks[0]!.userTaskKey;
    assert.equal((await app.call(who.officer!, 'POST', `/v2/user-tasks/${key}/assignment`, { assignee: 'officer' })).status, 204);
    assert.equal((await app.call(who.officer!, 'POST', `/v2/user-tasks/${key}/completion`, { variables: { decision: 'approve' } })).status, 204);
    assert.equal((await result(pik)).approved, true);
  });
});
