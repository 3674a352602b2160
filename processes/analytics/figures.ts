// The committee's and the monthly report's figures, computed by the database over `case_facts`
// (the lean copy of the cases). Every pipeline stays inside what FerretDB 1.x runs ($match,
// $group with ONE $sum, $unwind, $sort, $skip, $limit; no $facet, no other accumulators), and
// since each scan costs the same whatever it computes, the figures share scans: one $group of the
// filed cases by category × tier × grid × month, one of the closed cases by month × grid × rating
// × deadline met; the groups it returns are few (at most a few thousand) and are added up here.
// Definitions (processes/README.md, "Analytics"):
//   - cases FILED in [from, to): volume, category × tier × grid, per month and grid, reopen rate,
//     top recurring problems (categories, tags);
//   - cases CLOSED in [from, to): per month and grid, resolution time in working days (p50 and
//     p90 by nearest rank, i.e. the value at rank ⌈p·n⌉; average = sum / count), deadline
//     compliance, ratings.
import type mongoose from 'mongoose';

export interface Scope { from?: Date; to?: Date; gridIds?: string[] | null }

export interface Summary {
  range: { from: string | null; to: string | null; gridIds: string[] | null };
  filed: number;
  closed: number;
  byCategoryTierGrid: Array<{ category: string; tier: number; gridId: string; cases: number }>;
  byMonthGrid: Array<{ month: string; gridId: string; filed: number; closed: number }>;
  resolution: { cases: number; p50: number | null; p90: number | null; average: number | null };
  compliance: { withDeadline: number; met: number; rate: number | null };
  reopen: { reopenedCases: number; reopenings: number; rate: number | null };
  ratings: { rated: number; satisfied: number; fair: number; dissatisfied: number; satisfactionRate: number | null };
  topProblems: { categories: Array<{ category: string; cases: number }>; tags: Array<{ tag: string; cases: number }> };
}

const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10_000) / 10_000);
const byGrid = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });

export function window(field: 'filedAt' | 'closedAt', s: Scope): Record<string, unknown> {
  const match: Record<string, unknown> = {};
  if (s.gridIds) match.gridId = { $in: s.gridIds };
  const range: Record<string, Date> = {};
  if (s.from) range.$gte = s.from;
  if (s.to) range.$lt = s.to;
  if (field === 'closedAt') match.closedAt = Object.keys(range).length > 0 ? range : { $ne: null };
  else if (Object.keys(range).length > 0) match.filedAt = range;
  return match;
}

const sumBy = <T>(rows: T[], key: (r: T) => string, n: (r: T) => number) => {
  const out = new Map<string, number>();
  for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + n(r));
  return out;
};

/** The value at rank ⌈p·n⌉ (nearest rank) of the resolution times, by sort and skip. */
async function percentile(facts: mongoose.Model<any>, match: Record<string, unknown>, n: number, p: number): Promise<number | null> {
  if (n === 0) return null;
  const rows = await facts.aggregate([{ $match: match }, { $sort: { resolutionWorkingDays: 1, _id: 1 } }, { $skip: Math.max(0, Math.ceil(p * n) - 1) }, { $limit: 1 }, { $project: { _id: 0, resolutionWorkingDays: 1 } }]);
  return rows[0]?.resolutionWorkingDays ?? null;
}

export async function summary(facts: mongoose.Model<any>, s: Scope): Promise<Summary> {
  const filedMatch = window('filedAt', s);
  const closedMatch = window('closedAt', s);
  const resolvedMatch = { ...closedMatch, resolutionWorkingDays: { $ne: null } };

  const filedGroups: Array<{ _id: { category: string; tier: number; gridId: string; month: string; reopens: number }; n: number }> = await facts.aggregate([
    { $match: filedMatch }, { $group: { _id: { category: '$category', tier: '$tier', gridId: '$gridId', month: '$month', reopens: '$reopenCount' }, n: { $sum: 1 } } },
  ]);
  const closedGroups: Array<{ _id: { month: string; gridId: string; rating: string | null; met: boolean | null; days: number | null }; n: number }> = await facts.aggregate([
    { $match: closedMatch }, { $group: { _id: { month: '$closedMonth', gridId: '$gridId', rating: '$rating', met: '$metDeadline', days: '$resolutionWorkingDays' }, n: { $sum: 1 } } },
  ]);
  const tags = await facts.aggregate([{ $match: filedMatch }, { $unwind: '$tags' }, { $group: { _id: '$tags', n: { $sum: 1 } } }, { $sort: { n: -1, _id: 1 } }, { $limit: 10 }]);
  const timed = closedGroups.filter((r) => typeof r._id.days === 'number');
  const resolved = timed.reduce((t, r) => t + r.n, 0);
  const sum = timed.reduce((t, r) => t + r._id.days! * r.n, 0);
  const p50 = await percentile(facts, resolvedMatch, resolved, 0.5);
  const p90 = await percentile(facts, resolvedMatch, resolved, 0.9);
  const reopened = filedGroups.filter((r) => r._id.reopens > 0).reduce((t, r) => t + r.n, 0);
  const reopenings = filedGroups.reduce((t, r) => t + (r._id.reopens ?? 0) * r.n, 0);

  const filed = filedGroups.reduce((t, r) => t + r.n, 0);
  const closed = closedGroups.reduce((t, r) => t + r.n, 0);
  const ctg = sumBy(filedGroups, (r) => `${r._id.category}|${r._id.tier}|${r._id.gridId}`, (r) => r.n);
  const monthGrid = new Map<string, { month: string; gridId: string; filed: number; closed: number }>();
  const at = (month: string, gridId: string) => {
    const k = `${month}|${gridId}`;
    if (!monthGrid.has(k)) monthGrid.set(k, { month, gridId, filed: 0, closed: 0 });
    return monthGrid.get(k)!;
  };
  for (const r of filedGroups) at(r._id.month, r._id.gridId).filed += r.n;
  for (const r of closedGroups) at(r._id.month, r._id.gridId).closed += r.n;
  const ratings = sumBy(closedGroups.filter((r) => r._id.rating !== null && r._id.rating !== undefined), (r) => r._id.rating!, (r) => r.n);
  const rating = (code: string) => ratings.get(code) ?? 0;
  const rated = rating('satisfied') + rating('fair') + rating('dissatisfied');
  const withDeadline = closedGroups.filter((r) => r._id.met === true || r._id.met === false).reduce((t, r) => t + r.n, 0);
  const met = closedGroups.filter((r) => r._id.met === true).reduce((t, r) => t + r.n, 0);
  const categories = [...sumBy(filedGroups, (r) => r._id.category, (r) => r.n)].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 10);

  return {
    range: { from: s.from?.toISOString() ?? null, to: s.to?.toISOString() ?? null, gridIds: s.gridIds ?? null },
    filed,
    closed,
    byCategoryTierGrid: [...ctg].map(([k, cases]) => {
      const [category, tier, gridId] = k.split('|') as [string, string, string];
      return { category, tier: Number(tier), gridId, cases };
    }).sort((a, b) => a.category.localeCompare(b.category) || a.tier - b.tier || byGrid(a.gridId, b.gridId)),
    byMonthGrid: [...monthGrid.values()].sort((a, b) => a.month.localeCompare(b.month) || byGrid(a.gridId, b.gridId)),
    resolution: { cases: resolved, p50, p90, average: resolved === 0 ? null : Math.round((sum / resolved) * 100) / 100 },
    compliance: { withDeadline, met, rate: ratio(met, withDeadline) },
    reopen: { reopenedCases: reopened, reopenings, rate: ratio(reopened, filed) },
    ratings: { rated, satisfied: rating('satisfied'), fair: rating('fair'), dissatisfied: rating('dissatisfied'), satisfactionRate: ratio(rating('satisfied') + rating('fair'), rated) },
    topProblems: { categories: categories.map(([category, cases]) => ({ category, cases })), tags: tags.map((r: any) => ({ tag: r._id, cases: r.n })) },
  };
}
