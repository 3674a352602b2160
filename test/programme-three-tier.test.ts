// Scenarios of 三级闭环办理 on the embedded runtime with the zone's real job handlers: every path
// (resolve at a tier, escalation by hand and by deadline at each tier, return to the tier below,
// review sent back, reopen after a bad rating up to the committee, the whistle), time moved by
// the test clock, the case record and its timeline checked through the case service; who handled
// it at each tier on the timeline and in the cadres' records; the filer's review.
import assert from 'node:assert/strict';
import type { EmbeddedRuntime } from '../engine/embedded/embedded-runtime.ts';
import { usccCheckCharacter } from '../forms/uscc.ts';
import { CaseService } from '../processes/cases/service.ts';
import { Driver } from '../processes/demo/drive.ts';
import { orgModels } from '../processes/org/models.ts';
import { RecordService } from '../processes/records/service.ts';
import { deployShipped } from '../processes/diagrams/ship.ts';
import { registerZoneHandlers } from '../processes/handlers/index.ts';
import { testRuntime, type TestClock } from './helpers/runtime.ts';

const ENTERPRISE = '91330110MA2KXY712' + usccCheckCharacter('91330110MA2KXY712');
const DAY = 86_400_000;

describe('programme: three-tier handling (三级闭环办理)', () => {
  let rt: EmbeddedRuntime;
  let clock: TestClock;
  let drive: Driver;
  let cases: CaseService;
  let records: RecordService;
  before(async () => {
    const t = await testRuntime('programme_three_tier');
    ({ runtime: rt, clock } = t);
    registerZoneHandlers(rt, t.db.connection, clock.now);
    await deployShipped(rt);
    drive = new Driver(rt, { settle: () => rt.idle() });
    cases = new CaseService(t.db.connection, clock.now);
    records = new RecordService(t.db.connection, clock.now);
    // Grid 3's leader and a cadre, linked to their logins; the zone centre's staff are no cadres.
    await orgModels(t.db.connection).cadres.insertMany([
      { _id: 'C0301', name: '王建国', cohort: 'old', unit: 'zone-agency', gridId: '3', roles: ['leader'], username: 'leader' },
      { _id: 'C0302', name: '李晓燕', cohort: 'young', unit: 'donghu', gridId: '3', roles: ['member'], username: 'cadre' },
    ]);
  });
  after(() => rt.stop());

  const tick = async (ms: number) => { clock.advance(ms); await rt.timers.tick(); await rt.idle(); };
  const file = async (title = '厂房消防验收') => {
    const pik = await drive.start('three-tier-handling', {
      enterprise: ENTERPRISE, enterpriseName: '杭州临平示例智能制造有限公司', gridId: '3', filedBy: 'cadre',
      title, category: 'approval', urgency: 'urgent', description: '新建厂房消防验收排期过长，影响投产',
    });
    await drive.complete(pik, 'assess', { analysis: '涉及审批时限，需协调', whistle: false });
    return pik;
  };
  const caseOf = async (pik: string) => cases.get((await drive.variables(pik)).caseNumber as string);
  const events = async (pik: string) => (await caseOf(pik)).timeline.map((e: any) => e.tier ? `${e.event}@${e.tier}` : e.event);
  const accept = (pik: string, n: number) => drive.complete(pik, `accept_t${n}`, { handler: `handler-${n}`, plan: '三日内上门核查' });
  const handle = (pik: string, n: number, submission: Record<string, unknown>, by: string | null = null) => drive.complete(pik, `handle_t${n}`, submission, by);
  const resolve = (pik: string, n: number, by: string | null = null) => handle(pik, n, { decision: 'resolve', resolution: `第${n}级协调解决，已安排验收` }, by);
  const closeSatisfied = async (pik: string, rating = '满意') => {
    await drive.complete(pik, 'review', { reviewResult: 'approve' });
    await drive.complete(pik, 'follow_up', { followUpDate: '2026-11-27', followUpChannel: '电话', rating });
  };

  it('happy path: filed, accepted and resolved at the grid, reviewed, rated and closed', async () => {
    const pik = await file();
    const c0 = await caseOf(pik);
    assert.match(c0._id, /^SQ-\d{6}-\d{4,}$/);
    const [accept1] = await drive.tasks(pik, 'accept_t1');
    assert.deepEqual(accept1!.candidateGroups, ['grid-3']);
    assert.ok((await caseOf(pik)).deadline, 'the tier deadline is on the case');
    await accept(pik, 1);
    await resolve(pik, 1);
    await closeSatisfied(pik);
    await drive.ended(pik);
    const c = await caseOf(pik);
    assert.equal(c.status, 'closed');
    assert.equal(c.rating, 'satisfied');
    assert.equal(c.tier, 1);
    const ev = await events(pik);
    for (const e of ['filed', 'accepted', 'resolved', 'reviewed', 'rated', 'closed']) assert.ok(ev.some((x: string) => x.startsWith(e)), `${e} in ${ev}`);
  });

  it('escalation by hand at each tier: grid → zone → district department → committee', async () => {
    const pik = await file();
    await accept(pik, 1);
    await handle(pik, 1, { decision: 'escalate', reason: '涉及消防部门排期，网格无法协调' });
    const [t2] = await drive.tasks(pik, 'accept_t2');
    assert.deepEqual(t2!.candidateGroups, ['zone-center']);
    assert.equal((await caseOf(pik)).tier, 2);
    await accept(pik, 2);
    await handle(pik, 2, { decision: 'escalate', targetDept: 'dept-market', reason: '需区市场监管局联合办理' });
    const [t3] = await drive.tasks(pik, 'accept_t3');
    assert.deepEqual(t3!.candidateGroups, ['dept-market']);
    assert.equal((await caseOf(pik)).tier, 3);
    await accept(pik, 3);
    await handle(pik, 3, { decision: 'escalate', reason: '跨部门协调需党工委统筹' });
    const [committee] = await drive.tasks(pik, 'committee_handle');
    assert.deepEqual(committee!.candidateGroups, ['committee']);
    await drive.submit(committee!, { measures: '召开专题协调会', resolution: '党工委协调消防验收提前完成' });
    await closeSatisfied(pik, '基本满意');
    await drive.ended(pik);
    const c = await caseOf(pik);
    assert.equal(c.status, 'closed');
    assert.equal(c.escalations, 3);
    const escalated = c.timeline.filter((e: any) => e.event === 'escalated');
    assert.deepEqual(escalated.map((e: any) => e.reason), ['涉及消防部门排期，网格无法协调', '需区市场监管局联合办理', '跨部门协调需党工委统筹']);
    // The committee's 督办 is handling too: on the timeline after the three tiers', with its resolution.
    const handled = c.timeline.filter((e: any) => e.event === 'handled');
    assert.equal(handled.length, 4);
    assert.deepEqual([handled[3].tier, handled[3].comment], [3, '党工委协调消防验收提前完成']);
  });

  it('return to the tier below: the district returns to the zone, the zone to the grid', async () => {
    const pik = await file();
    await accept(pik, 1);
    await handle(pik, 1, { decision: 'escalate', reason: '需经开区协调资源' });
    await accept(pik, 2);
    await handle(pik, 2, { decision: 'escalate', targetDept: 'dept-planning', reason: '涉及规划调整' });
    await accept(pik, 3);
    await handle(pik, 3, { decision: 'return', reason: '不属于规划资源职能，退回经开区' });
    await drive.task(pik, 'accept_t2');
    assert.equal((await caseOf(pik)).tier, 2);
    await accept(pik, 2);
    await handle(pik, 2, { decision: 'return', reason: '材料不全，退回网格补充' });
    await drive.task(pik, 'accept_t1');
    assert.equal((await caseOf(pik)).tier, 1);
    await accept(pik, 1);
    await resolve(pik, 1);
    await closeSatisfied(pik);
    const returned = (await caseOf(pik)).timeline.filter((e: any) => e.event === 'returned');
    assert.deepEqual(returned.map((e: any) => [e.tier, e.reason]), [[2, '不属于规划资源职能，退回经开区'], [1, '材料不全，退回网格补充']]);
  });

  it('the filer sends a resolution back: it returns to the tier that resolved it', async () => {
    const pik = await file();
    await accept(pik, 1);
    await handle(pik, 1, { decision: 'escalate', reason: '需经开区协调' });
    await accept(pik, 2);
    await resolve(pik, 2);
    // The tier's timers end with its handling: a month later nothing has fired.
    await drive.task(pik, 'review');
    await tick(Date.parse((await drive.variables(pik)).deadline as string) - clock.now() + DAY);
    assert.ok(!(await events(pik)).some((e: string) => e.startsWith('overdue') || e.startsWith('warned')));
    await drive.complete(pik, 'review', { reviewResult: 'reject', reviewComment: '企业反映尚未落实' });
    await drive.task(pik, 'accept_t2');
    await accept(pik, 2);
    await resolve(pik, 2);
    await closeSatisfied(pik);
    await drive.ended(pik);
    assert.equal((await caseOf(pik)).status, 'closed');
  });

  it('reopen after a bad rating, twice; the third 不满意 goes to the committee', async () => {
    const pik = await file();
    for (let round = 0; round < 3; round++) {
      await accept(pik, 1);
      await resolve(pik, 1);
      await drive.complete(pik, 'review', { reviewResult: 'approve' });
      await drive.complete(pik, 'follow_up', { followUpDate: '2026-11-27', followUpChannel: '现场', rating: '不满意', ratingComment: `第${round + 1}次回访仍未解决` });
    }
    const [final] = await drive.tasks(pik, 'committee_final');
    assert.equal((await caseOf(pik)).reopenCount, 2);
    await drive.submit(final!, { finalDecision: '已尽最大努力，作结案处理并持续跟踪' });
    await drive.ended(pik);
    const c = await caseOf(pik);
    assert.equal(c.status, 'closed');
    assert.equal(c.timeline.filter((e: any) => e.event === 'reopened').length, 2);
    assert.equal(c.rating, 'dissatisfied');
  });

  it('whistle: from a tier\'s handling and from the assessment, straight to the committee', async () => {
    const pik = await file();
    await accept(pik, 1);
    await handle(pik, 1, { decision: 'escalate', reason: '需经开区协调' });
    await accept(pik, 2);
    await handle(pik, 2, { decision: 'whistle', reason: '发现重大安全隐患，需立即处置' });
    await drive.task(pik, 'committee_handle');
    const c = await caseOf(pik);
    assert.equal(c.whistled, true);
    assert.ok(c.timeline.some((e: any) => e.event === 'whistled' && e.reason === '发现重大安全隐患，需立即处置'));

    const early = await drive.start('three-tier-handling', {
      enterprise: ENTERPRISE, enterpriseName: '杭州临平示例智能制造有限公司', gridId: '3', filedBy: 'cadre',
      title: '危化品仓储', category: 'safety', urgency: 'critical', description: '仓库违规存放危化品',
    });
    await assert.rejects(drive.complete(early, 'assess', { analysis: '存在重大风险', whistle: true }), /reason REQUIRED/);
    await drive.complete(early, 'assess', { analysis: '存在重大风险', whistle: true, reason: '危化品违规存放，存在爆炸风险' });
    await drive.task(early, 'committee_handle');
    assert.equal((await drive.openTasks(early, 'accept_t1')).length, 0);
    await rt.cancelProcessInstance(early);
    await rt.cancelProcessInstance(pik);
  });
  it('records who handled it at each tier (已办理 on the timeline, once per case in each cadre\'s record); the filer reviews', async () => {
    // Filed through the start form by the signed-in cadre, who typed a display name as 登记人.
    const pik = await drive.start('three-tier-handling', {
      enterprise: ENTERPRISE, enterpriseName: '杭州临平示例智能制造有限公司', gridId: '3', filedBy: '第3网格干部', startedBy: 'cadre',
      title: '厂区用电增容', category: 'approval', urgency: 'normal', description: '新增产线需增容 2000 kVA',
    });
    await drive.complete(pik, 'assess', { analysis: '需供电部门配合', whistle: false });
    assert.equal((await drive.variables(pik)).filerId, 'cadre');
    await accept(pik, 1);
    await handle(pik, 1, { decision: 'escalate', reason: '需经开区协调供电公司' }, 'cadre');
    await accept(pik, 2);
    await handle(pik, 2, { decision: 'return', reason: '请网格补充用电负荷测算' }, 'center');
    await accept(pik, 1);
    await resolve(pik, 1, 'cadre');

    const [review] = await drive.tasks(pik, 'review');
    assert.equal(review!.assignee, 'cadre', 'the filer reviews');
    assert.deepEqual(review!.candidateGroups, ['grid-3'], 'the grid may take it over');
    await drive.submit(review!, { reviewResult: 'reject', reviewComment: '企业反映增容尚未落实' }, 'cadre');
    await accept(pik, 1);
    await resolve(pik, 1, 'leader');
    await closeSatisfied(pik);
    await drive.ended(pik);

    const c = await caseOf(pik);
    const handled = c.timeline.filter((e: any) => e.event === 'handled');
    assert.deepEqual(handled.map((e: any) => [e.tier, e.by, e.handler]), [[1, 'cadre', 'cadre'], [2, 'center', 'center'], [1, 'cadre', 'cadre'], [1, 'leader', 'leader']]);
    assert.deepEqual(handled.map((e: any) => e.comment), ['需经开区协调供电公司', '请网格补充用电负荷测算', '第1级协调解决，已安排验收', '第1级协调解决，已安排验收']);
    const order = c.timeline.map((e: any) => e.event);
    assert.equal(order[order.indexOf('handled') + 1], 'escalated', `the handling comes before its decision: ${order}`);

    const handledBy = async (cadreId: string) => (await records.recordOf(cadreId)).casesHandled.filter((e: any) => e.caseNumber === c._id);
    const mine = await handledBy('C0302');
    assert.equal(mine.length, 1, 'handled twice, recorded once');
    assert.deepEqual(mine[0].case, { title: '厂区用电增容', category: 'approval', status: 'closed', rating: 'satisfied', gridId: '3' });
    assert.equal((await handledBy('C0301')).length, 1);
    assert.equal(await records.entries.countDocuments({ caseNumber: c._id }), 2, 'the zone centre\'s handler is no cadre: no record');
  });

  it('a demand of a visit keeps the visit\'s filer: the one who recorded the visit reviews its case', async () => {
    const loop = await drive.start('enterprise-service-loop', {
      enterprise: ENTERPRISE, enterpriseName: '杭州临平示例智能制造有限公司', gridId: '3', filedBy: '李晓燕', startedBy: 'cadre3b', visitDate: '2026-11-26', channel: '现场',
      demands: [{ title: '招工难', category: 'labour', urgency: 'normal', description: '' }],
    });
    const [assess] = await drive.tasks(loop, 'assess');
    assert.equal((await drive.variables(assess!.processInstanceKey)).filerId, 'cadre3b');
    await rt.cancelProcessInstance(loop);
  });

  it('a handling completed without a known user is still 已办理, with the 承办人 named at acceptance; no record is written', async () => {
    const pik = await file('无人认领的办理');
    await accept(pik, 1);
    await resolve(pik, 1);
    await drive.task(pik, 'review');
    const c = await caseOf(pik);
    const handled = c.timeline.find((e: any) => e.event === 'handled');
    assert.deepEqual([handled.tier, handled.by, handled.handler, handled.comment], [1, null, 'handler-1', '第1级协调解决，已安排验收']);
    assert.equal(await records.entries.countDocuments({ caseNumber: c._id }), 0);
    // Filed through the API by a filer named in the variables: they review.
    assert.equal((await drive.task(pik, 'review')).assignee, 'cadre');
    await rt.cancelProcessInstance(pik);
  });

  // Last: it moves the clock on by weeks (the calendar of working days covers the current year).
  it('escalation by deadline at each tier: a warning before, automatic escalation after, in working days', async () => {
    const pik = await file('逾期测试');
    await drive.task(pik, 'accept_t1');
    const v1 = await drive.variables(pik);
    const warnAt = Date.parse(v1.warnAt as string), deadline = Date.parse(v1.deadline as string);
    assert.ok(warnAt < deadline && deadline > clock.now() + DAY, 'three working days ahead, the warning before it');
    await tick(warnAt - clock.now() + 60_000);
    await drive.until(async () => (await events(pik)).includes('warned@1'), 'the warning at the grid');
    assert.equal((await drive.openTasks(pik, 'accept_t1')).length, 1, 'the warning does not interrupt');
    await tick(deadline - clock.now() + 60_000);
    assert.equal((await drive.openTasks(pik, 'accept_t1')).length, 0);
    await drive.task(pik, 'accept_t2');
    assert.equal((await caseOf(pik)).tier, 2);
    // Tier 2 and tier 3 run out as well: tier 3 without a chosen department goes to the district.
    await tick(Date.parse((await drive.variables(pik)).deadline as string) - clock.now() + 60_000);
    const [t3] = await drive.tasks(pik, 'accept_t3');
    assert.deepEqual(t3!.candidateGroups, ['district']);
    await tick(Date.parse((await drive.variables(pik)).deadline as string) - clock.now() + 60_000);
    await drive.task(pik, 'committee_handle');
    const ev = await events(pik);
    for (const e of ['overdue@1', 'overdue@2', 'overdue@3']) assert.ok(ev.includes(e), `${e} in ${ev}`);
    const c = await caseOf(pik);
    assert.equal(c.escalations, 3);
    assert.match(c.timeline.find((e: any) => e.event === 'escalated').reason, /超过网格办理时限/);
    await rt.cancelProcessInstance(pik);
  });

});
