// Scenarios of 企业服务闭环 (a visit whose demands each become a case handled through the
// three-tier process, then the summary) and 揭榜破难 (approval, application window, republish
// when nobody applied, selection, progress reports on a timer cycle with mentor review,
// acceptance extended, failed or passed, results in the cadres' records), with the real handlers.
import assert from 'node:assert/strict';
import type { EmbeddedRuntime } from '../engine/embedded/embedded-runtime.ts';
import { usccCheckCharacter } from '../forms/uscc.ts';
import { CaseService } from '../processes/cases/service.ts';
import { Driver } from '../processes/demo/drive.ts';
import { deployShipped } from '../processes/diagrams/ship.ts';
import { registerZoneHandlers } from '../processes/handlers/index.ts';
import { orgModels } from '../processes/org/models.ts';
import { RecordService } from '../processes/records/service.ts';
import { testRuntime, type TestClock } from './helpers/runtime.ts';

const ENTERPRISE = '91330110MA2KXY712' + usccCheckCharacter('91330110MA2KXY712');
const DAY = 86_400_000;

describe('programmes: enterprise-service loop and challenge-and-solve', () => {
  let rt: EmbeddedRuntime;
  let clock: TestClock;
  let drive: Driver;
  let cases: CaseService;
  let records: RecordService;
  before(async () => {
    const t = await testRuntime('programme_loop_challenge');
    ({ runtime: rt, clock } = t);
    registerZoneHandlers(rt, t.db.connection, clock.now);
    await deployShipped(rt);
    drive = new Driver(rt, { settle: () => rt.idle() });
    cases = new CaseService(t.db.connection, clock.now);
    records = new RecordService(t.db.connection, clock.now);
    const { cadres } = orgModels(t.db.connection);
    for (const [id, name] of [['C0101', '王磊'], ['C0102', '李娜'], ['C0103', '陈晨'], ['C0104', '赵敏']]) {
      await cadres.create({ _id: id, name, cohort: 'young', unit: 'zone-agency', gridId: '2' });
    }
  });
  after(() => rt.stop());

  const tick = async (ms: number) => { clock.advance(ms); await rt.timers.tick(); await rt.idle(); };

  describe('企业服务闭环', () => {
    const visit = (demands: object[]) => drive.start('enterprise-service-loop', {
      enterprise: ENTERPRISE, enterpriseName: '杭州临平示例生物医药有限公司', gridId: '2', filedBy: 'cadre',
      visitDate: '2026-11-20', channel: '座谈', policies: ['安全生产', '政策宣讲'], handbookPacks: 3, demands,
    });

    it('each demand becomes a case handled in its own three-tier instance; the rating closes it; then the summary', async () => {
      const pik = await visit([
        { title: '高层次人才公寓申请', category: 'labour', urgency: 'normal', description: '研发人员住房' },
        { title: '统计入库指导', category: 'statistics', urgency: 'urgent', description: '年度入库材料' },
      ]);
      const assessments = await drive.tasks(pik, 'assess', 2);
      const children = (await rt.searchProcessInstances({ filter: { parentProcessInstanceKey: pik } })).items;
      assert.equal(children.length, 2);
      const numbers = await Promise.all(children.map(async (c) => (await drive.variables(c.processInstanceKey)).caseNumber as string));
      assert.equal(new Set(numbers).size, 2, 'two cases filed');
      for (const n of numbers) {
        const c = await cases.get(n);
        assert.equal(c.enterprise.uscc, ENTERPRISE);
        assert.equal(c.gridId, '2');
        assert.equal(c.filedBy, 'cadre');
      }
      for (const task of assessments) await drive.submit(task, { analysis: '网格可协调解决', whistle: false });
      for (const child of children) {
        const k = child.processInstanceKey;
        await drive.complete(k, 'accept_t1', { handler: 'cadre' });
        await drive.complete(k, 'handle_t1', { decision: 'resolve', resolution: '已协调相关部门落实' });
        await drive.complete(k, 'review', { reviewResult: 'approve' });
        await drive.complete(k, 'follow_up', { followUpDate: '2026-11-27', followUpChannel: '电话', rating: '基本满意' });
      }
      const summary = await drive.task(pik, 'summary');
      assert.deepEqual(summary.candidateGroups, ['grid-2']);
      const outcomes = (await drive.variables(pik)).outcomes as Array<{ caseNumber: string; rating: string; caseStatus: string }>;
      assert.deepEqual(outcomes.map((o) => o.caseNumber).sort(), [...numbers].sort());
      assert.ok(outcomes.every((o) => o.rating === '基本满意' && o.caseStatus === 'closed'));
      await drive.submit(summary, { summary: '企业诉求均已办结，企业基本满意', tags: ['政策需求'] });
      await drive.ended(pik);
      for (const n of numbers) assert.equal((await cases.get(n)).status, 'closed');
    });

    it('a visit without demands goes straight to the summary', async () => {
      const pik = await visit([]);
      await drive.complete(pik, 'summary', { summary: '企业经营正常，暂无诉求' });
      await drive.ended(pik);
    });

    it('a dissatisfied enterprise reopens its case inside the loop', async () => {
      const pik = await visit([{ title: '污水纳管', category: 'environment', urgency: 'urgent', description: '' }]);
      await drive.complete(pik, 'assess', { analysis: '需协调环保部门', whistle: false });
      await drive.complete(pik, 'accept_t1', { handler: 'cadre' });
      await drive.complete(pik, 'handle_t1', { decision: 'resolve', resolution: '已联系污水处理厂' });
      await drive.complete(pik, 'review', { reviewResult: 'approve' });
      await drive.complete(pik, 'follow_up', { followUpDate: '2026-11-27', followUpChannel: '现场', rating: '不满意', ratingComment: '纳管仍未接通' });
      await drive.complete(pik, 'accept_t1', { handler: 'cadre' });
      await drive.complete(pik, 'handle_t1', { decision: 'resolve', resolution: '管网已接通并验收' });
      await drive.complete(pik, 'review', { reviewResult: 'approve' });
      await drive.complete(pik, 'follow_up', { followUpDate: '2026-11-30', followUpChannel: '现场', rating: '满意' });
      await drive.complete(pik, 'summary', { summary: '重办后管网接通，企业满意' });
      await drive.ended(pik);
      const [outcome] = (await drive.variables(pik)).outcomes as Array<{ caseNumber: string }>;
      const c = await cases.get(outcome!.caseNumber);
      assert.equal(c.reopenCount, 1);
      assert.equal(c.rating, 'satisfied');
    });
  });

  describe('揭榜破难', () => {
    const propose = async (title: string) => {
      const pik = await drive.start('challenge-solve', {
        title, source: 'target-sector', gridId: '2', description: '半导体专用设备企业关键零部件本地配套率低', expectedOutcome: '形成本地配套清单并促成 3 家对接', proposer: 'committee',
      });
      const approve = await drive.task(pik, 'approve');
      assert.deepEqual(approve.candidateGroups, ['committee']);
      return pik;
    };
    const approveAndPublish = async (pik: string, id: string) => {
      await drive.complete(pik, 'approve', { approval: 'approve', challengeId: id, applicationDays: 10, maxTeams: 2 });
      await drive.complete(pik, 'publish', { notice: '现面向全体干部发榜，欢迎揭榜攻坚', applicationDays: 10 });
    };
    const apply = (pik: string, teamName: string, leader: string, members: Array<{ cadreId: string; name: string }>) =>
      drive.complete(pik, 'apply', { teamName, leader, members, plan: '走访 20 家企业，梳理配套需求并对接供应商' });

    it('the committee may refuse to publish', async () => {
      const pik = await propose('不予发榜的难题');
      await drive.complete(pik, 'approve', { approval: 'reject', approvalComment: '已有部门专项推进' });
      await drive.ended(pik);
    });

    it('no applicants: republished; then applications, selection, progress reports with mentor review, extension, pass', async () => {
      const pik = await propose('关键零部件本地配套');
      await approveAndPublish(pik, 'JB-2026-001');
      const [window] = await drive.tasks(pik, 'apply');
      assert.deepEqual(window!.candidateGroups, ['grid-1', 'grid-2', 'grid-3', 'grid-4', 'grid-5', 'grid-6']);
      await tick(10 * DAY + 60_000);
      // The window closed with nobody: back to publishing.
      await drive.complete(pik, 'publish', { notice: '第二轮发榜，欢迎各网格干部组队揭榜', applicationDays: 5 });
      await apply(pik, '配套攻坚队', 'C0101', [{ cadreId: 'C0102', name: '李娜' }]);
      await apply(pik, '产业链小组', 'C0103', []);
      // Two teams fill the window (maxTeams 2): selection at once.
      const select = await drive.task(pik, 'select');
      await drive.submit(select, { selection: 'select', selectedTeam: '配套攻坚队' });
      const team = (await drive.variables(pik)).team as { cadreIds: string[] };
      assert.deepEqual(team.cadreIds, ['C0101', 'C0102']);
      // Every two weeks a progress report, reviewed by a mentor until the team delivers with one.
      const report = (progressPercent: number, progress: string, outcome?: string) =>
        drive.complete(pik, 'progress', outcome ? { progressPercent, progress, delivery: 'deliver', outcome } : { progressPercent, progress, delivery: 'continue' });
      await tick(14 * DAY + 60_000);
      const [first] = await drive.tasks(pik, 'progress');
      assert.deepEqual(first!.candidateUsers, ['C0101', 'C0102']);
      await report(40, '已走访 8 家企业');
      const [review] = await drive.tasks(pik, 'mentor_review');
      assert.deepEqual(review!.candidateGroups, ['mentors']);
      await drive.submit(review!, { mentorAssessment: '进展良好', mentorComment: '方向正确，注意梳理清单' });
      await tick(14 * DAY + 60_000);
      await report(80, '已形成配套清单初稿');
      await drive.complete(pik, 'mentor_review', { mentorAssessment: '基本正常', mentorComment: '尽快促成对接' });
      await tick(14 * DAY + 60_000);
      await assert.rejects(drive.complete(pik, 'progress', { progressPercent: 100, progress: '配套清单已完成', delivery: 'deliver' }), /outcome REQUIRED/);
      await report(100, '清单完成并开展对接', '形成配套清单，促成 2 家对接');
      await drive.complete(pik, 'acceptance', { verdict: 'extend', acceptanceComment: '对接数量未达预期', extensionDays: 30 });
      await tick(14 * DAY + 60_000);
      await report(100, '补充对接 2 家企业', '形成配套清单，促成 4 家对接');
      await drive.complete(pik, 'acceptance', { verdict: 'pass', acceptanceComment: '成果达到预期' });
      await drive.ended(pik);
      assert.equal((await rt.history(pik)).filter((h) => h.event === 'USER_TASK_COMPLETED' && h.elementId === 'mentor_review').length, 2);
      for (const id of ['C0101', 'C0102']) {
        const r = await records.recordOf(id);
        assert.deepEqual(r.challenges.map((c: any) => [c.challengeId, c.result]), [['JB-2026-001', 'passed']]);
      }
      assert.deepEqual((await records.recordOf('C0103')).challenges, []);
    });

    it('acceptance failed after an extension: the failure goes into each member\'s record; the committee may republish instead of selecting', async () => {
      const pik = await propose('新兴产业课题研究');
      await approveAndPublish(pik, 'JB-2026-002');
      await apply(pik, '课题组', 'C0104', [{ cadreId: 'C0103', name: '陈晨' }]);
      await tick(10 * DAY + 60_000);
      await drive.complete(pik, 'select', { selection: 'republish', selectionComment: '方案深度不足' });
      await drive.complete(pik, 'publish', { notice: '重新发榜，请各网格干部积极揭榜', applicationDays: 7 });
      await apply(pik, '课题组二期', 'C0104', [{ cadreId: 'C0103', name: '陈晨' }]);
      await tick(7 * DAY + 60_000);
      await drive.complete(pik, 'select', { selection: 'select', selectedTeam: '课题组二期' });
      await tick(14 * DAY + 60_000);
      await drive.complete(pik, 'progress', { progressPercent: 100, progress: '课题初稿完成', delivery: 'deliver', outcome: '完成课题初稿，待补充调研数据' });
      await drive.complete(pik, 'acceptance', { verdict: 'extend', acceptanceComment: '调研数据不足', extensionDays: 20 });
      await tick(14 * DAY + 60_000);
      await drive.complete(pik, 'progress', { progressPercent: 100, progress: '补充调研完成', delivery: 'deliver', outcome: '补充调研后的课题报告' });
      await drive.complete(pik, 'acceptance', { verdict: 'fail', acceptanceComment: '结论缺乏数据支撑' });
      await drive.ended(pik);
      for (const id of ['C0104', 'C0103']) {
        const r = await records.recordOf(id);
        assert.ok(r.challenges.some((c: any) => c.challengeId === 'JB-2026-002' && c.result === 'failed'), id);
      }
    });

    // Bug in the embedded runtime: bpmn-elements computes a timer's expiry from the wall clock
    // (TimerEventDefinition: expireAt = new Date() + duration), and engine/embedded/instance.ts
    // schedules that instant instead of the runtime's clock + duration. A timer armed while the
    // clock runs ahead of the wall clock (tests, a corrected clock) is due at once.
    it('regression: a progress report re-armed after a review is due two weeks later on the runtime\'s clock', async () => {
      const pik = await propose('计时回归');
      await approveAndPublish(pik, 'JB-2026-009');
      await apply(pik, '计时队', 'C0101', []);
      await tick(10 * DAY + 60_000);
      await drive.complete(pik, 'select', { selection: 'select', selectedTeam: '计时队' });
      await tick(14 * DAY + 60_000);
      await drive.complete(pik, 'progress', { progressPercent: 10, progress: '启动实地调研', delivery: 'continue' });
      await drive.complete(pik, 'mentor_review', { mentorAssessment: '基本正常', mentorComment: '按计划推进' });
      await tick(60_000);
      assert.equal((await drive.openTasks(pik, 'progress')).length, 0);
    });
  });
});
