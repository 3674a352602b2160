// Scenarios of 沉浸式历练 (several participants in parallel: placement, host confirmation, weekly
// logs until the placement ends, completion report, mentor scores, sharing session, records) and
// 网格月报 (started by its monthly timer; each grid's figures compiled and reported by its leader;
// the committee's secondary analysis), with the zone's real handlers.
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

const DAY = 86_400_000;
const zoneDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

describe('programmes: rotation and monthly grid report', () => {
  let rt: EmbeddedRuntime;
  let clock: TestClock;
  let drive: Driver;
  let records: RecordService;
  let cases: CaseService;
  before(async () => {
    const t = await testRuntime('programme_rotation_report');
    ({ runtime: rt, clock } = t);
    registerZoneHandlers(rt, t.db.connection, clock.now);
    await deployShipped(rt);
    drive = new Driver(rt, { settle: () => rt.idle() });
    records = new RecordService(t.db.connection, clock.now);
    cases = new CaseService(t.db.connection, clock.now);
    const { cadres } = orgModels(t.db.connection);
    for (const [id, name] of [['C0201', '周杰'], ['C0202', '吴倩'], ['C0203', '郑浩']]) {
      await cadres.create({ _id: id, name, cohort: 'young', unit: 'donghu', gridId: '4' });
    }
  });
  after(() => rt.stop());

  const tick = async (ms: number) => { clock.advance(ms); await rt.timers.tick(); await rt.idle(); };

  it('沉浸式历练: three participants in parallel, each placed, confirmed, logging, reporting and scored; then the sharing session and the records', async () => {
    const start = clock.now();
    const endDate = zoneDate(start + 10 * DAY);
    const participants = [{ cadreId: 'C0201', name: '周杰' }, { cadreId: 'C0202', name: '吴倩' }, { cadreId: 'C0203', name: '郑浩' }];
    const pik = await drive.start('rotation-programme', {
      programmeType: '一周员工', cohortName: '2026 年第四批一周员工', gridId: '4', startDate: zoneDate(start), endDate, participants,
    });
    const places = await drive.tasks(pik, 'place', 3);
    const hosts = ['dept-market', 'zone-center', 'dept-labour'];
    for (const [i, task] of places.entries()) {
      const vars = await rt.getUserTaskVariables(task.userTaskKey);
      const who = (vars.participant as { cadreId: string }).cadreId;
      const n = participants.findIndex((p) => p.cadreId === who);
      await drive.submit(task, { placement: { host: `临平示例企业 ${n + 1} 号`, hostGroup: hosts[n], position: '生产管理助理', mentorId: `mentor${n + 1}` } });
      void i;
    }
    const confirms = await drive.tasks(pik, 'host_confirm', 3);
    assert.deepEqual(confirms.map((t) => t.candidateGroups[0]).sort(), [...hosts].sort());
    for (const task of confirms) await drive.submit(task, { hostConfirmation: { confirmed: true, contact: '企业人事主管', contactPhone: '13800001111' } });
    // A week in: a log from every participant, each assigned to its participant.
    await tick(7 * DAY + 60_000);
    const logs = await drive.tasks(pik, 'log', 3);
    assert.deepEqual(logs.map((t) => t.assignee).sort(), ['C0201', 'C0202', 'C0203']);
    for (const task of logs) await drive.submit(task, { log: { weekOf: zoneDate(clock.now()), content: '跟班学习生产排程与质量管理', problemsFound: '企业用工季节性短缺' } });
    // The placement ends: logging stops, the completion reports are due.
    await tick(Date.parse(`${endDate}T17:00:00+08:00`) - clock.now() + 60_000);
    const reports = await drive.tasks(pik, 'report', 3);
    assert.equal((await drive.openTasks(pik, 'log')).length, 0);
    for (const task of reports) {
      await drive.submit(task, { report: { caseRaised: '企业一线用工季节性短缺问题突出', analysis: '订单波动大，缺少灵活用工渠道', proposal: '建立园区共享用工平台，对接职业院校', reflections: '深入一线才能发现真问题，体会到企业的难处' } });
    }
    const scoreTasks = await drive.tasks(pik, 'score', 3);
    assert.ok(scoreTasks.every((t) => t.candidateGroups.includes('mentors') && /^mentor\d$/.test(t.candidateUsers[0]!)));
    await assert.rejects(drive.submit(scoreTasks[0]!, { scores: { communication: 6, judgement: 4, coordination: 4, discovery: 4, depth: 4 }, mentorComment: '沟通主动' }), /scores\.communication MAX/);
    for (const [i, task] of scoreTasks.entries()) {
      await drive.submit(task, { scores: { communication: 4, judgement: 3 + (i % 2), coordination: 4, discovery: 5, depth: 3 }, mentorComment: '善于发现问题，分析尚需深入' });
    }
    await drive.complete(pik, 'sharing', { sharingDate: zoneDate(clock.now()), venue: '经开区党群服务中心', attendees: 40, sharingSummary: '三名学员分享一周员工经历与发现的问题' });
    await drive.ended(pik);
    for (const { cadreId } of participants) {
      const r = await records.recordOf(cadreId);
      assert.equal(r.placements.length, 1, cadreId);
      assert.equal(r.placements[0].placement.programme, '一周员工');
      assert.equal(r.placements[0].placement.report.proposal, '建立园区共享用工平台，对接职业院校');
      assert.equal(r.scores.length, 1);
      assert.equal(r.abilities.latest.discovery, 5);
    }
  });

  it('网格月报: the monthly timer starts it; every grid reports its figures; the committee analyses', async () => {
    const instances = async () => (await rt.searchProcessInstances({ filter: { processDefinitionId: 'grid-monthly-report' } })).items;
    await tick(0); // a month whose first day passed before deployment is reported at once
    const before = (await instances()).map((p) => p.processInstanceKey);
    for (const key of before) await rt.cancelProcessInstance(key);
    // The first of next month, 09:00 in the zone (01:00 UTC): one instance.
    const now = new Date(clock.now());
    const first = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 1, 0, 0);
    await tick(first - clock.now() - 120_000);
    assert.equal((await instances()).length, before.length, 'not before the first');
    await tick(180_000);
    const started = (await instances()).filter((p) => !before.includes(p.processInstanceKey));
    assert.equal(started.length, 1, 'one instance on the first of the month');
    const pik = started[0]!.processInstanceKey;
    const writes = await drive.tasks(pik, 'write', 6);
    assert.deepEqual(writes.map((t) => t.candidateGroups[0]).sort(), ['grid-1', 'grid-2', 'grid-3', 'grid-4', 'grid-5', 'grid-6']);
    assert.match((await drive.variables(pik)).month as string, /^\d{4}-(0[1-9]|1[0-2])$/);
    await rt.cancelProcessInstance(pik);
  });

  it('网格月报 for a given month: the figures of each grid, the leaders\' reports, the secondary analysis', async () => {
    const month = zoneDate(clock.now()).slice(0, 7);
    const enterprise = '91330110MA2KXY712' + usccCheckCharacter('91330110MA2KXY712');
    await cases.open({ enterprise, category: 'tax', urgency: 'normal', title: '出口退税进度', description: '', gridId: '1', filedBy: 'cadre' });
    const pik = await drive.start('grid-monthly-report', { month, grids: ['1', '2', '3', '4', '5', '6'] });
    const writes = await drive.tasks(pik, 'write', 6);
    for (const task of writes) {
      const vars = await rt.getUserTaskVariables(task.userTaskKey);
      const report = vars.report as { filed: number; month: string; gridId: string };
      assert.equal(report.month, month);
      assert.equal(report.filed, vars.gridId === '1' ? 1 : 0, `grid ${vars.gridId}`);
      await drive.submit(task, { gridReport: { summary: `第${vars.gridId}网格本月走访企业 80 家`, commonProblems: '用地指标紧张、招工难', risks: '汛期防台', nextPlans: '开展安全生产专项走访' } });
    }
    const analyse = await drive.task(pik, 'analyse');
    assert.deepEqual(analyse.candidateGroups, ['committee']);
    const gridReports = (await drive.variables(pik)).gridReports as Array<{ gridId: string; figures: { filed: number }; report: { summary: string } }>;
    assert.equal(gridReports.length, 6);
    assert.equal(gridReports.find((g) => g.gridId === '1')!.figures.filed, 1);
    await drive.submit(analyse, {
      commonProblems: '各网格普遍反映用地指标紧张与招工难', hiddenRisks: '汛期企业防台准备不足', decisions: '由经开区统筹协调用地指标，组织专场招聘会',
      followUps: [{ task: '专场招聘会', owner: 'zone-center', due: zoneDate(clock.now() + 20 * DAY) }],
    });
    await drive.ended(pik);
  });
});
