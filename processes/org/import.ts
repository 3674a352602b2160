// Importing cadres and enterprises from a spreadsheet (CSV or Excel .xlsx): the first row names
// the columns (English keys or the Chinese headings admins use), every other row is checked on its
// own; good rows are written (a known id is updated: only with the cells that are filled in), bad
// rows come back with the row number as the spreadsheet shows it, the field and the reason.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Connection } from 'mongoose';
import { isCnMobile } from '../../forms/phone.ts';
import { isValidUscc } from '../../forms/uscc.ts';
import { orgModels } from './models.ts';
import { COHORTS, DEPARTMENTS, INDUSTRIES, normalize, UNITS } from './reference.ts';

export const MAX_ROWS = 20_000;
export type ImportKind = 'cadres' | 'enterprises';

/** `code` (with `params`) says what is wrong for clients that word it themselves; `reason` is English. */
export interface Rejection { row: number; field: string; code: RejectionCode; params?: Record<string, string | number>; reason: string }
export type RejectionCode = 'REQUIRED' | 'TOO_LONG' | 'BAD_ID' | 'BAD_COHORT' | 'BAD_UNIT' | 'BAD_ROLE' | 'BAD_USERNAME' | 'BAD_BIRTH_YEAR'
  | 'UNKNOWN_MENTOR' | 'BAD_USCC' | 'BAD_INDUSTRY' | 'BAD_PHONE' | 'BAD_GRID' | 'UNKNOWN_GRID' | 'DUPLICATE';
export interface ImportReport { kind: ImportKind; rows: number; accepted: number; created: number; updated: number; rejected: Rejection[]; dryRun: boolean }

/** A file that cannot be imported at all; `code` and `params` for clients that word it themselves. */
export class ImportFileError extends Error {
  constructor(message: string, readonly code: string, readonly params?: Record<string, string | number>) { super(message); }
}

type Row = { row: number; cells: Record<string, string> };

const COLUMNS: Record<ImportKind, Record<string, string[]>> = {
  cadres: {
    id: ['id', '编号', '干部编号'], name: ['name', '姓名'], cohort: ['cohort', '老中青', '年龄层', '梯队'], unit: ['unit', '单位', '来源单位'],
    department: ['department', '部门', '所在部门'], gridId: ['gridid', 'grid', '网格', '所属网格'], roles: ['roles', '角色', '职务'],
    username: ['username', '账号', '用户名'], birthYear: ['birthyear', '出生年份'], mentorId: ['mentorid', '导师', '导师编号'],
  },
  enterprises: {
    uscc: ['uscc', '统一社会信用代码', '信用代码'], name: ['name', '企业名称', '名称'], industry: ['industry', '行业', '产业'],
    gridId: ['gridid', 'grid', '网格', '所属网格'], address: ['address', '地址'], contactName: ['contactname', '联系人'],
    contactPhone: ['contactphone', '联系电话', '电话'],
  },
};
/** Where each column's value is stored. */
const PATHS: Record<ImportKind, Record<string, string>> = {
  cadres: { name: 'name', cohort: 'cohort', unit: 'unit', department: 'department', gridId: 'gridId', roles: 'roles', username: 'username', birthYear: 'birthYear', mentorId: 'mentorId' },
  enterprises: { name: 'name', industry: 'industry', gridId: 'gridId', address: 'address', contactName: 'contact.name', contactPhone: 'contact.phone' },
};
const REQUIRED: Record<ImportKind, string[]> = { cadres: ['id', 'name', 'cohort', 'unit', 'gridId'], enterprises: ['uscc', 'name', 'industry', 'gridId'] };

const ROLE_WORDS: Record<string, string> = { leader: 'leader', 组长: 'leader', 网格组长: 'leader', deputy: 'deputy', 副组长: 'deputy', 网格副组长: 'deputy', member: 'member', 网格员: 'member', 成员: 'member' };

// ---------------------------------------------------------------------------------------------
// Reading the file

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { text?: unknown; result?: unknown; richText?: Array<{ text: string }>; error?: unknown };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('');
    if (o.result !== undefined) return cellText(o.result);
    if (o.text !== undefined) return cellText(o.text);
    return '';
  }
  return String(v);
}

async function readTable(body: Buffer, format: 'csv' | 'xlsx'): Promise<string[][]> {
  if (format === 'csv') {
    try {
      return parse(body, { bom: true, skip_empty_lines: false, relax_column_count: true, trim: true, to: MAX_ROWS + 2 }) as string[][];
    } catch (err) {
      throw new ImportFileError(`the CSV could not be read: ${(err as Error).message.slice(0, 200)}`, 'CSV_UNREADABLE');
    }
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(body as any);
  } catch (err) {
    throw new ImportFileError(`the Excel file could not be read (.xlsx expected): ${(err as Error).message.slice(0, 200)}`, 'XLSX_UNREADABLE');
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw new ImportFileError('the Excel file has no worksheet', 'NO_WORKSHEET');
  const out: string[][] = [];
  const last = Math.min(sheet.rowCount, MAX_ROWS + 2);
  for (let r = 1; r <= last; r += 1) {
    const values = sheet.getRow(r).values as unknown[];
    out.push(Array.isArray(values) ? values.slice(1).map((v) => cellText(v).trim()) : []);
  }
  return out;
}

function toRows(kind: ImportKind, table: string[][]): { rows: Row[]; rejected: Rejection[] } {
  const header = table[0];
  if (!header || header.every((h) => h === '')) throw new ImportFileError('the first row must name the columns', 'NO_HEADER');
  const aliases = COLUMNS[kind];
  const fieldOf = new Map<number, string>();
  header.forEach((h, i) => {
    const key = h.trim().toLowerCase().replace(/[\s_]/g, '');
    const field = Object.keys(aliases).find((f) => aliases[f]!.includes(key));
    if (field) fieldOf.set(i, field);
  });
  const missing = REQUIRED[kind].filter((f) => ![...fieldOf.values()].includes(f));
  if (missing.length > 0) throw new ImportFileError(`the first row lacks the column(s) ${missing.map((f) => `${f} (${aliases[f]!.slice(1).join(' / ')})`).join(', ')}`, 'MISSING_COLUMNS', { columns: missing.join(',') });
  if (table.length - 1 > MAX_ROWS) throw new ImportFileError(`at most ${MAX_ROWS} rows per file`, 'TOO_MANY_ROWS', { max: MAX_ROWS });
  const rows: Row[] = [];
  for (let i = 1; i < table.length; i += 1) {
    const cells: Record<string, string> = {};
    for (const [col, field] of fieldOf) cells[field] = (table[i]![col] ?? '').trim();
    if (Object.values(cells).every((c) => c === '')) continue; // blank line
    rows.push({ row: i + 1, cells });
  }
  return { rows, rejected: [] };
}

// ---------------------------------------------------------------------------------------------
// Checking rows

class RowError extends Error {
  constructor(readonly field: string, readonly code: RejectionCode, reason: string, readonly params?: Record<string, string | number>) { super(reason); }
}

const need = (cells: Record<string, string>, field: string, max: number) => {
  const v = cells[field] ?? '';
  if (v === '') throw new RowError(field, 'REQUIRED', `${field} is required`);
  if (v.length > max) throw new RowError(field, 'TOO_LONG', `${field} must be at most ${max} characters`, { max });
  return v;
};
const optional = (cells: Record<string, string>, field: string, max: number) => {
  const v = cells[field] ?? '';
  if (v.length > max) throw new RowError(field, 'TOO_LONG', `${field} must be at most ${max} characters`, { max });
  return v;
};

export async function importOrg(connection: Connection, kind: ImportKind, body: Buffer, format: 'csv' | 'xlsx', opts: { dryRun?: boolean; now?: Date } = {}): Promise<ImportReport> {
  const org = orgModels(connection);
  const { rows } = toRows(kind, await readTable(body, format));
  const grids = new Set((await org.grids.find({}, { _id: 1 }).lean<any[]>()).map((g) => String(g._id)));
  const mentors = kind === 'cadres' ? new Set((await org.mentors.find({}, { _id: 1 }).lean<any[]>()).map((m) => String(m._id))) : new Set<string>();
  const rejected: Rejection[] = [];
  const docs: any[] = [];
  const seen = new Map<string, number>();
  const gridOf = (cells: Record<string, string>) => {
    const g = need(cells, 'gridId', 8).replace(/^第|网格$/g, '');
    if (!/^[1-9][0-9]{0,3}$/.test(g)) throw new RowError('gridId', 'BAD_GRID', `gridId must be a grid number such as 3, not '${cells.gridId}'`, { value: cells.gridId ?? '' });
    if (grids.size > 0 && !grids.has(g)) throw new RowError('gridId', 'UNKNOWN_GRID', `grid ${g} does not exist`, { value: g });
    return g;
  };

  for (const { row, cells } of rows) {
    try {
      let doc: any;
      if (kind === 'cadres') {
        const id = need(cells, 'id', 32);
        if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new RowError('id', 'BAD_ID', 'id must be letters, digits, _ or - (at most 32)');
        const cohort = normalize(COHORTS, cells.cohort);
        if (cohort === null) throw new RowError('cohort', 'BAD_COHORT', `cohort must be 老, 中 or 青 (old, middle, young), not '${cells.cohort ?? ''}'`, { value: cells.cohort ?? '' });
        const unit = normalize(UNITS, cells.unit);
        if (unit === null) throw new RowError('unit', 'BAD_UNIT', `unit must be one of ${UNITS.map((u) => u.zh).join(', ')}, not '${cells.unit ?? ''}'`, { value: cells.unit ?? '' });
        const deptText = optional(cells, 'department', 40);
        const department = deptText === '' ? null : normalize(DEPARTMENTS, deptText) ?? deptText;
        const roles = (cells.roles ?? '').split(/[;,，、\s]+/).filter((r) => r !== '').map((r) => {
          const role = ROLE_WORDS[r.toLowerCase()] ?? ROLE_WORDS[r];
          if (!role) throw new RowError('roles', 'BAD_ROLE', `roles: '${r}' is not leader (组长), deputy (副组长) or member (网格员)`, { value: r });
          return role;
        });
        const username = optional(cells, 'username', 64).toLowerCase();
        if (username !== '' && !/^[a-z0-9][a-z0-9._@-]{0,63}$/.test(username)) throw new RowError('username', 'BAD_USERNAME', 'username must be lower-case letters, digits and . _ @ -');
        const by = optional(cells, 'birthYear', 4);
        if (by !== '' && !(/^\d{4}$/.test(by) && +by >= 1940 && +by <= 2010)) throw new RowError('birthYear', 'BAD_BIRTH_YEAR', 'birthYear must be a year from 1940 to 2010', { min: 1940, max: 2010 });
        const mentorId = optional(cells, 'mentorId', 32);
        if (mentorId !== '' && !mentors.has(mentorId)) throw new RowError('mentorId', 'UNKNOWN_MENTOR', `mentor ${mentorId} does not exist`, { value: mentorId });
        doc = {
          _id: id, name: need(cells, 'name', 40), cohort, unit, department, gridId: gridOf(cells), roles: roles.length > 0 ? [...new Set(roles)] : ['member'],
          username: username || null, birthYear: by === '' ? null : Number(by), mentorId: mentorId || null,
        };
      } else {
        const uscc = need(cells, 'uscc', 18).toUpperCase();
        if (!isValidUscc(uscc)) throw new RowError('uscc', 'BAD_USCC', `'${cells.uscc}' is not a valid unified social credit code (统一社会信用代码): wrong length, character or check character`, { value: cells.uscc ?? '' });
        const industry = normalize(INDUSTRIES, cells.industry);
        if (industry === null) throw new RowError('industry', 'BAD_INDUSTRY', `industry must be one of ${INDUSTRIES.map((i) => i.zh).join(', ')}, not '${cells.industry ?? ''}'`, { value: cells.industry ?? '' });
        const phone = optional(cells, 'contactPhone', 20).replace(/[\s-]/g, '');
        if (phone !== '' && !isCnMobile(phone) && !/^0\d{9,11}$/.test(phone)) throw new RowError('contactPhone', 'BAD_PHONE', `'${cells.contactPhone}' is not a mainland mobile or landline number`, { value: cells.contactPhone ?? '' });
        doc = {
          _id: uscc, name: need(cells, 'name', 100), industry, gridId: gridOf(cells), address: optional(cells, 'address', 200),
          contact: { name: optional(cells, 'contactName', 40), phone },
        };
      }
      const first = seen.get(doc._id);
      if (first !== undefined) throw new RowError(kind === 'cadres' ? 'id' : 'uscc', 'DUPLICATE', `the same ${kind === 'cadres' ? 'id' : 'code'} as row ${first}`, { row: first });
      seen.set(doc._id, row);
      // A blank cell (or a column the file lacks) never overwrites what is stored: it only gives
      // the default of a new record.
      const set: Record<string, unknown> = {};
      for (const [field, path] of Object.entries(PATHS[kind])) {
        const value = path.split('.').reduce<any>((v, k) => v?.[k], doc);
        if ((cells[field] ?? '') !== '') set[path] = value;
      }
      docs.push({ _id: doc._id, set, full: doc });
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      rejected.push({ row, field: err.field, code: err.code, ...(err.params && { params: err.params }), reason: err.message });
    }
  }

  let created = 0;
  let updated = 0;
  if (!opts.dryRun && docs.length > 0) {
    const model = kind === 'cadres' ? org.cadres : org.enterprises;
    const at = opts.now ?? new Date();
    // New records are inserted whole; known ones get the filled-in cells. (FerretDB drops null
    // values from $setOnInsert, so an upsert cannot give a new record its defaults.)
    const known = new Set((await model.collection.find({ _id: { $in: docs.map((d) => d._id) } }, { projection: { _id: 1 } }).toArray()).map((d) => String(d._id)));
    const fresh = docs.filter((d) => !known.has(d._id));
    let raced: typeof docs = [];
    for (let i = 0; i < fresh.length; i += 500) {
      const batch = fresh.slice(i, i + 500);
      try {
        created += (await model.collection.insertMany(batch.map((d) => ({ ...d.full, createdAt: at, updatedAt: at })), { ordered: false })).insertedCount;
      } catch (err) {
        const e = err as { code?: unknown; insertedCount?: number; writeErrors?: Array<{ code?: number; index: number }> };
        const dup = (e.writeErrors ?? []).filter((w) => w.code === 11000);
        if (dup.length === 0 || dup.length !== (e.writeErrors ?? []).length) throw err;
        created += e.insertedCount ?? 0;
        raced = raced.concat(dup.map((w) => batch[w.index]!)); // created meanwhile: update instead
      }
    }
    const updates = docs.filter((d) => known.has(d._id)).concat(raced);
    for (let i = 0; i < updates.length; i += 500) {
      const r = await model.collection.bulkWrite(updates.slice(i, i + 500).map(({ _id, set }) => ({ updateOne: { filter: { _id }, update: { $set: { ...set, updatedAt: at } } } })), { ordered: false });
      updated += r.matchedCount;
    }
  }
  return { kind, rows: rows.length, accepted: docs.length, created, updated, rejected, dryRun: opts.dryRun === true };
}
