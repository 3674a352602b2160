// What the monthly report points out (研判提示), as data: the page words it (MonthlyReportPage.tsx)
// and so does its Excel export (web/app/server/monthly-export.ts).
import type { MonthlyReport } from '../../../processes/analytics/monthly.ts';

export type Finding =
  | { key: 'findingTop'; category: string; n: number; share: number }
  | { key: 'findingTier3' | 'findingOverdue' | 'findingDissatisfied'; n: number };

/** How the findings read, in both languages ({placeholders} as in the app's messages). */
export const FINDING_SENTENCES = {
  zh: {
    findingTop: '「{category}」是本月最多的诉求类别（{n} 件，占 {share}）。',
    findingTier3: '{n} 件升至区级部门（三级），需关注联合办理进度。',
    findingOverdue: '月末有 {n} 件超过时限仍未办结。',
    findingDissatisfied: '{n} 件企业评价为不满意，请回访核实。',
    findingNone: '本月未发现需要特别关注的问题。',
  },
  en: {
    findingTop: '"{category}" was the most frequent category this month ({n} cases, {share}).',
    findingTier3: '{n} cases went up to the district departments (tier 3): follow the joint handling.',
    findingOverdue: '{n} cases were past their deadline and still open at the month\'s end.',
    findingDissatisfied: '{n} enterprises were dissatisfied: follow up with them.',
    findingNone: 'Nothing this month calls for special attention.',
  },
};

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
