// Camunda search requests → MongoDB queries. Filters name Camunda fields; each field maps to a
// stored path. Values are plain (equality) or Camunda's advanced filter objects, whose operators
// are translated one by one from a fixed list: no client object ever reaches the database as is.
import type { Model } from 'mongoose';
import { invalid, type Page, type SearchQuery } from '../runtime.ts';

export type FieldMap = Record<string, string>;

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

export async function search<D, T>(
  model: Model<any>, query: SearchQuery<any>, fields: FieldMap, map: (doc: D) => T,
  opts: { base?: Record<string, unknown>; dates?: string[]; defaultSort?: Record<string, 1 | -1> } = {},
): Promise<Page<T>> {
  const q = { ...toMongo(query.filter as Record<string, unknown>, fields, opts.dates), ...opts.base };
  const sort: Record<string, 1 | -1> = {};
  for (const s of query.sort ?? []) {
    const path = fields[s.field];
    if (!path) throw invalid(`sort.field '${s.field}' is not sortable here`);
    sort[path] = s.order === 'DESC' ? -1 : 1;
  }
  const from = query.page?.from ?? 0;
  const limit = Math.min(query.page?.limit ?? 100, 10_000);
  const [docs, totalItems] = await Promise.all([
    model.find(q).sort(Object.keys(sort).length ? sort : opts.defaultSort ?? { _id: 1 }).skip(from).limit(limit).lean<D[]>(),
    model.countDocuments(q),
  ]);
  return { items: docs.map(map), page: { totalItems } };
}
