// Camunda search requests run in the database: the filter translated by engine/shared/query.ts,
// sorted and paged by MongoDB.
import type { Model } from 'mongoose';
import { invalid, type Page, type SearchQuery } from '../runtime.ts';
import { toMongo, type FieldMap } from '../shared/query.ts';

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
