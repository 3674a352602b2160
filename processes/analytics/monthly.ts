// The monthly grid report (网格月报): the summary figures of one month (in the zone's calendar)
// for one grid or the whole zone, plus the cases still open at the month's end. The
// `gridflow.report.compile` job and GET /api/analytics/monthly share it.
import type mongoose from 'mongoose';
import { summary, type Summary } from './figures.ts';

const ZONE_OFFSET = 8 * 3_600_000;
export const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** [start, end) of a month in the zone, as instants. */
export function monthBounds(month: string): { from: Date; to: Date } {
  const m = MONTH.exec(month);
  if (!m) throw new RangeError(`month must be YYYY-MM, not ${JSON.stringify(month)}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  return { from: new Date(Date.UTC(y, mo - 1, 1) - ZONE_OFFSET), to: new Date(Date.UTC(y, mo, 1) - ZONE_OFFSET) };
}

export interface MonthlyReport extends Summary {
  month: string;
  gridId: string | null;
  /** Filed before the month's end and not closed by then. */
  openAtEnd: number;
  /** Of those, past their deadline at the month's end. */
  overdueAtEnd: number;
}

/** `facts`: the `case_facts` model (cases/facts.ts). */
export async function monthlyReport(facts: mongoose.Model<any>, month: string, gridId: string | null): Promise<MonthlyReport> {
  const { from, to } = monthBounds(month);
  const grids = gridId === null ? null : [gridId];
  const open = { ...(grids ? { gridId: { $in: grids } } : {}), filedAt: { $lt: to }, $or: [{ closedAt: null }, { closedAt: { $gte: to } }] };
  const figures = await summary(facts, { from, to, gridIds: grids });
  const openAtEnd = await facts.countDocuments(open);
  const overdueAtEnd = await facts.countDocuments({ ...open, deadline: { $ne: null, $lt: to } });
  return { month, gridId, ...figures, openAtEnd, overdueAtEnd };
}
