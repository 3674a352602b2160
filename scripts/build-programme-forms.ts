// Writes the first version of the programmes' forms to processes/forms/*.form.
// Once shipped, the .form files are the source: administrators change them in the form editor.
// Run: node --import tsx scripts/build-programme-forms.ts
import { writeFile } from 'node:fs/promises';
import { CASE_CATEGORIES, DEPARTMENTS, URGENCIES } from '../processes/org/reference.ts';
import { area, checkbox, checklist, date, form, group, list, note, number, radio, select, selectFrom, taglist, text } from './programme-form.ts';

const GRIDS: Array<[string, string]> = ['1', '2', '3', '4', '5', '6'].map((g) => [g, `第${'一二三四五六'[Number(g) - 1]}网格`]);
const CATEGORIES = CASE_CATEGORIES.map((t): [string, string] => [t.code, t.zh]);
const URGENCY = URGENCIES.map((t): [string, string] => [t.code, t.zh]);
const DEPTS = DEPARTMENTS.map((t): [string, string] => [`dept-${t.code}`, t.zh]);
const RATINGS = ['满意', '基本满意', '不满意'];
const USCC = { required: true, validationType: 'uscc', description: '18 位统一社会信用代码（GB 32100-2015）' };
const caseSummary = () => note('#### {{title}}\n\n**诉求件编号**：{{caseNumber}}　**企业**：{{enterpriseName}}（{{enterprise}}）\n\n**类别**：{{category}}　**紧急程度**：{{urgency}}\n\n{{description}}');
const deadline = () => note('**办理时限**：{{deadline}}');
const required = { required: true };
const reasonFor = (label: string) => area('reason', label, { required: true, minLength: 5, hide: '=decision = null or decision = "resolve"' });
const ability = (key: string, label: string) => number(key, `${label}（1–5 分）`, { required: true, min: 1, max: 5, decimalDigits: 0 });

const forms: Record<string, object> = {
  // ------------------------------------------------------------ 企业服务闭环
  'visit-record': form('visit-record', [
    note('### 企业走访记录'),
    text('enterprise', '统一社会信用代码', USCC),
    text('enterpriseName', '企业名称', { required: true, maxLength: 100 }),
    select('gridId', '所属网格', GRIDS, required),
    text('filedBy', '走访干部', { required: true, maxLength: 40 }),
    date('visitDate', '走访日期', required),
    radio('channel', '走访方式', ['现场', '电话', '座谈', '网格企业服务群'], required),
    text('contactName', '企业联系人', { maxLength: 40 }),
    text('contactPhone', '联系电话', { validationType: 'cnMobile', description: '手机号码' }),
    checklist('policies', '宣传政策', ['安全生产', '生态环保', '防台抗台', '政策宣讲']),
    number('handbookPacks', '发放指导手册文件包（份）', { min: 0, max: 100, decimalDigits: 0, defaultValue: 0 }),
    list('企业意见诉求', 'demands', [
      text('title', '诉求概要', { required: true, maxLength: 100 }),
      select('category', '问题类别', CATEGORIES, required),
      select('urgency', '紧急程度', URGENCY, { required: true, defaultValue: 'normal' }),
      area('description', '具体情况', { maxLength: 2000 }),
    ], { min: 0 }),
  ]),
  'visit-summary': form('visit-summary', [
    note('### 回访总结\n\n**企业**：{{enterpriseName}}（{{enterprise}}）'),
    area('summary', '走访总结', { required: true, minLength: 10 }),
    area('lessons', '经验与问题', {}),
    taglist('tags', '标签', ['共性问题', '政策需求', '风险隐患', '典型经验', '跟踪服务']),
  ]),

  // ------------------------------------------------------------ 三级闭环办理
  'case-intake': form('case-intake', [
    note('### 诉求登记'),
    text('enterprise', '统一社会信用代码', USCC),
    text('enterpriseName', '企业名称', { required: true, maxLength: 100 }),
    select('gridId', '所属网格', GRIDS, required),
    text('filedBy', '登记人', { required: true, maxLength: 40 }),
    text('title', '诉求概要', { required: true, maxLength: 100 }),
    select('category', '问题类别', CATEGORIES, required),
    select('urgency', '紧急程度', URGENCY, { required: true, defaultValue: 'normal' }),
    area('description', '具体情况', { required: true, maxLength: 2000 }),
  ]),
  'case-assess': form('case-assess', [
    caseSummary(),
    area('analysis', '分析研判意见', { required: true, minLength: 5 }),
    checkbox('whistle', '存在重大风险隐患，吹哨直报党工委'),
    area('reason', '吹哨事由', { required: true, minLength: 5, hide: '=whistle != true' }),
  ]),
  'case-accept': form('case-accept', [
    caseSummary(), deadline(),
    text('handler', '承办人', { required: true, maxLength: 40 }),
    area('plan', '办理计划', { maxLength: 1000 }),
  ]),
  'case-handle-grid': form('case-handle-grid', [
    caseSummary(), deadline(),
    radio('decision', '办理结果', [['resolve', '已解决'], ['escalate', '上报经开区'], ['whistle', '吹哨直报党工委']], required),
    area('resolution', '办理情况', { required: true, minLength: 5, hide: '=decision != "resolve"' }),
    reasonFor('上报 / 吹哨理由'),
  ]),
  'case-handle-zone': form('case-handle-zone', [
    caseSummary(), deadline(),
    radio('decision', '办理结果', [['resolve', '已解决'], ['escalate', '提交区级部门'], ['return', '退回网格'], ['whistle', '吹哨直报党工委']], required),
    area('resolution', '办理情况', { required: true, minLength: 5, hide: '=decision != "resolve"' }),
    select('targetDept', '承办区级部门', [...DEPTS, ['district', '区领导牵头联办']], { required: true, hide: '=decision != "escalate"' }),
    reasonFor('上报 / 退回 / 吹哨理由'),
  ]),
  'case-handle-district': form('case-handle-district', [
    caseSummary(), deadline(),
    radio('decision', '办理结果', [['resolve', '已解决'], ['escalate', '提请党工委协调'], ['return', '退回经开区'], ['whistle', '吹哨直报党工委']], required),
    area('resolution', '办理情况', { required: true, minLength: 5, hide: '=decision != "resolve"' }),
    reasonFor('协调 / 退回 / 吹哨理由'),
  ]),
  'case-committee': form('case-committee', [
    caseSummary(),
    note('**上报事由**：{{reason}}'),
    area('measures', '督办措施', { required: true, minLength: 5 }),
    area('resolution', '办理结果', { required: true, minLength: 5 }),
  ]),
  'case-review': form('case-review', [
    caseSummary(),
    note('**办理情况**：{{resolution}}'),
    radio('reviewResult', '复核结论', [['approve', '同意办结'], ['reject', '退回重办']], required),
    area('reviewComment', '复核意见', { required: true, minLength: 5, hide: '=reviewResult != "reject"' }),
  ]),
  'case-followup': form('case-followup', [
    caseSummary(),
    note('**办理情况**：{{resolution}}'),
    date('followUpDate', '回访日期', required),
    radio('followUpChannel', '回访方式', ['现场', '电话', '座谈', '网格企业服务群'], required),
    radio('rating', '企业评价', RATINGS, required),
    area('ratingComment', '企业意见', { required: true, minLength: 2, hide: '=rating != "不满意"', description: '不满意时必填，将作为重新办理的理由' }),
  ]),
  'case-final': form('case-final', [
    caseSummary(),
    note('企业对办理结果多次不满意，请党工委终审。\n\n**企业意见**：{{ratingComment}}'),
    area('finalDecision', '终审意见', { required: true, minLength: 5 }),
  ]),

  // ------------------------------------------------------------ 揭榜破难
  'challenge-propose': form('challenge-propose', [
    note('### 提出难题'),
    text('title', '榜单名称', { required: true, maxLength: 60 }),
    select('source', '难题来源', [['stuck-case', '三级办理难题'], ['target-sector', '重点产业项目'], ['research', '新兴产业课题研究']], required),
    select('gridId', '所属网格', GRIDS, required),
    area('description', '难题描述', { required: true, minLength: 10 }),
    area('expectedOutcome', '预期成果', { required: true }),
    text('proposer', '提出人', { required: true, maxLength: 40 }),
  ]),
  'challenge-approval': form('challenge-approval', [
    note('### {{title}}\n\n{{description}}\n\n**预期成果**：{{expectedOutcome}}'),
    radio('approval', '审批意见', [['approve', '同意发榜'], ['reject', '不同意']], required),
    text('challengeId', '榜单编号', { required: true, pattern: '^JB-\\d{4}-\\d{3}$', patternErrorMessage: '格式如 JB-2026-001', hide: '=approval != "approve"' }),
    number('applicationDays', '申报期（天）', { required: true, min: 1, max: 60, decimalDigits: 0, defaultValue: 10, hide: '=approval != "approve"' }),
    number('maxTeams', '最多揭榜团队数', { required: true, min: 1, max: 10, decimalDigits: 0, defaultValue: 3, hide: '=approval != "approve"' }),
    area('approvalComment', '审批说明', { required: true, minLength: 5, hide: '=approval != "reject"' }),
  ]),
  'challenge-publish': form('challenge-publish', [
    note('### 发榜公示：{{title}}（{{challengeId}}）'),
    area('notice', '榜单公告', { required: true, minLength: 10 }),
    number('applicationDays', '申报期（天）', { required: true, min: 1, max: 60, decimalDigits: 0 }),
  ]),
  'challenge-apply': form('challenge-apply', [
    note('### 揭榜申报：{{title}}（{{challengeId}}）\n\n{{notice}}'),
    text('teamName', '团队名称', { required: true, maxLength: 40 }),
    text('leader', '揭榜人（干部编号）', { required: true, maxLength: 40 }),
    list('团队成员', 'members', [
      text('cadreId', '干部编号', { required: true, maxLength: 40 }),
      text('name', '姓名', { required: true, maxLength: 40 }),
    ], { min: 0 }),
    area('plan', '攻坚方案', { required: true, minLength: 10 }),
  ]),
  'challenge-select': form('challenge-select', [
    note('### 定榜：{{title}}（{{challengeId}}）'),
    radio('selection', '定榜意见', [['select', '确定揭榜团队'], ['republish', '重新发榜']], required),
    selectFrom('selectedTeam', '揭榜团队', '=for a in applications return a.teamName', { required: true, hide: '=selection != "select"' }),
    area('selectionComment', '定榜说明', {}),
  ]),
  'challenge-progress': form('challenge-progress', [
    note('### 进度汇报：{{title}}（{{challengeId}}）'),
    number('progressPercent', '完成进度（%）', { required: true, min: 0, max: 100, decimalDigits: 0 }),
    area('progress', '本期进展', { required: true, minLength: 5 }),
    area('blockers', '存在困难', {}),
    radio('delivery', '本期结论', [['continue', '继续攻坚'], ['deliver', '攻坚完成，提交成果验收']], { required: true, defaultValue: 'continue' }),
    area('outcome', '攻坚成果', { required: true, minLength: 10, hide: '=delivery != "deliver"' }),
    area('evidence', '佐证材料说明', { hide: '=delivery != "deliver"' }),
  ]),
  'challenge-mentor-review': form('challenge-mentor-review', [
    note('### 导师点评：{{title}}\n\n**本期进展**（{{progressPercent}}%）：{{progress}}\n\n**存在困难**：{{blockers}}'),
    radio('mentorAssessment', '进展评价', ['进展良好', '基本正常', '需要加强'], required),
    area('mentorComment', '点评意见', { required: true, minLength: 5 }),
  ]),
  'challenge-acceptance': form('challenge-acceptance', [
    note('### 专家组验收：{{title}}（{{challengeId}}）\n\n**攻坚成果**：{{outcome}}'),
    radio('verdict', '验收结论', [['pass', '通过'], ['fail', '不通过'], ['extend', '延期攻坚']], required),
    area('acceptanceComment', '验收意见', { required: true, minLength: 5 }),
    number('extensionDays', '延期（天）', { required: true, min: 1, max: 180, decimalDigits: 0, hide: '=verdict != "extend"' }),
  ]),

  // ------------------------------------------------------------ 沉浸式历练
  'rotation-plan': form('rotation-plan', [
    note('### 制定历练计划'),
    radio('programmeType', '历练类型', ['一周员工', '走进部门', '网格轮岗'], required),
    text('cohortName', '批次名称', { required: true, maxLength: 60 }),
    select('gridId', '牵头网格', GRIDS, required),
    date('startDate', '开始日期', required),
    date('endDate', '结束日期', required),
    list('学员', 'participants', [
      text('cadreId', '干部编号', { required: true, maxLength: 40 }),
      text('name', '姓名', { required: true, maxLength: 40 }),
    ], { min: 1 }),
  ]),
  'rotation-placement': form('rotation-placement', [
    note('### 安排岗位与导师：{{participant.name}}（{{cohortName}}）'),
    group('岗位安排', 'placement', [
      text('host', '历练单位', { required: true, maxLength: 80 }),
      select('hostGroup', '确认单位', [['zone-center', '经开区企业服务中心'], ...DEPTS], required),
      text('position', '岗位', { required: true, maxLength: 60 }),
      text('mentorId', '导师（用户名）', { required: true, maxLength: 40 }),
    ]),
  ]),
  'rotation-host-confirm': form('rotation-host-confirm', [
    note('### 接收确认：{{participant.name}} 到 {{placement.host}} 任 {{placement.position}}'),
    group('接收确认', 'hostConfirmation', [
      checkbox('confirmed', '同意接收', { required: true }),
      text('contact', '单位联系人', { required: true, maxLength: 40 }),
      text('contactPhone', '联系电话', { validationType: 'cnMobile' }),
      area('arrangement', '工作安排', {}),
    ]),
  ]),
  'rotation-log': form('rotation-log', [
    note('### 历练日志：{{participant.name}}（{{placement.host}}）'),
    group('本周日志', 'log', [
      date('weekOf', '日期', required),
      area('content', '工作内容', { required: true, minLength: 10 }),
      area('problemsFound', '发现的问题', {}),
    ]),
  ]),
  'rotation-report': form('rotation-report', [
    note('### 结业报告：{{participant.name}}（{{placement.host}}）'),
    group('结业报告', 'report', [
      area('caseRaised', '发现的问题', { required: true, minLength: 10 }),
      area('analysis', '分析', { required: true, minLength: 10 }),
      area('proposal', '解决建议', { required: true, minLength: 10 }),
      area('reflections', '心得体会', { required: true, minLength: 10 }),
    ]),
  ]),
  'rotation-score': form('rotation-score', [
    note('### 导师评分：{{participant.name}}\n\n**发现的问题**：{{report.caseRaised}}\n\n**解决建议**：{{report.proposal}}'),
    group('五项能力', 'scores', [
      ability('communication', '沟通能力'),
      ability('judgement', '判断能力'),
      ability('coordination', '协调能力'),
      ability('discovery', '主动发现问题能力'),
      ability('depth', '由表及里思考能力'),
    ]),
    area('mentorComment', '导师评语', { required: true, minLength: 5 }),
  ]),
  'rotation-sharing': form('rotation-sharing', [
    note('### 分享会：{{cohortName}}'),
    date('sharingDate', '分享会日期', required),
    text('venue', '地点', { maxLength: 80 }),
    number('attendees', '参会人数', { min: 1, max: 500, decimalDigits: 0 }),
    area('sharingSummary', '分享会纪要', { required: true, minLength: 10 }),
  ]),

  // ------------------------------------------------------------ 网格月报
  'grid-monthly-report-start': form('grid-monthly-report-start', [
    note('### 发起网格月报\n\n每月 1 日自动发起；补报或重报某月时在此手动发起。'),
    text('month', '报告月份', { required: true, pattern: '^\\d{4}-(0[1-9]|1[0-2])$', patternErrorMessage: '格式如 2026-10' }),
    checklist('grids', '参与网格', GRIDS, { required: true, defaultValue: GRIDS.map(([g]) => g) }),
  ]),
  'grid-monthly-report': form('grid-monthly-report', [
    note('### 第 {{gridId}} 网格 {{month}} 月报\n\n本月新立诉求件 {{report.filed}} 件，办结 {{report.closed}} 件，超时 {{report.overdue}} 件。'),
    group('月报', 'gridReport', [
      area('summary', '本月工作概况', { required: true, minLength: 10 }),
      area('commonProblems', '共性问题', { required: true }),
      area('risks', '风险隐患', {}),
      area('nextPlans', '下月计划', { required: true }),
    ]),
  ]),
  'zone-secondary-analysis': form('zone-secondary-analysis', [
    note('### {{month}} 二次分析研判\n\n各网格月报已提交，请对诉求按类别、层级、网格进行二次分析，查找共性问题与风险隐患。'),
    area('commonProblems', '共性问题', { required: true, minLength: 10 }),
    area('hiddenRisks', '风险隐患', { required: true }),
    area('decisions', '研判意见', { required: true, minLength: 10 }),
    list('跟踪事项', 'followUps', [
      text('task', '事项', { required: true, maxLength: 100 }),
      select('owner', '责任单位', [['zone-center', '经开区企业服务中心'], ...GRIDS.map(([g, l]): [string, string] => [`grid-${g}`, l]), ...DEPTS], required),
      date('due', '完成时限', required),
    ], { min: 0 }),
  ]),
};

const out = new URL('../processes/forms/', import.meta.url);
for (const [name, schema] of Object.entries(forms)) {
  await writeFile(new URL(`${name}.form`, out), `${JSON.stringify(schema, null, 2)}\n`);
}
console.log(`wrote ${Object.keys(forms).length} forms to processes/forms/`);
