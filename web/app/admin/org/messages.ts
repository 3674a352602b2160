import { defineMessages, pick } from '../../core/i18n.ts';

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
    columnsHelp: '第一行为列名，可用：{columns}。', check: '先检查', import: '导入', tooLarge: '文件超过 5 MB。',
    checkReport: '检查结果（未写入）', importReport: '导入结果', rows: '共 {n} 行', accepted: '通过 {n} 行', created: '新增 {n}', updated: '更新 {n}',
    rejected: '拒绝 {n} 行', dryRunClean: '全部行都通过校验，可以导入。', dryRunWithRejects: '以下行未通过校验；导入时只写入通过的行。修正文件后可重新检查。',
    importedClean: '已全部导入。', importedWithRejects: '已导入通过校验的行；以下行被拒绝，未写入。', row: '行号', field: '字段', reason: '原因',
  },
  en: {
    title: 'Org data import',
    subtitle: 'Import cadres and enterprises from CSV or Excel. Check first: every row is validated and each rejected row is listed with its field and reason; then import (created or updated by id or credit code).',
    file: 'File', kind: 'What to import', cadres: 'Cadres', enterprises: 'Enterprises', chooseFile: 'Choose a file (.csv or .xlsx, at most 5 MB)',
    columnsHelp: 'The first row names the columns: {columns}.', check: 'Check', import: 'Import', tooLarge: 'The file is larger than 5 MB.',
    checkReport: 'Check (nothing written)', importReport: 'Import', rows: '{n} rows', accepted: '{n} accepted', created: '{n} created', updated: '{n} updated',
    rejected: '{n} rejected', dryRunClean: 'Every row passes: ready to import.', dryRunWithRejects: 'These rows fail; an import writes only the rows that pass. Fix the file and check again.',
    importedClean: 'Everything was imported.', importedWithRejects: 'The rows that pass were imported; these were rejected and not written.', row: 'Row', field: 'Field', reason: 'Reason',
  },
});
