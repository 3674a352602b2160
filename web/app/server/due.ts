// Due dates in working days (the Chinese calendar of processes/working-days.ts): how many working
// days are left, or how many a task is overdue by.
import { workingDaysBetween, WorkingDayError } from '../../../processes/working-days.ts';

export interface DueInfo {
  due: string;
  /** Working days from now to the due date (0: due today); negative when overdue. */
  workingDaysLeft: number | null;
  overdue: boolean;
}

export function dueInfo(due: string | null | undefined, now: number): DueInfo | null {
  if (typeof due !== 'string') return null;
  const at = Date.parse(due);
  if (Number.isNaN(at)) return null;
  let left: number | null;
  try {
    left = workingDaysBetween(now, at);
  } catch (err) {
    if (!(err instanceof WorkingDayError)) throw err;
    left = null; // outside the calendar's years: the date is still shown
  }
  return { due: new Date(at).toISOString(), workingDaysLeft: left, overdue: at < now };
}
