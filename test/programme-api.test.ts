// Three-tier handling through the HTTP API as its users work it: a grid cadre files and handles,
// the zone centre and the market supervision bureau take it in turn, each sees the case through
// its candidate group; the server refuses a submission its form refuses (an escalation without a
// reason) and the case record's timeline is read from /api/cases, with who handled it at each tier;
// the filer reviews; the handling cadre's record (/api/cadres/{id}/record) lists the case.
import assert from 'node:assert/strict';
import { usccCheckCharacter } from '../forms/uscc.ts';
import { orgModels } from '../processes/org/models.ts';
import { programmesFeature } from '../processes/programmes.ts';
import { createZoneFeature } from '../processes/zone-feature.ts';
import { startSecureApp, type Caller, type SecureApp } from './helpers/secure-app.ts';

const ENTERPRISE = '91330110MA2KXY712' + usccCheckCharacter('91330110MA2KXY712');

describe('programme over the API: three-tier handling', () => {
  let app: SecureApp;
  let cadre: Caller, center: Caller, officer: Caller, outsider: Caller;
  const demoFlows = process.env.GRIDFLOW_DEMO_FLOWS;
  before(async function () {
    this.timeout(60_000);
    process.env.GRIDFLOW_DEMO_FLOWS = 'false';
    app = await startSecureApp('programme_api', { features: [createZoneFeature({ seed: false }), programmesFeature] });
    cadre = await app.login('cadre', 'gridflow-demo');
    officer = await app.login('officer', 'gridflow-demo');
    for (const group of ['zone-center', 'grid-5']) await app.auth.identity.store.createGroup(group).catch(() => {});
    center = await app.user('center1', ['cadre'], ['zone-center']);
    outsider = await app.user('grid5cadre', ['cadre'], ['grid-5']);
    usernames.set(cadre, 'cadre').set(officer, 'officer').set(center, 'center1');
    await orgModels(app.db.connection).cadres.create({ _id: 'C0302', name: '李晓燕', cohort: 'young', unit: 'donghu', gridId: '3', roles: ['member'], username: 'cadre' });
  });
  after(async () => {
    if (demoFlows === undefined) delete process.env.GRIDFLOW_DEMO_FLOWS; else process.env.GRIDFLOW_DEMO_FLOWS = demoFlows;
    await app.close();
  });

  const taskOf = async (as: Caller, processInstanceKey: string, elementId: string) => {
    for (let i = 0; i < 200; i++) {
      const r = await app.call(as, 'POST', '/v2/user-tasks/search', { filter: { processInstanceKey, elementId, state: 'CREATED' } });
      assert.equal(r.status, 200, r.text);
      if (r.json.items.length > 0) return r.json.items[0];
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error(`no task ${elementId}`);
  };
  const usernames = new Map<Caller, string>();
  /** Claims the task (a candidate assigns it to itself), then completes it through Gridflow's own endpoint. */
  const complete = async (as: Caller, task: { userTaskKey: string; assignee: string | null }, variables: object) => {
    if (!task.assignee) {
      const claim = await app.call(as, 'POST', `/v2/user-tasks/${task.userTaskKey}/assignment`, { assignee: usernames.get(as) });
      assert.equal(claim.status, 204, claim.text);
      task.assignee = usernames.get(as)!;
    }
    return app.call(as, 'POST', `/api/user-tasks/${task.userTaskKey}/completion`, { variables });
  };

  it('files, escalates with reasons, resolves at the district, is reviewed and rated; the case keeps the timeline', async () => {
    const started = await app.call(cadre, 'POST', '/v2/process-instances', {
      processDefinitionId: 'three-tier-handling',
      variables: { enterprise: ENTERPRISE, enterpriseName: '杭州临平示例生物医药有限公司', gridId: '3', filedBy: 'cadre', title: '食品生产许可证延续', category: 'approval', urgency: 'urgent', description: '许可证下月到期' },
    });
    assert.equal(started.status, 200, started.text);
    const pik = started.json.processInstanceKey;

    const assess = await taskOf(cadre, pik, 'assess');
    assert.equal((await complete(cadre, assess, { analysis: '需市场监管部门办理', whistle: false })).status, 204);
    assert.equal((await complete(cadre, await taskOf(cadre, pik, 'accept_t1'), { handler: '第3网格干部' })).status, 204);
    const handle1 = await taskOf(cadre, pik, 'handle_t1');
    const refused = await complete(cadre, handle1, { decision: 'escalate' });
    assert.equal(refused.status, 422, refused.text);
    assert.deepEqual(refused.json.errors.map((e: any) => [e.path, e.code]), [['reason', 'REQUIRED']]);
    assert.equal((await complete(cadre, handle1, { decision: 'escalate', reason: '涉及区级审批，网格无法办理' })).status, 204);

    // The zone centre sees the case at tier 2; a cadre of another grid does not.
    const accept2 = await taskOf(center, pik, 'accept_t2');
    const hidden = await app.call(outsider, 'POST', '/v2/user-tasks/search', { filter: { processInstanceKey: pik } });
    assert.equal(hidden.json.items.length, 0);
    assert.equal((await complete(center, accept2, { handler: '经开区企业服务中心' })).status, 204);
    assert.equal((await complete(center, await taskOf(center, pik, 'handle_t2'), { decision: 'escalate', targetDept: 'dept-market', reason: '需区市场监管局审批' })).status, 204);
    assert.equal((await complete(officer, await taskOf(officer, pik, 'accept_t3'), { handler: '区市场监管局许可科' })).status, 204);
    assert.equal((await complete(officer, await taskOf(officer, pik, 'handle_t3'), { decision: 'resolve', resolution: '已完成许可证延续审批' })).status, 204);
    const review = await taskOf(cadre, pik, 'review');
    assert.equal(review.assignee, 'cadre', 'the filer reviews, with nothing to claim');
    assert.deepEqual(review.candidateGroups, ['grid-3']);
    assert.equal((await complete(cadre, review, { reviewResult: 'approve' })).status, 204);
    assert.equal((await complete(cadre, await taskOf(cadre, pik, 'follow_up'), { followUpDate: '2026-11-27', followUpChannel: '电话', rating: '满意' })).status, 204);

    let kase: any;
    for (let i = 0; i < 200; i++) {
      const vars = await app.call(cadre, 'POST', '/v2/variables/search', { filter: { processInstanceKey: pik, name: 'caseNumber' } });
      const number = JSON.parse(vars.json.items[0].value);
      const r = await app.call(cadre, 'GET', `/api/cases/${number}`);
      assert.equal(r.status, 200, r.text);
      kase = r.json;
      if (kase.status === 'closed') break;
      await new Promise((res) => setTimeout(res, 50));
    }
    assert.equal(kase.status, 'closed');
    const events = kase.timeline.map((e: any) => e.event);
    for (const e of ['filed', 'accepted', 'escalated', 'resolved', 'reviewed', 'rated', 'closed']) assert.ok(events.includes(e), `${e} in ${events}`);
    assert.deepEqual(kase.timeline.filter((e: any) => e.event === 'escalated').map((e: any) => e.reason), ['涉及区级审批，网格无法办理', '需区市场监管局审批']);
    assert.deepEqual(kase.timeline.filter((e: any) => e.event === 'handled').map((e: any) => [e.tier, e.by]), [[1, 'cadre'], [2, 'center1'], [3, 'officer']]);

    // The grid cadre handled it (and escalated): the case is in their record; the centre's and the bureau's staff are no cadres.
    const record = await app.call(cadre, 'GET', '/api/cadres/C0302/record');
    assert.equal(record.status, 200, record.text);
    assert.deepEqual(record.json.casesHandled.map((e: any) => [e.caseNumber, e.case.title, e.case.status, e.case.rating]), [[kase.number, '食品生产许可证延续', 'closed', 'satisfied']]);
  });
});
