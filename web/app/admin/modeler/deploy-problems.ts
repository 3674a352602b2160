// Why the server refused a deployment (POST /v2/deployments answers 400 with details.problems, each
// with its element, an English message and, for the common ones, a code and parameters). In
// Chinese the codes are worded here; an unknown code, or English, shows the server's message.
import { getLocale } from '../../core/i18n.ts';
import { ApiError } from '../../core/api.ts';
import { MODELER_ZH } from './zh.ts';

export interface DeployProblem { resource?: string; elementId: string | null; message: string; code?: string; params?: Record<string, string | number> }

/** The problems of a refused deployment, or null when the error is something else. */
export function deployProblemsOf(err: unknown): DeployProblem[] | null {
  if (!(err instanceof ApiError)) return null;
  const list = (err.problem.details as { problems?: unknown } | undefined)?.problems;
  return Array.isArray(list) && list.length > 0 ? list as DeployProblem[] : null;
}

const KIND: Record<string, string> = {
  none: '无类型', message: '消息', timer: '定时', error: '错误', signal: '信号', escalation: '升级', compensate: '补偿',
  compensation: '补偿', conditional: '条件', link: '链接', terminate: '终止', cancel: '取消', execution: '执行', task: '任务',
};
const TIMER: Record<string, string> = { timeDuration: '时长', timeDate: '日期', timeCycle: '周期' };
const WHAT: Record<string, string> = {
  condition: '条件', assignee: '处理人', 'called process id': '被调用流程 ID', 'completion condition': '完成条件',
  'correlation key': '关联键', 'error code': '错误代码', 'external form reference': '外部表单引用', 'form id': '表单 ID',
  'job retries': '重试次数', 'job type': '作业类型', 'message name': '消息名称', 'multi-instance input collection': '多实例输入集合',
  'multi-instance output element': '多实例输出元素', priority: '优先级', script: '脚本', 'candidate groups': '候选组',
  'candidate users': '候选用户', 'due date': '截止日期', 'follow-up date': '跟进日期', 'result variable': '结果变量',
};

/** 'bpmn:EndEvent' → 结束事件; with a kind, 'signal' → 信号结束事件. */
function typeName(type: unknown, kind?: unknown): string {
  const words = String(type ?? '').replace(/^bpmn:/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  if (kind && kind !== 'none') {
    const known = MODELER_ZH[sentence(`${kind} ${words}`)];
    if (known) return known;
  }
  const base = MODELER_ZH[sentence(words)] ?? words;
  return kind === 'none' ? `无事件定义的${base}` : kind ? `${KIND[String(kind)] ?? kind}${base}` : base;
}
const what = (w: unknown) => {
  const s = String(w ?? '');
  const mapping = /^(input|output) mapping source for '(.*)'$/.exec(s);
  if (mapping) return `${mapping[1] === 'input' ? '输入' : '输出'}映射 ${mapping[2]} 的来源`;
  return WHAT[s] ?? s;
};
const list = (v: unknown, names: Record<string, string>) => String(v ?? '').split(',').filter(Boolean).map((x) => names[x] ?? x).join('、');

const ZH: Record<string, (p: Record<string, string | number>) => string> = {
  UNSUPPORTED_ELEMENT: (p) => `平台引擎不支持${typeName(p.type)}。`,
  MULTIPLE_EVENT_DEFINITIONS: (p) => `不支持带多个事件定义的${typeName(p.type)}。`,
  UNSUPPORTED_EVENT: (p) => `平台引擎不支持${typeName(p.type, p.kind)}（${typeName(p.type)}可用：${list(p.allowed, KIND)}）。`,
  TIMER_EMPTY: () => '定时事件没有设置时长、日期或周期。',
  MESSAGE_MISSING: (p) => `${typeName(p.type)}必须引用一个消息。`,
  MESSAGE_NAME_MISSING: (p) => `${typeName(p.type)}引用的消息 ${p.message} 没有名称。`,
  CORRELATION_KEY_MISSING: (p) => `${typeName(p.type)}引用的消息 ${p.message} 没有设置订阅关联键。`,
  DMN_UNSUPPORTED: () => '不支持 DMN 决策：请用作业处理器（任务定义）实现业务规则任务。',
  EVENT_SUBPROCESS_UNSUPPORTED: () => '平台引擎不支持事件子流程。',
  COMPENSATION_UNSUPPORTED: () => '平台引擎不支持补偿活动。',
  STANDARD_LOOP_UNSUPPORTED: () => '不支持标准循环：请改用多实例（并行或串行）。',
  INPUT_COLLECTION_MISSING: () => '多实例活动必须设置输入集合。',
  LISTENERS_UNSUPPORTED: (p) => `平台引擎暂不支持${KIND[String(p.kind)] ?? p.kind}监听器。`,
  JOB_TYPE_MISSING: (p) => `${typeName(p.type)}必须设置任务定义类型。`,
  SCRIPT_NOT_FEEL: () => '脚本只能是 FEEL 表达式：请填写以 = 开头的表达式（或改用作业处理器）。',
  RESULT_VARIABLE_MISSING: () => '脚本任务必须设置结果变量。',
  CALLED_PROCESS_MISSING: () => '调用活动必须设置被调用流程的 ID。',
  CALLED_PROCESS_UNKNOWN: (p) => `调用活动调用的流程 ${p.processId} 尚未部署。`,
  FEEL_EXPECTED: (p) => `${what(p.what)}必须是以 = 开头的 FEEL 表达式，当前是固定值“${p.value}”。`,
  FEEL_INVALID: (p) => `${what(p.what)}不是有效的 FEEL 表达式“${p.expression}”（${p.problem}）。`,
  VARIABLE_NAME_INVALID: (p) => `${what(p.what)}“${p.value}”不是有效的变量名。`,
  START_EVENT_INCOMING: () => '开始事件不能有进入的顺序流。',
  CONDITION_MISSING: (p) => `离开${typeName(p.type)} ${p.gateway} 的顺序流没有条件，也不是默认流。`,
  TIMER_KIND_NOT_ALLOWED: (p) => `${typeName(p.type)}不能使用${TIMER[String(p.timer)] ?? p.timer}定时（可用：${list(p.allowed, TIMER)}）。`,
  START_EVENT_MISSING: () => '流程没有开始事件。',
  SEVERAL_NONE_START_EVENTS: () => '流程有多个无类型开始事件。',
  XML_UNREADABLE: () => 'BPMN XML 无法解析。',
  NO_PROCESS: () => '流程图中没有流程。',
  NO_EXECUTABLE_PROCESS: () => '流程图中没有可执行的流程（请勾选「可执行」）。',
};

/** One problem as the user reads it: its element, then what is wrong. */
export function deployProblemText(p: DeployProblem): string {
  const word = getLocale() === 'zh' && p.code ? ZH[p.code] : undefined;
  const text = word ? word(p.params ?? {}) : p.message;
  if (!p.elementId) return text;
  return getLocale() === 'zh' ? `${p.elementId}：${text}` : `${p.elementId}: ${text}`;
}
