import assert from 'node:assert/strict';
import type { ActivatedJob, JobOutcome, Runtime, UserTask } from '../engine/runtime.ts';
import { zoneHandlers } from '../processes/handlers/index.ts';
import { CaseService } from '../processes/cases/service.ts';
import { orgModels } from '../processes/org/models.ts';
import { recordModel } from '../processes/records/model.ts';
import { registerZoneHandlers } from '../processes/handlers/index.ts';
import { bpmn, flow } from './helpers/bpmn.ts';
import { deployXml, testRuntime, type TestClock } from './helpers/runtime.ts';
import { usccCheckCharacter } from '../forms/uscc.ts';
import type { EmbeddedRuntime } from '../engine/embedded/embedded-runtime.ts';

export const uscc = (body17: string) => body17 + usccCheckCharacter(body17)!;
const ENTERPRISE = uscc('91330110MA2B00001');

let seq = 0;
const job = (type: string, variables: Record<string, unknown>, customHeaders: Record<string, string> = {}, jobKey = String(1000 + ++seq)): ActivatedJob => ({
  type, processDefinitionId: 'p', processDefinitionVersion: 1, elementId: 'e', customHeaders, worker: 'w', retries: 3, deadline: 0,
  variables, tenantId: '<default>', jobKey, processInstanceKey: '42', processDefinitionKey: '1', elementInstanceKey: '2', kind: 'BPMN_ELEMENT', listenerEventType: 'UNSPECIFIED',
});

const completed = (o: JobOutcome) => { assert.ok('complete' in o, `expected completion, got ${JSON.stringify(o)}`); return o.complete as Record<string, any>; };
const failure = (o: JobOutcome) => { assert.ok('fail' in o, `expected a failure, got ${JSON.stringify(o)}`); return o.fail; };

describe('zone: job handlers', () => {
  let rt: EmbeddedRuntime;
  let clock: TestClock;
  let connection: any;
  let h: ReturnType<typeof zoneHandlers>;
  let cases: CaseService;
  before(async () => {
    let db;
    ({ runtime: rt, clock, db } = await testRuntime('zone_handlers', { timers: false }));
    connection = db.connection;
    const org = orgModels(connection);
    await org.grids.insertMany([1, 2, 3, 4, 5, 6].map((n) => ({ _id: String(n), name: `第${n}网格` })));
    await org.enterprises.create({ _id: ENTERPRISE, name: '杭州临平示例智造有限公司', industry: 'smart-manufacturing', gridId: '3' });
    await org.cadres.insertMany([
      { _id: 'C0001', name: '王建国', cohort: 'old', unit: 'zone-agency', gridId: '3', roles: ['leader'] },
      { _id: 'C0002', name: '李晓燕', cohort: 'young', unit: 'donghu', gridId: '3', roles: ['member'] },
    ]);
    h = zoneHandlers(connection, () => clock.now());
    cases = new CaseService(connection, () => clock.now());
  });
  after(() => rt.stop());

  const open = (extra: Record<string, unknown> = {}, jobKey?: string) => h['gridflow.case.open'](job('gridflow.case.open', {
    enterprise: ENTERPRISE, category: '安全生产', urgency: 'urgent', title: '厂房消防验收', description: '需协调验收时间', gridId: 3, filedBy: 'cadre', ...extra,
  }, {}, jobKey));

  it('files a case with a number of the month, tier 1, the enterprise\'s name', async () => {
    const out = completed(await open());
    assert.match(out.caseNumber, /^SQ-\d{6}-\d{4}$/);
    assert.deepEqual({ tier: out.caseTier, status: out.caseStatus }, { tier: 1, status: 'filed' });
    const c = await cases.get(out.caseNumber);
    assert.equal(c.enterprise.name, '杭州临平示例智造有限公司');
    assert.equal(c.category, 'safety');
    assert.equal(c.urgency, 'urgent');
    assert.equal(c.gridId, '3');
    assert.deepEqual(c.processInstanceKeys, ['42']);
    assert.equal(c.timeline[0].event, 'filed');
  });

  it('files one case for a job delivered twice (and concurrently)', async () => {
    const before = await cases.models.cases.countDocuments({});
    const [a, b] = await Promise.all([open({}, 'dup-1'), open({}, 'dup-1')]);
    const c = completed(await open({}, 'dup-1'));
    assert.equal(completed(a).caseNumber, completed(b).caseNumber);
    assert.equal(c.caseNumber, completed(a).caseNumber);
    assert.equal(await cases.models.cases.countDocuments({}), before + 1);
  });

  it('refuses bad input without retries, naming the field', async () => {
    const cases_ = [
      [{ enterprise: undefined }, /enterprise .*is required/],
      [{ enterprise: '91330110MA2B00001X' }, /enterprise "91330110MA2B00001X" is not a valid unified social credit code/],
      [{ category: 'weather' }, /category must be one of/],
      [{ urgency: 'whenever' }, /urgency must be one of/],
      [{ title: '' }, /title is required/],
      [{ gridId: 'five' }, /gridId must be a grid number/],
      [{ gridId: 9 }, /grid 9 does not exist/],
      [{ parentCaseNumber: 'X-1' }, /parentCaseNumber/],
    ] as const;
    for (const [vars, message] of cases_) {
      const f = failure(await open(vars as Record<string, unknown>));
      assert.equal(f.retries, 0);
      assert.match(f.errorMessage!, message);
    }
    const noNumber = failure(await h['gridflow.case.event'](job('gridflow.case.event', {}, { event: 'accepted' })));
    assert.deepEqual([noNumber.retries, noNumber.errorMessage], [0, 'caseNumber is required']);
    assert.match(failure(await h['gridflow.case.event'](job('gridflow.case.event', { caseNumber: 'SQ-202611-9999' }, { event: 'accepted' }))).errorMessage!, /case SQ-202611-9999 does not exist/);
    assert.match(failure(await h['gridflow.case.event'](job('gridflow.case.event', { caseNumber: 'SQ-202611-0001' }, {}))).errorMessage!, /header event is required/);
    assert.match(failure(await h['gridflow.case.event'](job('gridflow.case.event', { caseNumber: 'SQ-202611-0001' }, { event: 'exploded' }))).errorMessage!, /event must be one of/);
    assert.match(failure(await h['gridflow.case.event'](job('gridflow.case.event', { caseNumber: 'SQ-202611-0001', rating: '还行' }, { event: 'rated' }))).errorMessage!, /rating must be one of 满意, 基本满意, 不满意/);
    assert.match(failure(await h['gridflow.case.deadline'](job('gridflow.case.deadline', { caseNumber: 'SQ-202611-0001', slaDays: -1 }))).errorMessage!, /slaDays must be a whole number/);
    assert.match(failure(await h['gridflow.report.compile'](job('gridflow.report.compile', { month: '2026-13' }))).errorMessage!, /month must be YYYY-MM/);
  });

  it('raises a BPMN error instead when the task names one for bad input', async () => {
    const out = await h['gridflow.case.open'](job('gridflow.case.open', { enterprise: '91330110MA2B00001X', category: 'tax', title: 'x', gridId: 3 }, { inputErrorCode: 'CASE_INPUT' }));
    assert.ok('error' in out, JSON.stringify(out));
    assert.equal(out.error.errorCode, 'CASE_INPUT');
    assert.deepEqual((out.error.variables as any).inputError.field, 'enterprise');
  });

  it('walks a case through the three tiers, review, rating, reopening and closure', async () => {
    const { caseNumber } = completed(await open());
    const ev = async (event: string, vars: Record<string, unknown> = {}, jobKey?: string) => completed(await h['gridflow.case.event'](job('gridflow.case.event', { caseNumber, ...vars }, { event }, jobKey)));
    assert.equal((await ev('accepted', { handler: 'cadre' })).caseStatus, 'accepted');
    assert.deepEqual(await ev('escalated', { reason: '需经开区协调' }), { caseStatus: 'escalated', caseTier: 2, reopenCount: 0 });
    assert.deepEqual(await ev('escalated', { reason: '需区级部门联合办理', handler: 'dept-safety' }), { caseStatus: 'escalated', caseTier: 3, reopenCount: 0 });
    assert.deepEqual(await ev('returned', { reason: '属经开区职责' }), { caseStatus: 'returned', caseTier: 2, reopenCount: 0 });
    await ev('resolved');
    await ev('reviewed');
    assert.equal((await ev('rated', { rating: '不满意' })).caseStatus, 'rated');
    assert.deepEqual(await ev('reopened', { reason: '企业不满意' }), { caseStatus: 'reopened', caseTier: 1, reopenCount: 1 });
    await ev('resolved');
    await ev('rated', { rating: '满意' });
    // The same closing job twice: one entry, one closure.
    await ev('closed', {}, 'close-1');
    await ev('closed', {}, 'close-1');
    const c = await cases.get(caseNumber);
    assert.equal(c.status, 'closed');
    assert.equal(c.rating, 'satisfied');
    assert.equal(c.escalations, 2);
    assert.equal(c.resolutionWorkingDays, 0);
    assert.deepEqual(c.groups.sort(), ['dept-safety', 'district', 'zone-center']);
    assert.equal(c.timeline.filter((t: any) => t.event === 'closed').length, 1);
    assert.deepEqual(c.timeline.map((t: any) => t.tier), [1, 1, 2, 3, 2, 2, 2, 2, 1, 1, 1, 1]);
    assert.equal(c.timeline[4].reason, '属经开区职责');
  });

  it('sets deadlines in working days with a warning before, once per job', async () => {
    const { caseNumber } = completed(await open());
    const out = completed(await h['gridflow.case.deadline'](job('gridflow.case.deadline', { caseNumber, tier: 1, slaDays: 5, warningHours: 4 }, {}, 'deadline-1')));
    const now = clock.now();
    const { workingDaysBetween, workingHoursBefore } = await import('../processes/working-days.ts');
    assert.equal(workingDaysBetween(now, new Date(out.deadline)), 5);
    const drift = (+new Date(out.deadline) - now) % 86_400_000;
    assert.ok(Math.min(drift, 86_400_000 - drift) < 5_000, 'the time of day is kept');
    assert.equal(out.warnAt, workingHoursBefore(new Date(out.deadline), 4).toISOString());
    clock.advance(3_600_000);
    const again = completed(await h['gridflow.case.deadline'](job('gridflow.case.deadline', { caseNumber, tier: 1, slaDays: 5, warningHours: 4 }, {}, 'deadline-1')));
    assert.deepEqual(again, out, 'a second delivery answers the first deadline');
    const c = await cases.get(caseNumber);
    assert.equal(new Date(c.deadline).toISOString(), out.deadline);
    assert.equal(c.timeline.filter((t: any) => t.event === 'deadline').length, 1);
  });

  it('writes cadre records once per job, checking kinds, cadres and scores', async () => {
    const records = recordModel(connection);
    const write = (kind: string | undefined, vars: Record<string, unknown>, jobKey?: string) => h['gridflow.record.write'](job('gridflow.record.write', vars, kind ? { kind } : {}, jobKey));
    completed(await write('mentor-score', { cadreId: 'C0002', scores: { communication: 4, judgement: 3, coordination: 5, discovery: 4, depth: 3 } }, 'score-1'));
    completed(await write('mentor-score', { cadreId: 'C0002', scores: { communication: 4, judgement: 3, coordination: 5, discovery: 4, depth: 3 } }, 'score-1'));
    completed(await write('challenge-result', { cadreIds: ['C0001', 'C0002'], result: '通过', challengeId: 'JB-2026-03' }, 'challenge-1'));
    assert.equal(await records.countDocuments({ cadreId: 'C0002' }), 2);
    assert.equal(await records.countDocuments({ cadreId: 'C0001' }), 1);
    assert.match(failure(await write(undefined, { cadreId: 'C0002' })).errorMessage!, /header kind is required/);
    assert.match(failure(await write('mentor-score', { cadreId: 'C0002', scores: { communication: 6, judgement: 3, coordination: 5, discovery: 4, depth: 3 } })).errorMessage!, /scores.communication must be a whole number from 1 to 5/);
    assert.match(failure(await write('mentor-score', { cadreId: 'C9999', scores: {} })).errorMessage!, /cadre C9999 does not exist/);
    assert.match(failure(await write('challenge-result', { cadreIds: ['C0001'], result: 'maybe' })).errorMessage!, /result must be one of/);
    assert.match(failure(await write('case-handled', { cadreId: 'C0001' })).errorMessage!, /caseNumber must be a case number/);
    assert.match(failure(await write('rotation-placement', {})).errorMessage!, /cadreIds \(or cadreId\) is required/);
    completed(await write('rotation-placement', { cadreId: 'C0002', placement: { programme: '一周员工', host: '杭州临平示例智造有限公司', mentorId: 'M01', report: { caseRaised: '产线换型慢', cost: '$0' } } }, 'placement-1'));
    assert.equal((await records.findById('placement-1/C0002').lean<any>()).mentorId, 'M01');
    assert.match(failure(await write('rotation-placement', { cadreId: 'C0002', placement: { host: 'x', report: { '$where': 1 } } })).errorMessage!, /the key "\$where" must not start with \$/);
    completed(await write('mentor-score', { cadreId: 'C0002', scores: { communication: '4', judgement: 3, coordination: 5, discovery: 4, depth: 3, mentorComment: '进步明显' } }));
  });

  it('records who completed the task the header actorTask names: the handled event, the cadre\'s record once per case', async () => {
    await orgModels(connection).cadres.create({ _id: 'C0003', name: '陈思远', cohort: 'young', unit: 'donghu', gridId: '3', roles: ['member'], username: 'cadre3b' });
    let completions: Array<Partial<UserTask>> = [];
    const runtime = { searchUserTasks: async (q: { filter: Record<string, unknown> }) => {
      assert.deepEqual(q.filter, { processInstanceKey: '42', elementId: 'handle_t1', state: 'COMPLETED' });
      return { items: completions, page: { totalItems: completions.length } };
    } } as unknown as Runtime;
    const hr = zoneHandlers(connection, () => clock.now(), runtime);
    const filed = completed(await hr['gridflow.case.open'](job('gridflow.case.open', { enterprise: ENTERPRISE, category: 'tax', title: '出口退税', gridId: 3, filedBy: '第3网格干部', startedBy: 'cadre3b' })));
    assert.equal(filed.filerId, 'cadre3b', 'the signed-in filer before the name typed in');
    assert.equal(completed(await open({ filedBy: 'cadre' })).filerId, 'cadre');
    const { caseNumber } = filed;
    const actorTask = { actorTask: 'handle_t1' };

    // Thrown, so retried with the job's retries: the task's completion may not be searchable yet.
    await assert.rejects(async () => hr['gridflow.case.event'](job('gridflow.case.event', { caseNumber }, { event: 'handled', ...actorTask })), /no handle_t1 task of instance 42 is completed/);
    completions = [
      { userTaskKey: '900', completionDate: '2026-11-20T01:00:00.000Z', completedBy: 'leader' },
      { userTaskKey: '950', completionDate: '2026-11-21T01:00:00.000Z', completedBy: 'cadre3b' },
    ];
    const handled = (jobKey: string) => hr['gridflow.case.event'](job('gridflow.case.event', { caseNumber, tier: 1, handler: '承办人甲', comment: '已上门辅导' }, { event: 'handled', ...actorTask }, jobKey));
    assert.deepEqual(completed(await handled('handled-1')), { caseStatus: 'handled', caseTier: 1, reopenCount: 0 });
    completed(await handled('handled-1'));
    const entries = (await cases.get(caseNumber)).timeline.filter((t: any) => t.event === 'handled');
    assert.deepEqual(entries.map((t: any) => [t.by, t.handler, t.comment]), [['cadre3b', 'cadre3b', '已上门辅导']], 'the latest completion, once');

    const records = recordModel(connection);
    const record = (jobKey: string) => hr['gridflow.record.write'](job('gridflow.record.write', { caseNumber }, { kind: 'case-handled', ...actorTask }, jobKey));
    assert.deepEqual(completed(await record('record-1')), { recordWritten: true });
    completed(await record('record-1')); // delivered again
    completed(await record('record-2')); // the same cadre handles the case again after a return
    assert.deepEqual((await records.find({ caseNumber }).lean<any[]>()).map((r) => [r._id, r.cadreId, r.kind]), [[`case-handled/${caseNumber}/C0003`, 'C0003', 'case-handled']]);
    completions = [{ userTaskKey: '990', completionDate: '2026-11-22T01:00:00.000Z', completedBy: 'officer' }];
    assert.deepEqual(completed(await record('record-3')), { recordWritten: false }, 'a department officer has no cadre record');
    completions = [{ userTaskKey: '991', completionDate: '2026-11-22T01:00:00.000Z', completedBy: null }];
    assert.deepEqual(completed(await record('record-4')), { recordWritten: false });
    assert.equal(await records.countDocuments({ caseNumber }), 1);
    assert.match(failure(await hr['gridflow.record.write'](job('gridflow.record.write', {}, { kind: 'case-handled', ...actorTask }))).errorMessage!, /caseNumber must be a case number/);
  });

  it('runs inside a deployed diagram: open, deadline, event, report', async () => {
    const off = registerZoneHandlers(rt, connection, () => clock.now());
    try {
      await deployXml(rt, 'loop.bpmn', bpmn('loop', `
        <bpmn:startEvent id="s"/>${flow('f0', 's', 'open')}
        <bpmn:serviceTask id="open"><bpmn:extensionElements><zeebe:taskDefinition type="gridflow.case.open"/></bpmn:extensionElements></bpmn:serviceTask>${flow('f1', 'open', 'due')}
        <bpmn:serviceTask id="due"><bpmn:extensionElements><zeebe:taskDefinition type="gridflow.case.deadline"/><zeebe:ioMapping><zeebe:input source="=5" target="slaDays"/><zeebe:input source="=4" target="warningHours"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:serviceTask>${flow('f2', 'due', 'accept')}
        <bpmn:serviceTask id="accept"><bpmn:extensionElements><zeebe:taskDefinition type="gridflow.case.event"/><zeebe:taskHeaders><zeebe:header key="event" value="accepted"/></zeebe:taskHeaders></bpmn:extensionElements></bpmn:serviceTask>${flow('f3', 'accept', 'report')}
        <bpmn:serviceTask id="report"><bpmn:extensionElements><zeebe:taskDefinition type="gridflow.report.compile"/></bpmn:extensionElements></bpmn:serviceTask>${flow('f4', 'report', 'e')}
        <bpmn:endEvent id="e"/>`));
      const month = new Date(clock.now() + 8 * 3_600_000).toISOString().slice(0, 7);
      const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'loop', variables: { enterprise: ENTERPRISE, category: 'tax', title: '留抵退税咨询', gridId: 3, month } });
      let state = 'ACTIVE';
      for (let i = 0; i < 100 && state === 'ACTIVE'; i += 1) { await new Promise((r) => setTimeout(r, 50)); state = (await rt.getProcessInstance(processInstanceKey)).state; }
      assert.equal(state, 'COMPLETED');
      const vars = Object.fromEntries((await rt.searchVariables({ filter: { processInstanceKey, scopeKey: processInstanceKey } })).items.map((v) => [v.name, JSON.parse(v.value)]));
      assert.match(vars.caseNumber, /^SQ-/);
      assert.equal(vars.caseStatus, 'accepted');
      assert.ok(vars.deadline > vars.warnAt);
      assert.equal(vars.report.month, month);
      assert.ok(vars.report.filed >= 1);
    } finally {
      off();
    }
  });
});
