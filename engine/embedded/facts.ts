// Reading what effects.ts wrote: a record and its end (if any) merged into one document. The
// database narrows by the record's own fields; what depends on the end (state, end dates) is
// matched after merging, with the same translated filter (sift evaluates MongoDB queries in memory).
import type { Model } from 'mongoose';
import type { Page, SearchQuery } from '../runtime.ts';
import { matches, pageInMemory, toMongo, type FieldMap } from '../shared/query.ts';

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
