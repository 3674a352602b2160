// Camunda search requests evaluated on plain documents, shared by both runtimes: a filter's
// fields are mapped one by one to stored paths and its advanced filter objects translated to
// MongoDB operators from a fixed list (no client object ever reaches a query as is); the result
// runs in the database or in memory (sift), and pages held in memory are sorted and cut here.
import siftModule from 'sift';
import { invalid, type Page, type SearchQuery } from '../runtime.ts';

/** Camunda field name → stored path. */
export type FieldMap = Record<string, string>;

// sift is CommonJS: its function is the default export at run time, under `default` for the types.
const sift: (query: unknown) => (doc: unknown) => boolean = (siftModule as any).default ?? siftModule;

const OPS: Record<string, (v: unknown) => Record<string, unknown>> = {
  $eq: (v) => ({ $eq: v }),
  $neq: (v) => ({ $ne: v }),
  $exists: (v) => (v ? { $exists: true, $ne: null } : { $in: [null] }),
  $in: (v) => ({ $in: v as unknown[] }),
  $notIn: (v) => ({ $nin: v as unknown[] }),
  $gt: (v) => ({ $gt: v }),
  $gte: (v) => ({ $gte: v }),
  $lt: (v) => ({ $lt: v }),
  $lte: (v) => ({ $lte: v }),
};

const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

function condition(field: string, value: unknown, convert: (v: unknown) => unknown): unknown {
  if (isScalar(value)) return convert(value);
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid(`filter.${field} must be a value or a filter object`);
  const out: Record<string, unknown> = {};
  for (const [op, v] of Object.entries(value)) {
    const make = OPS[op];
    if (!make) throw invalid(`filter.${field} has an unsupported operator '${op}'`);
    if (op === '$in' || op === '$notIn') {
      if (!Array.isArray(v) || !v.every(isScalar)) throw invalid(`filter.${field}.${op} must be a list of values`);
      Object.assign(out, make(v.map(convert)));
    } else if (op === '$exists') {
      if (typeof v !== 'boolean') throw invalid(`filter.${field}.$exists must be a boolean`);
      Object.assign(out, make(v));
    } else {
      if (!isScalar(v)) throw invalid(`filter.${field}.${op} must be a value`);
      Object.assign(out, make(convert(v)));
    }
  }
  return out;
}

/** A Camunda filter as a MongoDB query over the mapped paths; `dates` are compared as Dates. */
export function toMongo(filter: Record<string, unknown> | undefined, fields: FieldMap, dates: string[] = []): Record<string, unknown> {
  const q: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(filter ?? {})) {
    if (value === undefined) continue;
    const path = fields[name];
    if (!path) throw invalid(`filter.${name} is not a filter field of this search`);
    const convert = dates.includes(name) ? (v: unknown) => (typeof v === 'string' ? new Date(v) : v) : (v: unknown) => v;
    q[path] = condition(name, value, convert);
  }
  return q;
}

/** A MongoDB query as an in-memory predicate. */
export const matches = (query: Record<string, unknown>) => sift(query);

/** Sort (the query's fields, else the default, then `tieBreak`) and page documents held in memory. */
export function pageInMemory<T>(
  docs: any[], query: SearchQuery<any>, fields: FieldMap, map: (doc: any) => T,
  opts: { defaultSort?: Array<[string, 1 | -1]>; tieBreak?: (a: any, b: any) => number } = {},
): Page<T> {
  const sort: Array<[string, 1 | -1]> = (query.sort ?? []).map((s) => {
    const path = fields[s.field];
    if (!path) throw invalid(`sort.field '${s.field}' is not sortable here`);
    return [path, s.order === 'DESC' ? -1 : 1];
  });
  const order = sort.length ? sort : opts.defaultSort ?? [['_id', 1]];
  docs.sort((a, b) => {
    for (const [path, dir] of order) {
      const x = get(a, path), y = get(b, path);
      if (x === y) continue;
      if (x === undefined || x === null) return -dir;
      if (y === undefined || y === null) return dir;
      return (x < y ? -1 : 1) * dir;
    }
    return opts.tieBreak?.(a, b) ?? 0;
  });
  const from = query.page?.from ?? 0;
  const limit = Math.min(query.page?.limit ?? 100, 10_000);
  return { items: docs.slice(from, from + limit).map(map), page: { totalItems: docs.length } };
}

function get(doc: any, path: string) {
  let v = doc;
  for (const p of path.split('.')) v = v?.[p];
  return v instanceof Date ? v.getTime() : v;
}
