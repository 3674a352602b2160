// Why the server refused a deployment (POST /v2/deployments answers 400 with details.problems, each
// with its element, an English message and, for the common ones, a code and parameters). In
// Chinese the codes are worded here; an unknown code, or English, shows the server's message.
import { getLocale } from '../../core/i18n.ts';
import { ApiError } from '../../core/api.ts';
import { MODELER_ZH } from './zh.ts';
import { schemaProblemText } from '../forms/schema-problems.ts';

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
  'multi-instance input element': '多实例输入元素', 'multi-instance output collection': '多实例输出集合', 'input mapping target': '输入映射目标',
  'output mapping target': '输出映射目标', timeDuration: '定时时长', timeDate: '定时日期', timeCycle: '定时周期',
};
const BINDING: Record<string, string> = { latest: '最新版本', deployment: '同一部署', versionTag: '版本标签' };
const XML_REFUSED: Record<string, (p: Record<string, string | number>) => string> = {
  size: (p) => `BPMN XML 超过 ${p.limit} MiB。`,
  doctype: () => 'BPMN XML 声明了文档类型（<!DOCTYPE …>），出于安全原因不接受。',
  entity: () => 'BPMN XML 声明了实体（<!ENTITY …>），出于安全原因不接受。',
  instruction: () => 'BPMN XML 含有处理指令，只允许 <?xml …?> 声明。',
  depth: (p) => `BPMN XML 的嵌套超过 ${p.limit} 层。`,
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
  XML_REFUSED: (p) => XML_REFUSED[String(p.reason)]?.(p) ?? 'BPMN XML 含有不接受的内容。',
  XML_CONTENT_UNREADABLE: (p) => `BPMN XML 中有无法读取的内容${p.line ? `（第 ${p.line} 行${p.column ? `第 ${p.column} 列` : ''}）` : ''}。`,
  PROCESS_ID_MISSING: () => '可执行的流程没有 ID。',
  ERROR_REF_MISSING: () => '错误结束事件必须引用一个错误（并设置错误代码）。',
  ERROR_CODE_MISSING: (p) => `错误结束事件抛出的错误 ${p.error} 没有错误代码。`,
  ERROR_BOUNDARY_NON_INTERRUPTING: () => '错误边界事件总是中断活动，不能设为非中断。',
  CONDITION_EMPTY: () => '顺序流的条件表达式为空。',
  TIMER_VALUE_EMPTY: (p) => `${what(p.timer)}为空。`,
  TIMER_VALUE_INVALID: (p) => `${what(p.timer)}“${p.value}”无效（${p.problem}）。`,
  MESSAGE_NAME_NOT_STATIC: (p) => `消息开始事件的消息名称必须不依赖变量就能求值（${p.problem}）。`,
  JOB_RETRIES_INVALID: (p) => `重试次数必须是整数或 FEEL 表达式，当前是“${p.value}”。`,
  TASK_HEADER_KEY_MISSING: (p) => `值为“${p.value}”的任务头没有键名。`,
  LIST_INVALID: (p) => `${what(p.what)}必须是以逗号分隔的列表（如 a,b,c）或 FEEL 表达式，当前是“${p.value}”。`,
  DATE_TIME_INVALID: (p) => `${what(p.what)}必须是带时区的 ISO 8601 日期时间（如 2023-03-02T15:35+08:00）或 FEEL 表达式，当前是“${p.value}”。`,
  PRIORITY_MISSING: () => '设置了优先级定义，但没有填写优先级。',
  PRIORITY_INVALID: (p) => `优先级必须是 0 到 100 之间的整数，当前是“${p.value}”。`,
  FORM_REFERENCE_AMBIGUOUS: () => '表单只能用表单 ID、表单键或外部引用中的一种来关联。',
  FORM_BINDING_INVALID: (p) => `表单绑定方式“${p.binding}”无效（可用：最新版本、同一部署、版本标签）。`,
  FORM_VERSION_TAG_MISSING: () => '按版本标签绑定表单时必须填写版本标签。',
  EMBEDDED_FORM_MISSING: (p) => `表单键 ${p.formKey} 指向的内嵌表单在流程中不存在。`,
  FORM_UNRESOLVED: (p) => `用户任务关联的表单 ${p.formId}（绑定：${BINDING[String(p.binding)] ?? p.binding}${p.versionTag ? ` ${p.versionTag}` : ''}）${p.binding === 'deployment' ? '不在本次部署中' : '找不到'}：请先在表单设计器中保存该表单，或修改表单 ID。`,
  EMBEDDED_FORM_INVALID: (p) => `内嵌表单 ${p.form} 有误：${schemaProblemText({ componentId: String(p.component), property: String(p.property ?? ''), message: String(p.problem), ...(p.problemCode && { code: String(p.problemCode) }), params: innerParams(p) })}`,
  MAPPING_TARGET_MISSING: (p) => `${p.direction === 'input' ? '输入' : '输出'}映射没有目标变量。`,
  MAPPING_SOURCE_MISSING: (p) => `输出映射 ${p.target} 没有来源表达式。`,
  OUTPUT_ELEMENT_MISSING: () => '设置了多实例输出集合，还需要输出元素表达式。',
  OUTPUT_COLLECTION_MISSING: () => '设置了多实例输出元素，还需要输出集合。',
  DEFAULT_FLOW_NOT_ALLOWED: (p) => `只有排他网关和包容网关可以有默认流，${typeName(p.type)}不可以。`,
  FLOW_END_MISSING: (p) => `顺序流的${p.end === 'source' ? '起点' : '终点'}${p.ref ? ` ${p.ref} 不存在` : '未连接'}。`,
  FLOW_CROSSES_SCOPE: (p) => `顺序流连接的 ${p.source} 和 ${p.target} 不在同一个（子）流程中。`,
  CONDITION_NOT_ALLOWED: (p) => `只有离开排他网关或包容网关的顺序流可以设置条件，不能从${typeName(p.type)}出发。`,
  DEFAULT_FLOW_NOT_OUTGOING: (p) => `默认流 ${p.flow} 不是该网关的出口顺序流。`,
  DEFAULT_FLOW_CONDITION: () => '网关的默认流不能设置条件。',
  EVENT_GATEWAY_OUTGOING: () => '事件网关至少需要两条出口顺序流。',
  EVENT_GATEWAY_TARGET: (p) => `事件网关 ${p.gateway} 之后只能是定时或消息中间捕获事件，不能是${typeName(p.type)}。`,
  BOUNDARY_HOST_MISSING: (p) => (p.ref ? `边界事件附着的 ${p.ref} 不存在。` : '边界事件没有附着在活动上。'),
  BOUNDARY_HOST_NOT_ACTIVITY: (p) => `边界事件只能附着在活动上，不能附着在${typeName(p.type)}上。`,
  BOUNDARY_INCOMING: () => '边界事件不能有进入的顺序流。',
  BOUNDARY_OUTGOING_MISSING: () => '边界事件需要一条出口顺序流。',
  SUBPROCESS_START_COUNT: (p) => `嵌入子流程必须正好有一个开始事件，现在有 ${p.count} 个。`,
  SUBPROCESS_START_NOT_NONE: () => '嵌入子流程的开始事件必须是无类型开始事件。',
  MESSAGE_START_DUPLICATE: (p) => `消息开始事件 ${p.other} 和这个开始事件等待同一个消息 ${p.message}。`,
};

/** The parameters of a form problem inside a deployment problem's (`problem.limit` → `limit`). */
function innerParams(p: Record<string, string | number>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(p).filter(([k]) => k.startsWith('problem.')).map(([k, v]) => [k.slice('problem.'.length), v]));
}

/** One problem as the user reads it: its element, then what is wrong. */
export function deployProblemText(p: DeployProblem): string {
  const word = getLocale() === 'zh' && p.code ? ZH[p.code] : undefined;
  const text = word ? word(p.params ?? {}) : p.message;
  if (!p.elementId) return text;
  return getLocale() === 'zh' ? `${p.elementId}：${text}` : `${p.elementId}: ${text}`;
}
