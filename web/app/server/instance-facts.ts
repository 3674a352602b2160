// What the pages show of an instance beside its tasks: the root-scope variables that name the
// case (grid, category, case number, title, enterprise, deadline), read once per instance.
import type { Runtime } from '../../../engine/runtime.ts';

export const CASE_FIELDS = ['gridId', 'category', 'caseNumber', 'title', 'enterpriseName', 'enterprise', 'urgency', 'deadline', 'caseTier', 'caseStatus'] as const;
export type CaseFacts = Partial<Record<(typeof CASE_FIELDS)[number], string | number | null>>;

const parse = (text: string | undefined): unknown => {
  if (text === undefined) return undefined;
  try { return JSON.parse(text); } catch { return undefined; }
};

export async function caseFacts(runtime: Runtime, processInstanceKey: string): Promise<CaseFacts> {
  const page = await runtime.searchVariables({ filter: { processInstanceKey }, page: { limit: 1000 } });
  const out: CaseFacts = {};
  for (const v of page.items) {
    if (v.scopeKey !== processInstanceKey || !(CASE_FIELDS as readonly string[]).includes(v.name)) continue;
    const value = parse(v.fullValue ?? v.value);
    if (typeof value === 'string' || typeof value === 'number') out[v.name as keyof CaseFacts] = typeof value === 'string' ? value.slice(0, 500) : value;
  }
  return out;
}
