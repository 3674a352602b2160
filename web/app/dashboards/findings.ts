// What the monthly report points out (研判提示), as data: the page words it (MonthlyReportPage.tsx)
// and so does its Excel export (web/app/server/monthly-export.ts).
import type { MonthlyReport } from '../../../processes/analytics/monthly.ts';

export type Finding =
  | { key: 'findingTop'; category: string; n: number; share: number }
  | { key: 'findingTier3' | 'findingOverdue' | 'findingDissatisfied'; n: number };

/** The month's most frequent category, cases raised to the district, overdue at the month's end, dissatisfied ratings. */
export function findingsOf(r: MonthlyReport): Finding[] {
  const out: Finding[] = [];
  const top = r.topProblems.categories[0];
  if (top && r.filed > 0) out.push({ key: 'findingTop', category: top.category, n: top.cases, share: top.cases / r.filed });
  const tier3 = r.byCategoryTierGrid.filter((x) => x.tier === 3).reduce((n, x) => n + x.cases, 0);
  if (tier3 > 0) out.push({ key: 'findingTier3', n: tier3 });
  if (r.overdueAtEnd > 0) out.push({ key: 'findingOverdue', n: r.overdueAtEnd });
  if (r.ratings.dissatisfied > 0) out.push({ key: 'findingDissatisfied', n: r.ratings.dissatisfied });
  return out;
}
