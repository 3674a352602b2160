import { defineMessages, formatNumber, getLocale, pick } from '../../core/i18n.ts';

const FIELD_TEXT: Record<'cadres' | 'enterprises', Record<string, { zh: string; en: string }>> = {
  cadres: {
    id: { zh: '干部编号', en: 'id' }, name: { zh: '姓名', en: 'name' }, cohort: { zh: '老中青', en: 'cohort' }, unit: { zh: '来源单位', en: 'unit' },
    department: { zh: '所在部门', en: 'department' }, gridId: { zh: '所属网格', en: 'grid' }, roles: { zh: '职务', en: 'roles' },
    username: { zh: '账号', en: 'username' }, birthYear: { zh: '出生年份', en: 'birth year' }, mentorId: { zh: '导师编号', en: 'mentor' },
  },
  enterprises: {
    uscc: { zh: '统一社会信用代码', en: 'USCC' }, name: { zh: '企业名称', en: 'name' }, industry: { zh: '产业', en: 'industry' },
    gridId: { zh: '所属网格', en: 'grid' }, address: { zh: '地址', en: 'address' }, contactName: { zh: '联系人', en: 'contact' },
    contactPhone: { zh: '联系电话', en: 'phone' },
  },
};

/** The columns of each import, as the current language names them. */
export const FIELDS = new Proxy({} as Record<'cadres' | 'enterprises', Record<string, string>>, {
  get: (_t, kind: 'cadres' | 'enterprises') => Object.fromEntries(Object.entries(FIELD_TEXT[kind] ?? {}).map(([k, v]) => [k, pick(v)])),
});

export const t = defineMessages({
  zh: {
    title: '组织数据导入',
    subtitle: '从 CSV 或 Excel 导入干部和企业。先检查：逐行校验，列出每一行被拒绝的字段和原因；确认后再导入（按编号或信用代码新增或更新）。',
    file: '导入文件', kind: '导入内容', cadres: '干部', enterprises: '企业', chooseFile: '选择文件（.csv 或 .xlsx，不超过 5 MB）',
    columnsHelp: '第一行为列名，可用：{columns}。', check: '先检查', import: '导入', tooLarge: '文件超过 5 MB。', empty: '文件是空的。', notReadable: '无法读取这种文件：旧版 Excel（.xls）等格式请另存为 .xlsx 或 CSV 后再上传。',
    checkReport: '检查结果（未写入）', importReport: '导入结果', rows: '共 {n} 行', accepted: '通过 {n} 行', created: '新增 {n}', updated: '更新 {n}',
    rejected: '拒绝 {n} 行', dryRunClean: '全部行都通过校验，可以导入。', dryRunWithRejects: '以下行未通过校验；导入时只写入通过的行。修正文件后可重新检查。',
    importedClean: '已全部导入。', importedWithRejects: '已导入通过校验的行；以下行被拒绝，未写入。', row: '行号', field: '字段', reason: '原因',
  },
  en: {
    title: 'Org data import',
    subtitle: 'Import cadres and enterprises from CSV or Excel. Check first: every row is validated and each rejected row is listed with its field and reason; then import (created or updated by id or credit code).',
    file: 'File', kind: 'What to import', cadres: 'Cadres', enterprises: 'Enterprises', chooseFile: 'Choose a file (.csv or .xlsx, at most 5 MB)',
    columnsHelp: 'The first row names the columns: {columns}.', check: 'Check', import: 'Import', tooLarge: 'The file is larger than 5 MB.', empty: 'The file is empty.', notReadable: 'This kind of file cannot be read: save an old Excel workbook (.xls) or another format as .xlsx or CSV and upload that.',
    checkReport: 'Check (nothing written)', importReport: 'Import', rows: '{n} rows', accepted: '{n} accepted', created: '{n} created', updated: '{n} updated',
    rejected: '{n} rejected', dryRunClean: 'Every row passes: ready to import.', dryRunWithRejects: 'These rows fail; an import writes only the rows that pass. Fix the file and check again.',
    importedClean: 'Everything was imported.', importedWithRejects: 'The rows that pass were imported; these were rejected and not written.', row: 'Row', field: 'Field', reason: 'Reason',
  },
});

/** Why a row was refused, by the server's code ({field} is the column's name here); unknown codes keep the server's reason. */
const reasons = defineMessages({
  zh: {
    REQUIRED: '{field}为必填项。', TOO_LONG: '{field}最多 {max} 个字符。', BAD_ID: '干部编号只能由字母、数字、_ 或 - 组成（最多 32 个字符）。',
    BAD_COHORT: '老中青须填“老”“中”或“青”，而不是“{value}”。', BAD_UNIT: '来源单位“{value}”不是可选的单位。',
    BAD_ROLE: '职务“{value}”不是组长、副组长或网格员。', BAD_USERNAME: '账号只能由小写字母、数字和 . _ @ - 组成。',
    BAD_BIRTH_YEAR: '出生年份须在 {min} 年至 {max} 年之间。', UNKNOWN_MENTOR: '导师编号 {value} 不存在。',
    BAD_USCC: '“{value}”不是有效的统一社会信用代码：长度、字符或校验位不对。', BAD_INDUSTRY: '产业“{value}”不是可选的产业。',
    BAD_PHONE: '“{value}”不是有效的手机号码或固定电话。', BAD_GRID: '所属网格须填网格编号（如 3），而不是“{value}”。',
    UNKNOWN_GRID: '网格 {value} 不存在。', DUPLICATE: '{field}与第 {row} 行重复。',
  },
  en: {
    REQUIRED: 'The {field} is required.', TOO_LONG: 'The {field} must be at most {max} characters.', BAD_ID: 'The id may hold only letters, digits, _ or - (at most 32).',
    BAD_COHORT: 'The cohort must be 老, 中 or 青 (old, middle, young), not "{value}".', BAD_UNIT: '"{value}" is not one of the units.',
    BAD_ROLE: 'The role "{value}" is not leader (组长), deputy (副组长) or member (网格员).', BAD_USERNAME: 'The username may hold only lower-case letters, digits and . _ @ -.',
    BAD_BIRTH_YEAR: 'The birth year must be from {min} to {max}.', UNKNOWN_MENTOR: 'Mentor {value} does not exist.',
    BAD_USCC: '"{value}" is not a valid unified social credit code: wrong length, character or check character.', BAD_INDUSTRY: '"{value}" is not one of the industries.',
    BAD_PHONE: '"{value}" is not a mainland mobile or landline number.', BAD_GRID: 'The grid must be a grid number such as 3, not "{value}".',
    UNKNOWN_GRID: 'Grid {value} does not exist.', DUPLICATE: 'The {field} is the same as in row {row}.',
  },
});
type ReasonCode = Parameters<typeof reasons>[0];
const REASON_CODES = new Set<string>(['REQUIRED', 'TOO_LONG', 'BAD_ID', 'BAD_COHORT', 'BAD_UNIT', 'BAD_ROLE', 'BAD_USERNAME', 'BAD_BIRTH_YEAR', 'UNKNOWN_MENTOR', 'BAD_USCC', 'BAD_INDUSTRY', 'BAD_PHONE', 'BAD_GRID', 'UNKNOWN_GRID', 'DUPLICATE'] satisfies ReasonCode[]);

export interface Rejection { row: number; field: string; code?: string; params?: Record<string, string | number>; reason: string }

/** A rejected row's reason in the user's language. */
export function reasonOf(kind: 'cadres' | 'enterprises', r: Rejection): string {
  if (!r.code || !REASON_CODES.has(r.code)) return r.reason;
  return reasons(r.code as ReasonCode, { ...r.params, field: FIELDS[kind][r.field] ?? r.field });
}

/** Why a whole file was refused, by the server's code (problem.details.code); unknown codes keep the server's text. */
const fileReasons = defineMessages({
  zh: {
    CSV_UNREADABLE: '无法读取这个 CSV 文件，请确认是 UTF-8 编码的逗号分隔文件。', XLSX_UNREADABLE: '无法读取这个 Excel 文件（需为 .xlsx）。',
    NO_WORKSHEET: 'Excel 文件里没有工作表。', NO_HEADER: '第一行须为列名。', MISSING_COLUMNS: '第一行缺少必需的列：{columns}。',
    TOO_MANY_ROWS: '一个文件最多 {max} 行。',
  },
  en: {
    CSV_UNREADABLE: 'The CSV file could not be read: is it comma-separated UTF-8?', XLSX_UNREADABLE: 'The Excel file could not be read (.xlsx expected).',
    NO_WORKSHEET: 'The Excel file has no worksheet.', NO_HEADER: 'The first row must name the columns.', MISSING_COLUMNS: 'The first row lacks the column(s): {columns}.',
    TOO_MANY_ROWS: 'At most {max} rows per file.',
  },
});
const FILE_CODES = new Set<string>(['CSV_UNREADABLE', 'XLSX_UNREADABLE', 'NO_WORKSHEET', 'NO_HEADER', 'MISSING_COLUMNS', 'TOO_MANY_ROWS'] satisfies Array<Parameters<typeof fileReasons>[0]>);

/** A refused file's reason in the user's language, or null when the server gave no known code. */
export function fileReasonOf(kind: 'cadres' | 'enterprises', details: unknown): string | null {
  const d = details as { code?: unknown; params?: Record<string, string | number> } | undefined;
  if (typeof d?.code !== 'string' || !FILE_CODES.has(d.code)) return null;
  const params = { ...d.params };
  if (typeof params.columns === 'string') params.columns = params.columns.split(',').map((c) => FIELDS[kind][c] ?? c).join(getLocale() === 'zh' ? '、' : ', ');
  if (typeof params.max === 'number') params.max = formatNumber(params.max);
  return fileReasons(d.code as Parameters<typeof fileReasons>[0], params);
}
