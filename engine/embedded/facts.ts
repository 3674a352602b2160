// Reading what effects.ts wrote: a record and its end (if any) merged into one document. The
// database narrows by the record's own fields; what depends on the end (state, end dates) is
// matched after merging, with the same translated filter (sift evaluates MongoDB queries in memory).
import siftModule from 'sift';
import type { Model } from 'mongoose';
import { toMongo, type FieldMap } from './search.ts';
import { invalid, type Page, type SearchQuery } from '../runtime.ts';

// sift is CommonJS: its function is the default export at run time, under `default` for the types.
const sift: (query: unknown) => (doc: unknown) => boolean = (siftModule as any).default ?? siftModule;

/** A MongoDB query as an in-memory predicate. */
export const matches = (query: Record<string, unknown>) => sift(query);

export async function withEnds<T extends { _id: string }>(docs: T[], ends: Model<any>): Promise<T[]> {
  if (!docs.length) return docs;
  const found = docs.length === 1
    ? [await ends.findById(docs[0]._id).lean<any>()].filter(Boolean)
    : await ends.find({ _id: { $in: docs.map((d) => d._id) } }).lean<any[]>();
  const byId = new Map(found.map((e: any) => [e._id, e]));
  return docs.map((d) => ({ ...d, ...byId.get(d._id) }));
}

export async function searchFacts<T>(
  base: Model<any>, ends: Model<any>, query: SearchQuery<any>, fields: FieldMap, endFields: string[], map: (doc: any) => T,
  opts: { dates?: string[]; defaultSort?: Array<[string, 1 | -1]>; derive?: (docs: any[]) => Promise<any[]> } = {},
): Promise<Page<T>> {
  const filter = (query.filter ?? {}) as Record<string, unknown>;
  const own = Object.fromEntries(Object.entries(filter).filter(([k]) => !endFields.includes(k)));
  let docs = await base.find(toMongo(own, fields, opts.dates)).lean<any[]>();
  docs = await withEnds(docs, ends);
  if (opts.derive) docs = await opts.derive(docs);
  const rest = Object.fromEntries(Object.entries(filter).filter(([k]) => endFields.includes(k)));
  if (Object.keys(rest).length) docs = docs.filter(matches(toMongo(rest, fields, opts.dates)));
  return pageInMemory(docs, query, fields, map, { defaultSort: opts.defaultSort });
}

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
