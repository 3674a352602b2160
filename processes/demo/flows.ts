// In-flight demo work at every stage of every programme, driven through the runtime as users
// would (every submission checked against its form), on the zone the org seed created: visits
// whose cases wait at each tier, a whistle, a critical case whose warning fires at once and whose
// deadline passes within a working day, cases awaiting review, follow-up and a reopened one;
// challenges awaiting approval, in their application window and in execution; a rotation cohort
// mid-placement and one being placed; last month's grid reports part-filed.
import type { Connection } from 'mongoose';
import type { Runtime } from '../../engine/runtime.ts';
import { usccCheckCharacter } from '../../forms/uscc.ts';
import { orgModels } from '../org/models.ts';
import { Driver } from './drive.ts';

export interface DemoSummary { instances: number; tasksCompleted: number }

interface Zone {
  enterprises: Array<{ uscc: string; name: string; gridId: string }>;
  cadres: Array<{ id: string; name: string; gridId: string }>;
  mentors: string[];
  /** Per grid, the login of a grid cadre who files its cases (and reviews them: 立件人复核). */
  filers: Record<string, string>;
}

const GRIDS = ['1', '2', '3', '4', '5', '6'];

/** The zone's enterprises, cadres and mentors (a few per grid), or stand-ins when none are seeded. */
async function zone(connection: Connection): Promise<Zone> {
  const org = orgModels(connection);
  const enterprises: Zone['enterprises'] = [];
  const cadres: Zone['cadres'] = [];
  const filers: Zone['filers'] = {};
  for (const gridId of GRIDS) {
    for (const e of await org.enterprises.find({ gridId }).limit(4).lean<any[]>()) enterprises.push({ uscc: e._id, name: e.name, gridId });
    for (const c of await org.cadres.find({ gridId }).limit(4).lean<any[]>()) cadres.push({ id: c._id, name: c.name, gridId });
    const linked = (await org.cadres.find({ gridId, username: { $ne: null } }).lean<any[]>()).filter((c) => c.roles.includes('member'));
    filers[gridId] = linked[0]?.username ?? 'cadre';
  }
  const mentors = (await org.mentors.find({}).limit(4).lean<any[]>()).map((m) => m.username ?? m._id);
  if (enterprises.length === 0) {
    GRIDS.forEach((gridId, g) => {
      for (let i = 0; i < 3; i++) {
        const first17 = `913301107${g}${i}KD${String(g * 10 + i).padStart(4, '0')}`.slice(0, 17);
        enterprises.push({ uscc: first17 + usccCheckCharacter(first17), name: `临平示例企业 ${g + 1}-${i + 1}`, gridId });
      }
    });
  }
  if (cadres.length === 0) GRIDS.forEach((gridId, g) => { for (let i = 1; i <= 3; i++) cadres.push({ id: `C${g + 1}${String(i).padStart(3, '0')}`, name: `干部${g + 1}-${i}`, gridId }); });
  return { enterprises, cadres, mentors: mentors.length ? mentors : ['mentor'], filers };
}

const zoneDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

export async function seedDemoFlows(runtime: Runtime, connection: Connection, now: () => number): Promise<DemoSummary> {
  const drive = new Driver(runtime, { timeoutMs: 30_000 });
  const z = await zone(connection);
  const inGrid = (gridId: string) => ({ e: z.enterprises.filter((e) => e.gridId === gridId), c: z.cadres.filter((c) => c.gridId === gridId) });
  const today = zoneDate(now());

  // ---------------------------------------------------------------- 企业服务闭环 and 三级闭环办理
  const visit = (gridId: string, demands: Array<{ title: string; category: string; urgency: string; description?: string }>, channel = '现场') => {
    const { e } = inGrid(gridId);
    const enterprise = e[demands.length % Math.max(1, e.length)] ?? z.enterprises[0]!;
    return drive.start('enterprise-service-loop', {
      enterprise: enterprise.uscc, enterpriseName: enterprise.name, gridId, filedBy: z.filers[gridId]!, visitDate: today, channel,
      contactName: '企业负责人', policies: ['安全生产', '政策宣讲'], handbookPacks: 2,
      demands: demands.map((d) => ({ description: '', ...d })),
    });
  };
  /** The three-tier instance of the loop's n-th demand. */
  const caseInstance = async (loopKey: string, n: number) => {
    const children = async () => (await runtime.searchProcessInstances({ filter: { parentProcessInstanceKey: loopKey }, sort: [{ field: 'processInstanceKey' }] })).items;
    await drive.until(async () => (await children()).length > n, `demand ${n + 1} of visit ${loopKey}`);
    return (await children())[n]!.processInstanceKey;
  };
  const assess = (k: string, whistle?: string) => drive.complete(k, 'assess', whistle ? { analysis: '存在重大风险隐患', whistle: true, reason: whistle } : { analysis: '已核实诉求，按层级办理', whistle: false });
  const accept = (k: string, tier: number, handler: string) => drive.complete(k, `accept_t${tier}`, { handler, plan: '三个工作日内上门核实并协调' });
  const escalate = (k: string, tier: number, reason: string, targetDept?: string) => drive.complete(k, `handle_t${tier}`, { decision: 'escalate', reason, ...(targetDept ? { targetDept } : {}) });
  const resolve = (k: string, tier: number, resolution: string) => drive.complete(k, `handle_t${tier}`, { decision: 'resolve', resolution });

  // 第1网格: one case waiting for its analysis, one accepted and in handling at the grid.
  const grid1 = async () => {
    const v1 = await visit('1', [
      { title: '厂区周边道路破损影响货车通行', category: 'other', urgency: 'normal' },
      { title: '申请高新技术企业认定政策辅导', category: 'policy', urgency: 'normal' },
    ]);
    const c11 = await caseInstance(v1, 1);
    await assess(c11);
    await accept(c11, 1, inGrid('1').c[0]?.name ?? '网格员');
  };

  // 第2网格: one case at the zone (escalated by hand), one at the district's market supervision bureau.
  const grid2 = async () => {
    const v2 = await visit('2', [
      { title: '新建厂房消防验收排期过长', category: 'approval', urgency: 'urgent' },
      { title: '食品生产许可证延续办理', category: 'approval', urgency: 'urgent' },
    ], '座谈');
    for (const n of [0, 1]) {
      const k = await caseInstance(v2, n);
      await assess(k);
      await accept(k, 1, '网格员');
      await escalate(k, 1, '涉及审批部门排期，网格层面无法协调');
      if (n === 1) {
        await accept(k, 2, '经开区企业服务中心');
        await escalate(k, 2, '需区市场监管局现场核查后办理', 'dept-market');
      }
    }
  };

  // 第3网格: a whistle straight to the committee; a critical case whose warning fires at once.
  const grid3 = async () => {
    const v3 = await visit('3', [
      { title: '企业仓库违规存放危化品', category: 'safety', urgency: 'critical', description: '走访发现仓库混存易燃品' },
      { title: '汛期厂区排水不畅', category: 'safety', urgency: 'critical' },
    ]);
    await assess(await caseInstance(v3, 0), '危化品违规存放，存在火灾爆炸风险，需立即处置');
    await assess(await caseInstance(v3, 1));
  };

  // 第4网格: one resolved and waiting for the filer's review, one waiting for the follow-up visit.
  const grid4 = async () => {
    const v4 = await visit('4', [
      { title: '年度统计入库材料指导', category: 'statistics', urgency: 'normal' },
      { title: '研发人员人才公寓申请', category: 'labour', urgency: 'normal' },
    ], '电话');
    for (const n of [0, 1]) {
      const k = await caseInstance(v4, n);
      await assess(k);
      await accept(k, 1, '网格员');
      await resolve(k, 1, n === 0 ? '已上门指导企业完成入库材料' : '已协调人才公寓两套，企业已签约');
      if (n === 1) await drive.complete(k, 'review', { reviewResult: 'approve' });
    }
  };

  // 第5网格: dissatisfied at the follow-up: reopened and back at the grid.
  const grid5 = async () => {
    const v5 = await visit('5', [{ title: '污水纳管接入', category: 'environment', urgency: 'urgent' }]);
    const c5 = await caseInstance(v5, 0);
    await assess(c5);
    await accept(c5, 1, '网格员');
    await resolve(c5, 1, '已联系污水处理厂安排接入');
    await drive.complete(c5, 'review', { reviewResult: 'approve' });
    await drive.complete(c5, 'follow_up', { followUpDate: today, followUpChannel: '现场', rating: '不满意', ratingComment: '纳管至今未接通，影响环评验收' });
  };

  // 第6网格: a visit without demands waiting for its summary; a case returned from the district to the zone.
  const grid6 = async () => {
    await visit('6', [], '网格企业服务群');
    const { e: e6 } = inGrid('6');
    const direct = await drive.start('three-tier-handling', {
      enterprise: (e6[0] ?? z.enterprises[0]!).uscc, enterpriseName: (e6[0] ?? z.enterprises[0]!).name, gridId: '6', filedBy: z.filers['6']!,
      title: '厂房加层规划许可', category: 'land', urgency: 'normal', description: '企业拟在现有厂房加建一层用于研发',
    });
    await assess(direct);
    await accept(direct, 1, '网格员');
    await escalate(direct, 1, '涉及规划调整，需经开区协调');
    await accept(direct, 2, '经开区规划建设局');
    await escalate(direct, 2, '需区规划资源局审批', 'dept-planning');
    await accept(direct, 3, '区规划资源局');
    await drive.complete(direct, 'handle_t3', { decision: 'return', reason: '材料不全，请经开区补齐用地红线图后再报' });
  };

  // ---------------------------------------------------------------- 揭榜破难
  const challenges = async () => {
    const team = (gridId: string) => inGrid(gridId).c.slice(0, 3);
    const propose = (title: string, source: string, gridId: string) => drive.start('challenge-solve', {
      title, source, gridId, description: `${title}：涉及多家企业的共性难题，需组建专班攻坚`, expectedOutcome: '形成可复制的解决方案并落地 3 家企业', proposer: 'committee',
    });
    await propose('半导体专用设备零部件本地配套', 'target-sector', '1');
    const inWindow = await propose('生物医药企业危废处置难', 'stuck-case', '3');
    await drive.complete(inWindow, 'approve', { approval: 'approve', challengeId: 'JB-2026-011', applicationDays: 15, maxTeams: 3 });
    await drive.complete(inWindow, 'publish', { notice: '现就生物医药企业危废处置难题发榜，欢迎干部组队揭榜', applicationDays: 15 });
    const applicants = team('3');
    await drive.complete(inWindow, 'apply', { teamName: '危废攻坚组', leader: applicants[0]?.id ?? 'C3001', members: applicants.slice(1).map((c) => ({ cadreId: c.id, name: c.name })), plan: '摸排危废产生量，对接有资质处置单位，探索园区集中收运' });
    const execution = await propose('家纺布艺产业数字化转型', 'research', '2');
    await drive.complete(execution, 'approve', { approval: 'approve', challengeId: 'JB-2026-012', applicationDays: 10, maxTeams: 1 });
    await drive.complete(execution, 'publish', { notice: '面向全体干部发榜：家纺布艺产业数字化转型课题', applicationDays: 10 });
    const members = team('2');
    await drive.complete(execution, 'apply', { teamName: '数字家纺专班', leader: members[0]?.id ?? 'C2001', members: members.slice(1).map((c) => ({ cadreId: c.id, name: c.name })), plan: '调研 30 家家纺企业数字化现状，形成转型路径与扶持建议' });
    await drive.complete(execution, 'select', { selection: 'select', selectedTeam: '数字家纺专班', selectionComment: '方案扎实' });
  };

  // ---------------------------------------------------------------- 沉浸式历练
  const rotations = async () => {
    const cohort = (gridId: string, n: number) => inGrid(gridId).c.slice(0, n).map((c) => ({ cadreId: c.id, name: c.name }));
    const placed = await drive.start('rotation-programme', {
      programmeType: '一周员工', cohortName: '2026 年第四批一周员工', gridId: '4', startDate: today, endDate: zoneDate(now() + 7 * 86_400_000), participants: cohort('4', 3),
    });
    const hosts = ['dept-market', 'zone-center', 'dept-labour'];
    for (const [i, task] of (await drive.tasks(placed, 'place', 3)).entries()) {
      await drive.submit(task, { placement: { host: `临平${['智能制造', '生物医药', '家纺布艺'][i]}示范企业`, hostGroup: hosts[i], position: '生产管理助理', mentorId: z.mentors[i % z.mentors.length]! } });
    }
    for (const task of await drive.tasks(placed, 'host_confirm', 3)) await drive.submit(task, { hostConfirmation: { confirmed: true, contact: '企业人事主管', arrangement: '跟班生产计划与质量管理' } });
    await drive.start('rotation-programme', {
      programmeType: '走进部门', cohortName: '2026 年走进部门第二批', gridId: '5', startDate: zoneDate(now() + 14 * 86_400_000), endDate: zoneDate(now() + 28 * 86_400_000), participants: cohort('5', 2),
    });
  };

  // ---------------------------------------------------------------- 网格月报
  const monthlyReport = async () => {
    const d = new Date(now() + 8 * 3_600_000);
    const lastMonth = zoneDate(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 15)).slice(0, 7);
    const report = await drive.start('grid-monthly-report', { month: lastMonth, grids: GRIDS });
    for (const task of (await drive.tasks(report, 'write', 6)).slice(0, 4)) {
      const { gridId } = await runtime.getUserTaskVariables(task.userTaskKey) as { gridId: string };
      await drive.submit(task, { gridReport: { summary: `第${gridId}网格本月走访企业、收集诉求并跟踪办理`, commonProblems: '用地指标紧张、招工难、审批排期长', risks: '冬季消防安全', nextPlans: '开展安全生产专项走访' } });
    }
  };

  // The programmes and grids are independent: their work is driven side by side.
  await Promise.all([grid1(), grid2(), grid3(), grid4(), grid5(), grid6(), challenges(), rotations(), monthlyReport()]);
  return { instances: drive.instances, tasksCompleted: drive.tasksCompleted };
}
