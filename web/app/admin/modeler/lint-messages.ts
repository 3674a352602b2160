// Camunda's linting speaks English; these are its common messages in Chinese. A message matching
// none of them is shown as it came.
import { getLocale } from '../../core/i18n.ts';
import type { LintReport } from './modeler.ts';

const TERMS: Record<string, string> = {
  'Process': '流程', 'User Task': '用户任务', 'Service Task': '服务任务', 'Send Task': '发送任务', 'Receive Task': '接收任务',
  'Script Task': '脚本任务', 'Business Rule Task': '业务规则任务', 'Call Activity': '调用活动', 'Sub Process': '子流程',
  'Start Event': '开始事件', 'End Event': '结束事件', 'Boundary Event': '边界事件', 'Intermediate Catch Event': '中间捕获事件',
  'Intermediate Throw Event': '中间抛出事件', 'Exclusive Gateway': '排他网关', 'Inclusive Gateway': '包容网关',
  'Parallel Gateway': '并行网关', 'Event-Based Gateway': '事件网关', 'Sequence Flow': '顺序流', 'Message': '消息',
  'Name': '名称', 'Executable': '可执行', 'Form': '表单', 'Form ID': '表单 ID', 'Called element': '被调用元素',
  'Condition expression': '条件表达式', 'Task definition type': '任务定义类型', 'Implementation': '实现方式',
  'Message Reference': '消息引用', 'Error Reference': '错误引用', 'Error code': '错误代码', 'Timer type': '定时器类型',
  'Timer value': '定时器取值', 'Time duration': '时长', 'Time date': '日期', 'Time cycle': '周期', 'Due date': '截止日期',
  'Follow up date': '跟进日期', 'Priority': '优先级', 'Subscription correlation key': '订阅关联键', 'Input collection': '输入集合',
  'Output collection': '输出集合', 'Output element': '输出元素', 'Local variable name': '局部变量名',
  'Process variable name': '流程变量名', 'Variable assignment value': '变量赋值', 'Result variable': '结果变量',
  'FEEL expression': 'FEEL 表达式', 'Type': '类型', 'Version tag': '版本标签', 'Headers': '头信息', 'Key': '键',
};

const term = (s: string) => `「${TERMS[s] ?? s}」`;
const terms = (s: string) => s.replace(/<([^>]+)>/g, (_m, x: string) => {
  const [k, v] = x.split(': ');
  return v ? `「${TERMS[k!] ?? k}：${TERMS[v] ?? v}」` : term(x);
});

const RULES: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^An? <([^>]+)> must have a defined <([^>]+)>$/, (m) => `${term(m[1]!)}必须设置${term(m[2]!)}`],
  [/^An? <([^>]+)> should have a defined <([^>]+)>$/, (m) => `${term(m[1]!)}应当设置${term(m[2]!)}`],
  [/^An? <([^>]+)> must have a <([^>]+)>$/, (m) => `${term(m[1]!)}必须设置${term(m[2]!)}`],
  [/^An? <([^>]+)> with (.+) must have a defined <([^>]+)>$/, (m) => `带有${terms(m[2]!)}的${term(m[1]!)}必须设置${term(m[3]!)}`],
  [/^An? <([^>]+)> must have a defined <([^>]+)> or be the default <Sequence Flow>$/, (m) => `${term(m[1]!)}必须设置${term(m[2]!)}，或作为默认顺序流`],
  [/^An? <([^>]+)> must have a unique <([^>]+)>$/, (m) => `${term(m[1]!)}的${term(m[2]!)}必须唯一`],
  [/^An? <([^>]+)> <([^>]+)> must be (.+)$/, (m) => `${term(m[1]!)}的${term(m[2]!)}格式不正确（${m[3]}）`],
  [/^(.+) is not supported by (.+)$/, (m) => `${terms(m[1]!)}在 ${m[2]} 中不受支持`],
  [/^(.+) is only supported by (.+) or newer$/, (m) => `${terms(m[1]!)}需要 ${m[2]} 或更新版本`],
  [/^A <Process> must be <Executable>$/, () => '流程必须设为「可执行」'],
  [/^Element is missing label\/name$/, () => '元素缺少名称'],
  [/^Element is not connected$/, () => '元素未连接'],
  [/^Element is missing bpmndi$/, () => '元素缺少图形信息'],
  [/^Incoming flows do not join$/, () => '多条入流未汇合'],
  [/^Gateway forks and joins$/, () => '网关同时分支和汇合'],
  [/^Process is missing start event$/, () => '流程缺少开始事件'],
  [/^Process is missing end event$/, () => '流程缺少结束事件'],
  [/^Start event is missing event definition$/, () => '开始事件缺少事件定义'],
  [/^Element is not left-to-right$/, () => '元素未从左到右排列'],
  [/^Duplicate outgoing sequence flows$/, () => '出流重复'],
  [/^Sequence flow is missing condition$/, () => '顺序流缺少条件'],
  [/^Element has non-unique ID/, () => '元素 ID 不唯一'],
];

export function lintMessage(report: LintReport): string {
  if (getLocale() !== 'zh') return report.message;
  for (const [re, to] of RULES) {
    const m = re.exec(report.message);
    if (m) return to(m);
  }
  return report.message;
}
