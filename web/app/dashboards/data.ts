// The figures the dashboards draw: /api/analytics (summary, monthly report) and /api/cases (counts
// by status), in the shapes the zone's API answers (processes/analytics/figures.ts).
import { ApiError, api, query, type Problem } from '../core/api.ts';
import { getLocale } from '../core/i18n.ts';
import { STATUSES } from './labels.ts';

// The shapes the zone's API answers, shared with the server (types only: nothing of it is bundled).
import type { Summary } from '../../../processes/analytics/figures.ts';
import type { MonthlyReport } from '../../../processes/analytics/monthly.ts';

export type { MonthlyReport, Summary };

export type Period = 'month' | 'quarter' | 'year' | 'all';

const ymd = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** [from, to) of a period ending today, as dates of the zone's calendar. */
export function periodRange(p: Period, now = new Date()): { from?: string; to?: string } {
  const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  if (p === 'all') return {};
  if (p === 'month') return { from: ymd(new Date(now.getFullYear(), now.getMonth(), 1)), to: ymd(tomorrow) };
  if (p === 'quarter') return { from: ymd(new Date(now.getFullYear(), now.getMonth() - 2, 1)), to: ymd(tomorrow) };
  return { from: ymd(new Date(now.getFullYear(), 0, 1)), to: ymd(tomorrow) };
}

export const currentMonth = (now = new Date()) => `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;

export async function loadSummary(range: { from?: string; to?: string }, gridId: string | null, signal?: AbortSignal): Promise<Summary> {
  return api.get<Summary>(`/api/analytics/summary${query({ ...range, gridId })}`, { signal });
}

/** Cases filed in the range by their status now, and those open past their deadline. */
export async function loadStatusCounts(range: { from?: string; to?: string }, gridId: string | null, signal?: AbortSignal): Promise<{ byStatus: Record<string, number>; overdue: number }> {
  const count = (extra: Record<string, string>) =>
    api.get<{ page: { totalItems: number } }>(`/api/cases${query({ ...range, gridId, pageSize: 1, ...extra })}`, { signal }).then((r) => r.page.totalItems);
  const statuses = Object.keys(STATUSES);
  const [counts, overdue] = await Promise.all([Promise.all(statuses.map((s) => count({ status: s }))), count({ overdue: 'true' })]);
  return { byStatus: Object.fromEntries(statuses.map((s, i) => [s, counts[i]!])), overdue };
}

export async function loadMonthly(month: string, gridId: string | null, signal?: AbortSignal): Promise<MonthlyReport[]> {
  const r = await api.get<MonthlyReport | { month: string; grids: MonthlyReport[] }>(`/api/analytics/monthly${query({ month, gridId })}`, { signal });
  return 'grids' in r ? r.grids : [r];
}

/** Saves the month's report (the same grids as the page) as an Excel workbook in the user's language. */
export async function downloadMonthly(month: string, gridId: string | null): Promise<void> {
  const res = await fetch(`/api/reports/monthly.xlsx${query({ month, gridId, lang: getLocale() })}`, { credentials: 'same-origin' });
  if (!res.ok) {
    let problem: Problem = { status: res.status, detail: res.statusText };
    try { problem = { status: res.status, ...(await res.json() as object) }; } catch { /* not JSON */ }
    throw new ApiError(res.status, problem);
  }
  const name = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '')?.[1];
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name ? decodeURIComponent(name) : `monthly-${month}.xlsx`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface GridInfo { id: string; name?: string }
export async function loadGrids(signal?: AbortSignal): Promise<GridInfo[]> {
  try {
    return (await api.get<{ items: GridInfo[] }>('/api/org/grids', { signal })).items;
  } catch {
    return [];
  }
}

/** Adds up rows by a key. */
export function tally<T>(rows: readonly T[], key: (r: T) => string, n: (r: T) => number): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + n(r));
  return out;
}
