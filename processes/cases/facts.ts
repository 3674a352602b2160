// `case_facts`: each case without its timeline and description, for lists and analytics. FerretDB
// scans for every filter but `_id`, and decoding a case with its timeline costs about ten times
// what this lean copy costs, so everything that scans reads the copy. The case document stays
// the truth: the copy is rewritten after every change of the case (also when a job delivered
// again changes nothing, which repairs a copy lost to a crash), and `syncCaseFacts` at start-up
// rewrites any copy whose version differs from its case's.
import type { CaseModels } from './model.ts';
import { casesChanged } from '../analytics/cache.ts';

const OMIT = new Set(['timeline', 'description', 'processInstanceKeys', 'visitKey', 'parentCaseNumber']);

export function factOf(c: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(c).filter(([k]) => !OMIT.has(k)));
}

export async function writeFact(models: CaseModels, c: Record<string, unknown>): Promise<void> {
  // Never older over newer (two processes may finish their writes out of order): a copy with a
  // higher version is left alone, and the upsert's insert then fails as a duplicate.
  try {
    await models.facts.collection.replaceOne({ _id: c._id as any, version: { $lte: c.version as number } }, factOf(c), { upsert: true });
  } catch (err) {
    if ((err as { code?: unknown }).code !== 11000) throw err;
  }
  casesChanged();
}

/** Rewrites the copies that differ from their cases; returns how many. */
export async function syncCaseFacts(models: CaseModels): Promise<number> {
  const [cases, facts] = await Promise.all([
    models.cases.collection.find({}, { projection: { _id: 1, version: 1 } }).toArray(),
    models.facts.collection.find({}, { projection: { _id: 1, version: 1 } }).toArray(),
  ]);
  const known = new Map(facts.map((f) => [String(f._id), f.version]));
  let fixed = 0;
  for (const c of cases) {
    if (known.get(String(c._id)) === c.version) continue;
    const full = await models.cases.collection.findOne({ _id: c._id });
    if (full) { await writeFact(models, full); fixed += 1; }
  }
  return fixed;
}
