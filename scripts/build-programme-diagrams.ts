// Writes the first version of the five shipped programmes to processes/diagrams/*.bpmn, laid out.
// Once shipped, the .bpmn files are the source: administrators change them in the modeler.
// Run: node --import tsx scripts/build-programme-diagrams.ts
import { writeFile } from 'node:fs/promises';
import { layoutDiagram } from '../processes/diagrams/layout.ts';
import { boundaryTimer, call, catchTimer, definitions, end, flow, flowId, gateway, script, service, start, sub, user, type Mapping } from './programme-bpmn.ts';

const GRID = '="grid-" + string(gridId)';
const CASE_EVENT = 'gridflow.case.event';
const event = (id: string, name: string, kind: string, inputs: Mapping[] = [], outputs: Mapping[] = []) =>
  service(id, name, CASE_EVENT, { headers: { event: kind }, inputs, outputs });

// ---------------------------------------------------------------- 三级闭环办理
// Working days per urgency (特急 / 紧急 / 一般) at each tier: administrators change them here.
type Sla = [critical: number, urgent: number, normal: number];
interface TierSpec { n: 1 | 2 | 3; name: string; groups: string; handleForm: string; slaDays: Sla; warningHours: number }
const TIERS: TierSpec[] = [
  { n: 1, name: '网格', groups: GRID, handleForm: 'case-handle-grid', slaDays: [1, 2, 3], warningHours: 8 },
  { n: 2, name: '经开区', groups: 'zone-center', handleForm: 'case-handle-zone', slaDays: [2, 3, 5], warningHours: 8 },
  { n: 3, name: '区级部门', groups: '=if targetDept = null then "district" else targetDept', handleForm: 'case-handle-district', slaDays: [3, 5, 10], warningHours: 16 },
];
const sla = ([critical, urgent, normal]: Sla) => `=if urgency = "critical" then ${critical} else if urgency = "urgent" then ${urgent} else ${normal}`;

function tier({ n, name, groups, handleForm, slaDays, warningHours }: TierSpec): string[] {
  const t = (id: string) => `${id}_t${n}`;
  const next = n < 3 ? `enter_t${n + 1}` : 'to_committee';
  const els = [
    gateway(t('enter'), `进入${name}层级`),
    service(t('deadline'), `计算${name}办理时限`, 'gridflow.case.deadline', { inputs: [[`=${n}`, 'tier'], [sla(slaDays), 'slaDays'], [`=${warningHours}`, 'warningHours']] }),
    sub(t('tier'), `${name}受理办理`, [
      start(t('tier_start'), `${name}收件`),
      user(t('accept'), `${name}受理`, { form: 'case-accept', groups }),
      event(t('accepted'), `记录${name}受理`, 'accepted', [[`=${n}`, 'tier']]),
      user(t('handle'), `${name}办理`, { form: handleForm, groups }),
      end(t('tier_end'), `${name}办理完成`),
      flow(t('tier_start'), t('accept')), flow(t('accept'), t('accepted')), flow(t('accepted'), t('handle')), flow(t('handle'), t('tier_end')),
    ]),
    boundaryTimer(t('warn'), '临期预警', t('tier'), { date: '=warnAt' }, false),
    event(t('warned'), `${name}临期提醒`, 'warned', [[`=${n}`, 'tier'], ['=deadline', 'deadline']]),
    end(t('warned_end'), '已提醒'),
    boundaryTimer(t('overdue'), '超过时限', t('tier'), { date: '=deadline' }, true),
    event(t('overdue_event'), `记录${name}超时`, 'overdue', [[`=${n}`, 'tier'], ['=deadline', 'deadline']], [
      [`="超过${name}办理时限，自动升级"`, 'reason'], ['=caseStatus', 'caseStatus'], ['=caseTier', 'caseTier'],
    ]),
    gateway(t('decision'), `${name}办理结果`, { default: flowId(t('decision'), 'to_resolved') }),
    gateway(t('escalate'), '升级'),
    event(t('escalated'), n < 3 ? `上报${TIERS[n]!.name}` : '提请党工委协调', 'escalated', n < 3 ? [[`=${n + 1}`, 'tier'], ['=reason', 'reason']] : [['=reason', 'reason']]),
    flow(t('enter'), t('deadline')), flow(t('deadline'), t('tier')), flow(t('tier'), t('decision')),
    flow(t('warn'), t('warned')), flow(t('warned'), t('warned_end')),
    flow(t('overdue'), t('overdue_event')), flow(t('overdue_event'), t('escalate')),
    // Escalation first: the tiers follow one another along the diagram's main row.
    flow(t('decision'), t('escalate'), { name: '上报', condition: '=decision = "escalate"' }),
    flow(t('decision'), 'to_resolved', { name: '办结' }),
    flow(t('decision'), 'to_whistle', { name: '吹哨', condition: '=decision = "whistle"' }),
    flow(t('escalate'), t('escalated')), flow(t('escalated'), next),
  ];
  if (n > 1) {
    els.push(
      event(t('returned'), `退回${TIERS[n - 2]!.name}`, 'returned', [[`=${n - 1}`, 'tier'], ['=reason', 'reason']]),
      flow(t('decision'), t('returned'), { name: '退回', condition: '=decision = "return"' }),
      flow(t('returned'), `enter_t${n - 1}`),
    );
  }
  return els;
}

const REOPENS = '(if reopenCount = null then 0 else reopenCount)';
const threeTier = definitions('three-tier-handling', '三级闭环办理', [
  start('start', '诉求登记', { form: 'case-intake' }),
  service('open_case', '分类立件', 'gridflow.case.open'),
  user('assess', '分析研判', { form: 'case-assess', groups: GRID }),
  gateway('assessed', '存在风险隐患？', { default: flowId('assessed', 'enter_t1') }),
  flow('start', 'open_case'), flow('open_case', 'assess'), flow('assess', 'assessed'),
  flow('assessed', 'enter_t1', { name: '按层级办理' }),
  flow('assessed', 'to_whistle', { name: '吹哨', condition: '=whistle = true' }),
  ...TIERS.flatMap(tier),
  gateway('to_whistle', '吹哨'),
  event('whistled', '吹哨直报党工委', 'whistled', [['=reason', 'reason']]),
  gateway('to_committee', '党工委督办'),
  user('committee_handle', '党工委督办', { form: 'case-committee', groups: 'committee' }),
  flow('to_whistle', 'whistled'), flow('whistled', 'to_committee'), flow('to_committee', 'committee_handle'), flow('committee_handle', 'to_resolved'),
  gateway('to_resolved', '办结'),
  event('resolved', '记录办结', 'resolved', [['=resolution', 'comment']]),
  user('review', '立件人复核', { form: 'case-review', groups: GRID }),
  gateway('reviewed', '复核结论', { default: flowId('reviewed', 'reviewed_event') }),
  event('review_returned', '复核退回', 'returned', [['=caseTier', 'tier'], ['=reviewComment', 'reason']]),
  gateway('back_to_tier', '退回办结层级', { default: flowId('back_to_tier', 'enter_t3') }),
  event('reviewed_event', '记录复核', 'reviewed', [['=reviewComment', 'comment']]),
  user('follow_up', '回访评价', { form: 'case-followup', groups: GRID }),
  event('rated', '记录企业评价', 'rated', [['=rating', 'rating'], ['=ratingComment', 'comment']]),
  gateway('rating_gate', '企业评价'),
  event('reopened', '重新办理', 'reopened', [['=ratingComment', 'reason']]),
  user('committee_final', '党工委终审', { form: 'case-final', groups: 'committee' }),
  gateway('to_close', '结案'),
  event('closed', '办结归档', 'closed'),
  end('done', '诉求已办结'),
  flow('to_resolved', 'resolved'), flow('resolved', 'review'), flow('review', 'reviewed'),
  flow('reviewed', 'reviewed_event', { name: '通过' }),
  flow('reviewed', 'review_returned', { name: '退回重办', condition: '=reviewResult = "reject"' }),
  flow('review_returned', 'back_to_tier'),
  flow('back_to_tier', 'enter_t1', { name: '网格', condition: '=caseTier = 1' }),
  flow('back_to_tier', 'enter_t2', { name: '经开区', condition: '=caseTier = 2' }),
  flow('back_to_tier', 'enter_t3', { name: '区级' }),
  flow('reviewed_event', 'follow_up'), flow('follow_up', 'rated'), flow('rated', 'rating_gate'),
  flow('rating_gate', 'to_close', { name: '满意 / 基本满意', condition: '=rating != "不满意"' }),
  flow('rating_gate', 'reopened', { name: `不满意（重办不足 2 次）`, condition: `=rating = "不满意" and ${REOPENS} < 2` }),
  flow('rating_gate', 'committee_final', { name: '不满意（已重办 2 次）', condition: `=rating = "不满意" and ${REOPENS} >= 2` }),
  flow('reopened', 'enter_t1'), flow('committee_final', 'to_close'), flow('to_close', 'closed'), flow('closed', 'done'),
], '企业诉求三级闭环办理：网格、经开区、区级部门逐级受理办理，工作日时限、临期预警与超时自动升级，吹哨直报党工委，立件人复核与企业回访评价，不满意重办（最多 2 次，之后党工委终审）。办理时限按紧急程度（特急 / 紧急 / 一般）在各层级“计算办理时限”的输入映射 slaDays（工作日）与 warningHours（预警提前的工作小时）中调整。');

// ---------------------------------------------------------------- 企业服务闭环
const loop = definitions('enterprise-service-loop', '企业服务闭环', [
  start('visit', '企业走访', { form: 'visit-record' }),
  gateway('has_demands', '收集到诉求？', { default: flowId('has_demands', 'to_summary') }),
  call('handle_demands', '诉求立件办理', 'three-tier-handling', {
    mi: { collection: '=demands', element: 'demand', outputCollection: 'outcomes', outputElement: '={title: demand.title, caseNumber: caseNumber, caseStatus: caseStatus, rating: rating}' },
    inputs: [
      ['=enterprise', 'enterprise'], ['=enterpriseName', 'enterpriseName'], ['=gridId', 'gridId'], ['=filedBy', 'filedBy'],
      ['=demand.title', 'title'], ['=demand.category', 'category'], ['=demand.urgency', 'urgency'], ['=demand.description', 'description'],
      ['=null', 'caseNumber'], ['=null', 'caseStatus'], ['=null', 'rating'],
    ],
    outputs: [['=caseNumber', 'caseNumber'], ['=caseStatus', 'caseStatus'], ['=rating', 'rating']],
  }),
  gateway('to_summary', '回访总结'),
  user('summary', '回访总结', { form: 'visit-summary', groups: GRID }),
  end('done', '走访闭环完成'),
  flow('visit', 'has_demands'),
  flow('has_demands', 'handle_demands', { name: '有诉求', condition: '=demands != null and count(demands) > 0' }),
  flow('has_demands', 'to_summary', { name: '无诉求' }),
  flow('handle_demands', 'to_summary'), flow('to_summary', 'summary'), flow('summary', 'done'),
], '企业服务闭环：走访 → 企业意见诉求收集 → 每项诉求分类立件并经三级闭环办理（含分析研判、复核与回访评价）→ 回访总结。');

// ---------------------------------------------------------------- 揭榜破难
const challenge = definitions('challenge-solve', '揭榜破难', [
  start('propose', '提出难题', { form: 'challenge-propose' }),
  user('approve', '党工委审批', { form: 'challenge-approval', groups: 'committee' }),
  gateway('approved', '是否同意发榜', { default: flowId('approved', 'rejected') }),
  end('rejected', '不予发榜'),
  gateway('to_publish', '发榜'),
  user('publish', '发榜公示', { form: 'challenge-publish', groups: 'committee' }),
  script('open_window', '开放揭榜申报', '=[]', 'applications'),
  sub('window', '揭榜申报期', [
    start('window_start', '申报开始'),
    gateway('next_application', '接受申报'),
    user('apply', '揭榜申报', { form: 'challenge-apply', groups: 'grid-1,grid-2,grid-3,grid-4,grid-5,grid-6' }),
    script('register', '登记申报', '=append(applications, {teamName: teamName, leader: leader, members: members, plan: plan})', 'applications'),
    gateway('full', '名额已满？', { default: flowId('full', 'next_application') }),
    end('window_full', '名额已满'),
    flow('window_start', 'next_application'), flow('next_application', 'apply'), flow('apply', 'register'), flow('register', 'full'),
    flow('full', 'window_full', { name: '已满', condition: '=count(applications) >= maxTeams' }),
    flow('full', 'next_application', { name: '继续' }),
  ]),
  boundaryTimer('window_closed', '申报截止', 'window', { duration: '=duration("P" + string(applicationDays) + "D")' }, true),
  gateway('window_over', '申报结束'),
  gateway('anyone', '有人揭榜？', { default: flowId('anyone', 'to_publish') }),
  user('select', '定榜', { form: 'challenge-select', groups: 'committee' }),
  gateway('selected', '定榜结论', { default: flowId('selected', 'pick_team') }),
  script('pick_team', '确定揭榜团队', '=(for a in applications[item.teamName = selectedTeam] return {name: a.teamName, leader: a.leader, cadreIds: concatenate([a.leader], for m in a.members return m.cadreId), plan: a.plan})[1]', 'team'),
  gateway('to_execution', '攻坚'),
  catchTimer('report_due', '每两周', { duration: 'P14D' }),
  user('progress', '进度汇报', { form: 'challenge-progress', groups: GRID, users: '=team.cadreIds' }),
  gateway('delivered', '提交成果？', { default: flowId('delivered', 'mentor_review') }),
  user('mentor_review', '导师点评', { form: 'challenge-mentor-review', groups: 'mentors' }),
  user('acceptance', '专家组验收', { form: 'challenge-acceptance', groups: 'panel' }),
  gateway('verdict', '验收结论', { default: flowId('verdict', 'record_result') }),
  service('record_result', '写入干部档案', 'gridflow.record.write', {
    headers: { kind: 'challenge-result' },
    inputs: [['=team.cadreIds', 'cadreIds'], ['=challengeId', 'challengeId'], ['=if verdict = "pass" then "通过" else "未通过"', 'result'], ['=acceptanceComment', 'comment']],
  }),
  end('finished', '揭榜结果归档'),
  flow('propose', 'approve'), flow('approve', 'approved'),
  flow('approved', 'to_publish', { name: '同意', condition: '=approval = "approve"' }),
  flow('approved', 'rejected', { name: '不同意' }),
  flow('to_publish', 'publish'), flow('publish', 'open_window'), flow('open_window', 'window'),
  flow('window', 'window_over'), flow('window_closed', 'window_over'), flow('window_over', 'anyone'),
  flow('anyone', 'select', { name: '有人揭榜', condition: '=count(applications) > 0' }),
  flow('anyone', 'to_publish', { name: '无人揭榜，重新发榜' }),
  flow('select', 'selected'),
  flow('selected', 'pick_team', { name: '定榜' }),
  flow('selected', 'to_publish', { name: '重新发榜', condition: '=selection = "republish"' }),
  flow('pick_team', 'to_execution'), flow('to_execution', 'report_due'), flow('report_due', 'progress'), flow('progress', 'delivered'),
  flow('delivered', 'acceptance', { name: '提交成果', condition: '=delivery = "deliver"' }),
  flow('delivered', 'mentor_review', { name: '继续攻坚' }), flow('mentor_review', 'to_execution'),
  flow('acceptance', 'verdict'),
  flow('verdict', 'record_result', { name: '通过 / 不通过' }),
  flow('verdict', 'to_execution', { name: '延期', condition: '=verdict = "extend"' }),
  flow('record_result', 'finished'),
], '干部揭榜破难：提出难题 → 党工委审批 → 发榜（申报期，天数由审批确定）→ 揭榜申报 → 定榜或无人揭榜时重新发榜 → 攻坚实施（每两周进度汇报与导师点评，成果随汇报提交）→ 专家组验收（通过 / 不通过 / 延期）→ 结果写入每位团队成员的干部档案。');

// ---------------------------------------------------------------- 沉浸式历练
// Each participant's placement is an instance of its own (called once per participant, in
// parallel): its variables are its own, and its tasks show the participant's name.
const participant = definitions('rotation-participant', '个人历练', [
  start('participant_start', '入选历练'),
  user('place', '安排岗位与导师', { form: 'rotation-placement', groups: 'org-office' }),
  user('host_confirm', '接收单位确认', { form: 'rotation-host-confirm', groups: '=if placement.hostGroup = null then "zone-center" else placement.hostGroup' }),
  sub('on_site', '在岗历练', [
    start('on_site_start', '到岗'),
    gateway('next_log', '下一篇日志'),
    catchTimer('log_due', '每周', { duration: 'P7D' }),
    user('log', '填写历练日志', { form: 'rotation-log', assignee: '=participant.cadreId', groups: 'org-office' }),
    gateway('still_placed', '仍在历练期？', { default: flowId('still_placed', 'next_log') }),
    end('logs_done', '日志结束'),
    flow('on_site_start', 'next_log'), flow('next_log', 'log_due'), flow('log_due', 'log'), flow('log', 'still_placed'),
    flow('still_placed', 'next_log', { name: '是' }),
    flow('still_placed', 'logs_done', { name: '已到期', condition: '=log.weekOf >= endDate' }),
  ]),
  boundaryTimer('placement_over', '历练期结束', 'on_site', { date: '=endDate + "T17:00:00+08:00"' }, true),
  gateway('placement_done', '离岗'),
  user('report', '提交结业报告', { form: 'rotation-report', assignee: '=participant.cadreId', groups: 'org-office' }),
  user('score', '导师评分', { form: 'rotation-score', groups: 'mentors', users: '=placement.mentorId' }),
  end('participant_end', '个人历练完成'),
  flow('participant_start', 'place'), flow('place', 'host_confirm'), flow('host_confirm', 'on_site'),
  flow('on_site', 'placement_done'), flow('placement_over', 'placement_done'), flow('placement_done', 'report'),
  flow('report', 'score'), flow('score', 'participant_end'),
], '沉浸式历练中一名学员的历练：安排岗位与导师、接收单位确认、在岗期间每周日志（历练期结束时停止）、结业报告、导师按五项能力评分。由“沉浸式历练”按学员并行调用。');

const rotation = definitions('rotation-programme', '沉浸式历练', [
  start('plan', '制定历练计划', { form: 'rotation-plan' }),
  call('participants_call', '学员并行历练', 'rotation-participant', {
    mi: { collection: '=participants', element: 'participant', outputCollection: 'results', outputElement: '={cadreId: participant.cadreId, name: participant.name, placement: placement, report: report, scores: scores}' },
    inputs: [['=participant', 'participant'], ['=gridId', 'gridId'], ['=programmeType', 'programmeType'], ['=cohortName', 'cohortName'], ['=startDate', 'startDate'], ['=endDate', 'endDate'], ['=null', 'placement'], ['=null', 'report'], ['=null', 'scores']],
    outputs: [['=placement', 'placement'], ['=report', 'report'], ['=scores', 'scores']],
  }),
  user('sharing', '分享会', { form: 'rotation-sharing', groups: 'org-office' }),
  service('record_placement', '档案记录历练经历', 'gridflow.record.write', {
    headers: { kind: 'rotation-placement' },
    mi: { collection: '=results', element: 'result' },
    inputs: [['=result.cadreId', 'cadreId'], ['={programme: programmeType, cohort: cohortName, startDate: startDate, endDate: endDate, host: result.placement.host, position: result.placement.position, mentorId: result.placement.mentorId, report: result.report}', 'placement']],
  }),
  service('record_scores', '档案记录能力评分', 'gridflow.record.write', {
    headers: { kind: 'mentor-score' },
    mi: { collection: '=results', element: 'result' },
    inputs: [['=result.cadreId', 'cadreId'], ['=result.scores', 'scores'], ['=result.placement.mentorId', 'mentorId']],
  }),
  end('done', '档案已更新'),
  flow('plan', 'participants_call'), flow('participants_call', 'sharing'), flow('sharing', 'record_placement'), flow('record_placement', 'record_scores'), flow('record_scores', 'done'),
], '沉浸式历练（一周员工、走进部门、网格轮岗）：制定批次计划 → 每位学员并行（个人历练）：安排岗位与导师、接收单位确认、在岗期间每周日志、结业报告（发现问题、分析、解决建议、心得）、导师按五项能力评分（1–5）→ 分享会 → 更新干部档案。');

// ---------------------------------------------------------------- 网格月报
// Each grid's report is an instance of its own, in the grid (gridId at its root).
const gridReport = definitions('grid-report', '网格月报填报', [
  start('grid_start', '开始填报'),
  service('compile', '汇总网格数据', 'gridflow.report.compile'),
  user('write', '网格组长填报月报', { form: 'grid-monthly-report', groups: GRID }),
  end('grid_end', '月报已提交'),
  flow('grid_start', 'compile'), flow('compile', 'write'), flow('write', 'grid_end'),
], '一个网格的月报：汇总该网格上月诉求件数据，由网格组长填报。由“网格月报”按网格并行调用。');

const monthly = definitions('grid-monthly-report', '网格月报', [
  start('monthly', '每月 1 日 9:00', { cron: 'R/2026-12-01T09:00:00+08:00/P1M' }),
  start('on_demand', '手动发起', { form: 'grid-monthly-report-start' }),
  gateway('begin', '开始'),
  script('which_month', '确定报告月份', '=if month = null then substring(string(today() - duration("P1M")), 1, 7) else month', 'month'),
  script('which_grids', '确定参与网格', '=if grids = null then ["1", "2", "3", "4", "5", "6"] else grids', 'grids'),
  call('grid_reports', '各网格月报', 'grid-report', {
    mi: { collection: '=grids', element: 'grid', outputCollection: 'gridReports', outputElement: '={gridId: grid, figures: report, report: gridReport}' },
    inputs: [['=grid', 'gridId'], ['=month', 'month'], ['=null', 'report'], ['=null', 'gridReport']],
    outputs: [['=report', 'report'], ['=gridReport', 'gridReport']],
  }),
  user('analyse', '二次分析研判', { form: 'zone-secondary-analysis', groups: 'committee' }),
  end('done', '月度研判完成'),
  flow('monthly', 'begin'), flow('on_demand', 'begin'), flow('begin', 'which_month'), flow('which_month', 'which_grids'), flow('which_grids', 'grid_reports'), flow('grid_reports', 'analyse'), flow('analyse', 'done'),
], '网格月报：每月 1 日（北京时间 9:00）启动，各网格汇总上月数据并由网格组长填报月报（网格月报填报），党工委、管委会开展二次分析研判，查找共性问题与风险隐患。');

const out = new URL('../processes/diagrams/', import.meta.url);
for (const [file, xml] of Object.entries({
  'enterprise-service-loop.bpmn': loop,
  'three-tier-handling.bpmn': threeTier,
  'challenge-solve.bpmn': challenge,
  'rotation-participant.bpmn': participant,
  'rotation-programme.bpmn': rotation,
  'grid-report.bpmn': gridReport,
  'grid-monthly-report.bpmn': monthly,
})) {
  await writeFile(new URL(file, out), await layoutDiagram(xml));
  console.log(`wrote processes/diagrams/${file}`);
}
