// What is wrong with a form schema the server refused (POST /api/forms, the preview, a form
// embedded in a diagram), worded from each problem's code in the user's language: the field named
// by its label when the schema is at hand, the property as the designer's panel names it. An
// unknown code shows the server's message.
import { getLocale } from '../../core/i18n.ts';

export interface SchemaProblem { componentId: string; property?: string; message: string; code?: string; params?: Record<string, string | number> }

const PROPERTY_ZH: Record<string, string> = {
  id: 'ID', type: '类型', key: '字段键', label: '标签', path: '路径', components: '子组件', text: '文本', source: '来源', url: '网址',
  conditional: '显示条件', 'conditional.hide': '隐藏条件', readonly: '只读', disabled: '禁用', validate: '校验',
  'validate.required': '必填', 'validate.minLength': '最小长度', 'validate.maxLength': '最大长度', 'validate.min': '最小值',
  'validate.max': '最大值', 'validate.pattern': '正则表达式', 'validate.patternErrorMessage': '不匹配时的提示',
  'validate.validationType': '校验类型', decimalDigits: '小数位数', increment: '步长', serializeToString: '以文本保存',
  subtype: '日期时间类型', timeSerializingFormat: '时间格式', disallowPassedDates: '禁止选择过去的日期', use24h: '24 小时制',
  dateLabel: '日期标签', timeLabel: '时间标签', expression: '表达式', computeOn: '计算时机', multiple: '多选', values: '固定选项',
  valuesKey: '选项变量', valuesExpression: '选项表达式', defaultValue: '默认值', isRepeating: '可重复', allowAddRemove: '允许添加和删除',
  defaultRepetitions: '默认条数', description: '说明', appearance: '外观',
};
const SOURCES_ZH: Record<string, string> = { values: '固定选项', valuesKey: '选项变量', valuesExpression: '选项表达式' };

type Params = Record<string, string | number>;
const was = (p: Params) => (p.was === 'missing' ? '未填写' : `当前为 ${p.was}`);
const conflictZh = (c: unknown) => {
  const s = String(c ?? '');
  const component = /^component (.+)$/.exec(s);
  if (component) return `字段 ${component[1]}`;
  const list = /^the data of dynamic list (.+)$/.exec(s);
  return list ? `动态列表 ${list[1]} 的数据` : s;
};

const ZH: Record<string, (p: Params) => string> = {
  NOT_AN_OBJECT: () => '表单定义必须是 JSON 对象。',
  NOT_JSON: () => '表单定义不是有效的 JSON 数据。',
  COMPONENTS_NOT_ARRAY: () => '组件列表必须是数组。',
  COMPONENT_NOT_OBJECT: () => '组件必须是 JSON 对象。',
  ID_INVALID: (p) => `ID 不能为空，最多 ${p.limit} 个字符。`,
  ID_DUPLICATE: (p) => `ID“${p.id}”重复（${p.other} 也在使用）。`,
  TOO_DEEP: (p) => `分组和列表的嵌套超过 ${p.limit} 层。`,
  TOO_MANY_COMPONENTS: (p) => `组件超过 ${p.limit} 个。`,
  TYPE_UNKNOWN: (p) => `未知的组件类型（${was(p)}）。`,
  NO_CHILD_COMPONENTS: () => '这种字段不能包含子组件。',
  PATH_COLLISION: (p) => `数据路径“${p.path}”与${conflictZh(p.conflict)}冲突，请换一个字段键或路径。`,
  KEY_MISSING: () => '输入字段必须填写字段键。',
  PATH_MISSING: () => '可重复的动态列表必须填写路径。',
  PATH_INVALID: (p) => `“${p.value}”不是有效的变量名或以点分隔的路径（只能用字母、数字和下划线）。`,
  PATH_NUMERIC: (p) => `“${p.value}”中有纯数字的一段。`,
  PATH_PROHIBITED: (p) => `“${p.value}”用了不允许的名称（__proto__、prototype、constructor）。`,
  FEEL_INVALID: (p) => `“${p.expression}”不是有效的 FEEL 表达式（${p.problem}）。`,
  VALUE_INVALID: (p) => `取值无效（${was(p)}）。`,
  VALIDATION_UNSUPPORTED: () => '这种字段不支持这项校验。',
  PATTERN_TOO_LONG: (p) => `正则表达式超过 ${p.limit} 个字符。`,
  PATTERN_INVALID: (p) => `“${p.pattern}”不是有效的正则表达式。`,
  PATTERN_HAZARD: (p) => `正则表达式“${p.pattern}”可能让服务器长时间计算，请简化。`,
  OPTIONS_MISSING: () => '需要选项：固定选项、选项变量或选项表达式，三者选一。',
  OPTIONS_SEVERAL_SOURCES: (p) => `选项只能有一个来源（现在有：${String(p.sources).split(',').map((s) => SOURCES_ZH[s] ?? s).join('、')}）。`,
  OPTION_INVALID: (p) => `不是有效的选项：需要文字标签和非空的值（${was(p)}）。`,
};

type Component = { id?: string; label?: string; key?: string; components?: Component[] };

/** The component's label (and id) when the schema has it, else its id or position. */
export function fieldName(componentId: string, schema?: { components?: unknown[] } | null): string {
  if (componentId === 'form') return getLocale() === 'zh' ? '表单' : 'form';
  const find = (list: Component[] = []): Component | undefined => {
    for (const c of list) {
      if (c.id === componentId) return c;
      const inner = find(c.components);
      if (inner) return inner;
    }
    return undefined;
  };
  const label = find(schema?.components as Component[] | undefined)?.label;
  return label && !label.startsWith('=') ? `${label}（${componentId}）` : componentId;
}

function propertyName(property: string): string {
  const option = /^values\[(\d+)\]$/.exec(property);
  if (option) return `第 ${Number(option[1]) + 1} 个选项`;
  return PROPERTY_ZH[property] ?? property;
}

/** One problem as the user reads it: the field, its property, then what is wrong. */
export function schemaProblemText(p: SchemaProblem, schema?: { components?: unknown[] } | null): string {
  const field = fieldName(p.componentId, schema);
  const word = getLocale() === 'zh' && p.code ? ZH[p.code] : undefined;
  if (!word) return `${field}${p.property ? ` (${p.property})` : ''}: ${p.message}`;
  const gap = /[\w\]]$/.test(field) ? ' ' : ''; // between an id's last letter and Chinese
  return `${field}${p.property ? `${gap}的「${propertyName(p.property)}」` : ''}：${word(p.params ?? {})}`;
}
