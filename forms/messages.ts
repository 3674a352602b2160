// Failure messages in Chinese and English, one per code. `params` come from the failing rule.
import type { ErrorCode, Locale } from './types.ts';

export type MessageParams = Record<string, unknown>;

type Template = (p: MessageParams) => string;

const TYPE_NAMES: Record<string, { en: string; zh: string }> = {
  string: { en: 'text', zh: '文本' },
  number: { en: 'a number', zh: '数字' },
  integer: { en: 'a whole number', zh: '整数' },
  boolean: { en: 'true or false', zh: '布尔值（是/否）' },
  array: { en: 'a list', zh: '列表' },
  object: { en: 'an object', zh: '对象' },
  null: { en: 'empty', zh: '空值' },
};

function typeName(type: unknown, locale: Locale): string {
  const names = (Array.isArray(type) ? type : String(type).split(','))
    .filter((t) => t !== 'null')
    .map((t) => TYPE_NAMES[t]?.[locale] ?? String(t));
  return names.join(locale === 'zh' ? '或' : ' or ');
}

const SHAPES: Record<string, string> = {
  date: 'YYYY-MM-DD',
  'time:no_timezone': 'HH:mm',
  'time:utc_normalized': 'HH:mmZ',
  'time:utc_offset': 'HH:mm+hh:mm',
  'datetime:no_timezone': 'YYYY-MM-DDTHH:mm',
  'datetime:utc_normalized': 'YYYY-MM-DDTHH:mmZ',
  'datetime:utc_offset': 'YYYY-MM-DDTHH:mm+hh:mm',
};

function shape(p: MessageParams): string {
  const subtype = String(p.subtype ?? 'date');
  if (subtype === 'date') return SHAPES.date!;
  const format = p.format === 'utc_normalized' || p.format === 'utc_offset' ? p.format : 'no_timezone';
  return SHAPES[`${subtype}:${format}`]!;
}

const EN: Record<ErrorCode, Template> = {
  REQUIRED: () => 'This field is required.',
  MIN_LENGTH: (p) => `Must be at least ${p.limit} characters long.`,
  MAX_LENGTH: (p) => `Must be at most ${p.limit} characters long.`,
  MIN: (p) => (p.limit === null ? "The form's minimum is not a valid number." : `Must be at least ${p.limit}.`),
  MAX: (p) => (p.limit === null ? "The form's maximum is not a valid number." : `Must be at most ${p.limit}.`),
  PATTERN: (p) => (typeof p.tooLong === 'number' ? `Too long to check against the pattern: at most ${p.tooLong} characters.` : typeof p.message === 'string' ? p.message : `Must match the pattern ${p.pattern}.`),
  EMAIL: () => 'Must be a valid e-mail address.',
  PHONE: () => 'Must be a valid international phone number, e.g. +8613812345678.',
  CN_MOBILE: () => 'Must be a mainland China mobile number: 11 digits starting with 1, optionally after +86.',
  USCC: () => 'Must be a valid unified social credit code: 18 characters with a correct check character.',
  NOT_AN_OPTION: () => 'Must be one of the options offered.',
  DUPLICATE: () => 'Each option may be chosen only once.',
  TYPE: (p) => `Must be ${typeName(p.type, 'en')}.`,
  SINGLE_LINE: () => 'Must be a single line of text (no line breaks or tabs).',
  DECIMAL_DIGITS: (p) => (p.limit === 0 ? 'Must be a whole number.' : `Must have at most ${p.limit} digit${p.limit === 1 ? '' : 's'} after the decimal point.`),
  INCREMENT: (p) => `Must be a multiple of ${p.step}; the nearest valid values are ${p.previous} and ${p.next}.`,
  DATE_FORMAT: (p) => `Must be written as ${shape(p)}, with a real date and time.`,
  TIME_INTERVAL: (p) => `Minutes must be a multiple of ${p.step}: the times the picker offers.`,
  DATE_IN_PAST: () => 'Must not be a date in the past.',
  DOCUMENT: () => 'Must be a list of uploaded documents.',
  TOO_MANY_FILES: () => 'Only one file may be uploaded here.',
  ITEM_COUNT: (p) => `Must have exactly ${p.limit} entries (entries cannot be added or removed here).`,
  READONLY_CHANGED: () => 'This field is read-only: its value cannot be changed.',
  UNKNOWN_FIELD: () => 'The form has no field here.',
  NOT_AN_OBJECT: () => 'The submission must be a JSON object.',
  NOT_JSON: () => 'Not a JSON value.',
  TOO_LARGE: (p) => `The submission is too large (at most ${p.limit} bytes of JSON, nested at most ${p.depth} deep).`,
};

const ZH: Record<ErrorCode, Template> = {
  REQUIRED: () => '此项为必填项。',
  MIN_LENGTH: (p) => `长度不能少于 ${p.limit} 个字符。`,
  MAX_LENGTH: (p) => `长度不能超过 ${p.limit} 个字符。`,
  MIN: (p) => (p.limit === null ? '表单设置的最小值不是有效数字。' : `不能小于 ${p.limit}。`),
  MAX: (p) => (p.limit === null ? '表单设置的最大值不是有效数字。' : `不能大于 ${p.limit}。`),
  PATTERN: (p) => (typeof p.tooLong === 'number' ? `内容过长，无法按格式校验：最多 ${p.tooLong} 个字符。` : typeof p.message === 'string' ? p.message : `格式不符合要求（${p.pattern}）。`),
  EMAIL: () => '请输入有效的电子邮箱地址。',
  PHONE: () => '请输入有效的国际电话号码，例如 +8613812345678。',
  CN_MOBILE: () => '请输入有效的中国大陆手机号码：以 1 开头的 11 位数字，可加 +86 前缀。',
  USCC: () => '请输入有效的统一社会信用代码：18 位，且校验码正确。',
  NOT_AN_OPTION: () => '请从给定的选项中选择。',
  DUPLICATE: () => '同一选项不能重复选择。',
  TYPE: (p) => `类型应为${typeName(p.type, 'zh')}。`,
  SINGLE_LINE: () => '只能填写一行文本（不能包含换行符或制表符）。',
  DECIMAL_DIGITS: (p) => (p.limit === 0 ? '必须为整数。' : `小数点后最多 ${p.limit} 位。`),
  INCREMENT: (p) => `必须是 ${p.step} 的整数倍，最接近的有效值为 ${p.previous} 和 ${p.next}。`,
  DATE_FORMAT: (p) => `格式应为 ${shape(p)}，且日期和时间真实有效。`,
  TIME_INTERVAL: (p) => `分钟数必须是 ${p.step} 的整数倍（时间选择器提供的时间）。`,
  DATE_IN_PAST: () => '不能选择过去的日期。',
  DOCUMENT: () => '必须是已上传文件的列表。',
  TOO_MANY_FILES: () => '此处只能上传一个文件。',
  ITEM_COUNT: (p) => `条目数必须为 ${p.limit}（此处不能增删条目）。`,
  READONLY_CHANGED: () => '此项为只读，不能修改。',
  UNKNOWN_FIELD: () => '表单中没有此字段。',
  NOT_AN_OBJECT: () => '提交的数据必须是 JSON 对象。',
  NOT_JSON: () => '不是有效的 JSON 值。',
  TOO_LARGE: (p) => `提交的数据过大（JSON 文本最多 ${p.limit} 字节，嵌套最多 ${p.depth} 层）。`,
};

export function message(code: ErrorCode, locale: Locale, params: MessageParams = {}): string {
  return (locale === 'zh' ? ZH : EN)[code](params);
}
