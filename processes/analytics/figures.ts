// The committee's and the monthly report's figures, computed by the database. Every pipeline
// stays inside what FerretDB 1.x runs ($match, $group with ONE $sum per stage, $unwind, $sort,
// $skip, $limit, $project; no $facet, no other accumulators), so each figure is its own small
// pipeline or count. Definitions (processes/README.md, "Analytics"):
//   - cases FILED in [from, to): volume, category × tier × grid, per month and grid, reopen rate,
//     top recurring problems;
//   - cases CLOSED in [from, to): resolution time in working days (p50, p90 by nearest rank,
//     average), deadline compliance, ratings.
import type mongoose from 'mongoose';
import { RATINGS } from '../org/reference.ts';

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

const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;

function window(field: 'filedAt' | 'closedAt', s: Scope): Record<string, unknown> {
  const match: Record<string, unknown> = {};
  if (s.gridIds) match.gridId = { $in: s.gridIds };
  const range: Record<string, Date> = {};
  if (s.from) range.$gte = s.from;
  if (s.to) range.$lt = s.to;
  if (field === 'closedAt') match.closedAt = Object.keys(range).length > 0 ? range : { $ne: null };
  else if (Object.keys(range).length > 0) match.filedAt = range;
  return match;
}

async function group(cases: mongoose.Model<any>, match: Record<string, unknown>, id: Record<string, string> | string, sum: number | string = 1): Promise<Array<{ _id: any; n: number }>> {
  return cases.aggregate([{ $match: match }, { $group: { _id: id, n: { $sum: sum } } }]);
}

/** The value at rank ceil(p·n) of the closed cases' resolution times, by sort and skip. */
async function percentile(cases: mongoose.Model<any>, match: Record<string, unknown>, n: number, p: number): Promise<number | null> {
  if (n === 0) return null;
  const rows = await cases.aggregate([{ $match: match }, { $sort: { resolutionWorkingDays: 1, _id: 1 } }, { $skip: Math.max(0, Math.ceil(p * n) - 1) }, { $limit: 1 }, { $project: { _id: 0, d: '$resolutionWorkingDays' } }]);
  return rows[0]?.d ?? null;
}

export async function summary(cases: mongoose.Model<any>, s: Scope): Promise<Summary> {
  const filedMatch = window('filedAt', s);
  const closedMatch = window('closedAt', s);
  const resolvedMatch = { ...closedMatch, resolutionWorkingDays: { $ne: null } };

  const [filed, closed, ctg, perMonthFiled, perMonthClosed, resolvedCount, resolvedSum, compliance, reopened, reopenings, ratings, cats, tags] = await Promise.all([
    cases.countDocuments(filedMatch),
    cases.countDocuments(closedMatch),
    group(cases, filedMatch, { category: '$category', tier: '$tier', gridId: '$gridId' }),
    group(cases, filedMatch, { month: '$month', gridId: '$gridId' }),
    group(cases, closedMatch, { month: '$closedMonth', gridId: '$gridId' }),
    cases.countDocuments(resolvedMatch),
    group(cases, resolvedMatch, 'all', '$resolutionWorkingDays'),
    group(cases, { ...closedMatch, metDeadline: { $ne: null } }, '$metDeadline'),
    cases.countDocuments({ ...filedMatch, reopenCount: { $gt: 0 } }),
    group(cases, filedMatch, 'all', '$reopenCount'),
    group(cases, { ...closedMatch, rating: { $ne: null } }, '$rating'),
    cases.aggregate([{ $match: filedMatch }, { $group: { _id: '$category', n: { $sum: 1 } } }, { $sort: { n: -1, _id: 1 } }, { $limit: 10 }]),
    cases.aggregate([{ $match: filedMatch }, { $unwind: '$tags' }, { $group: { _id: '$tags', n: { $sum: 1 } } }, { $sort: { n: -1, _id: 1 } }, { $limit: 10 }]),
  ]);

  const monthGrid = new Map<string, { month: string; gridId: string; filed: number; closed: number }>();
  const at = (month: string, gridId: string) => {
    const k = `${month}/${gridId}`;
    if (!monthGrid.has(k)) monthGrid.set(k, { month, gridId, filed: 0, closed: 0 });
    return monthGrid.get(k)!;
  };
  for (const r of perMonthFiled) at(r._id.month, r._id.gridId).filed = r.n;
  for (const r of perMonthClosed) at(r._id.month, r._id.gridId).closed = r.n;

  const [p50, p90] = await Promise.all([percentile(cases, resolvedMatch, resolvedCount, 0.5), percentile(cases, resolvedMatch, resolvedCount, 0.9)]);
  const sum = resolvedSum[0]?.n ?? 0;
  const met = compliance.find((r) => r._id === true)?.n ?? 0;
  const withDeadline = compliance.reduce((t, r) => t + r.n, 0);
  const rating = (code: string) => ratings.find((r) => r._id === code)?.n ?? 0;
  const rated = RATINGS.reduce((t, r) => t + rating(r.code), 0);

  return {
    range: { from: s.from?.toISOString() ?? null, to: s.to?.toISOString() ?? null, gridIds: s.gridIds ?? null },
    filed,
    closed,
    byCategoryTierGrid: ctg.map((r) => ({ category: r._id.category, tier: r._id.tier, gridId: r._id.gridId, cases: r.n }))
      .sort((a, b) => a.category.localeCompare(b.category) || a.tier - b.tier || a.gridId.localeCompare(b.gridId, undefined, { numeric: true })),
    byMonthGrid: [...monthGrid.values()].sort((a, b) => a.month.localeCompare(b.month) || a.gridId.localeCompare(b.gridId, undefined, { numeric: true })),
    resolution: { cases: resolvedCount, p50, p90, average: resolvedCount === 0 ? null : round(sum / resolvedCount, 2) },
    compliance: { withDeadline, met, rate: withDeadline === 0 ? null : round(met / withDeadline) },
    reopen: { reopenedCases: reopened, reopenings: reopenings[0]?.n ?? 0, rate: filed === 0 ? null : round(reopened / filed) },
    ratings: { rated, satisfied: rating('satisfied'), fair: rating('fair'), dissatisfied: rating('dissatisfied'), satisfactionRate: rated === 0 ? null : round((rating('satisfied') + rating('fair')) / rated) },
    topProblems: {
      categories: cats.map((r: any) => ({ category: r._id, cases: r.n })),
      tags: tags.map((r: any) => ({ tag: r._id, cases: r.n })),
    },
  };
}

