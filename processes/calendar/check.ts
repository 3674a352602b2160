// What an administrator's year must satisfy beyond its JSON shape (routes.ts has the shape): every
// date a real day of that year, none listed twice, none both a holiday and a make-up workday, make-up
// workdays on weekends (a weekday works anyway), names not blank. Each problem names its field.
import type { CalendarDays, NamedDay } from '../working-days.ts';

export const MAX_HOLIDAYS = 60;
export const MAX_WORKDAYS = 20;
export const MAX_NAME = 40;

export interface DayProblem { code: string; field: string; message: string }

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function checkYearDays(year: number, days: CalendarDays): DayProblem | undefined {
  const seen = new Map<string, string>();
  for (const list of ['holidays', 'workdays'] as const) {
    for (const [i, d] of (days[list] as NamedDay[]).entries()) {
      const field = `body/${list}/${i}`;
      const at = new Date(`${d.date}T00:00:00Z`);
      if (Number.isNaN(+at) || at.toISOString().slice(0, 10) !== d.date) return { code: 'INVALID_DATE', field: `${field}/date`, message: `${d.date} is not a calendar date (yyyy-mm-dd)` };
      if (at.getUTCFullYear() !== year) return { code: 'DATE_OUTSIDE_YEAR', field: `${field}/date`, message: `${d.date} is not in ${year}` };
      if (d.name.trim() === '') return { code: 'NAME_REQUIRED', field: `${field}/name`, message: 'the name must not be blank (e.g. 春节)' };
      const earlier = seen.get(d.date);
      if (earlier !== undefined) {
        const both = !earlier.startsWith(`body/${list}/`);
        return both
          ? { code: 'DAY_BOTH_HOLIDAY_AND_WORKDAY', field: `${field}/date`, message: `${d.date} is already a ${list === 'workdays' ? 'holiday' : 'make-up workday'} (${earlier}); a day is one or the other` }
          : { code: 'DUPLICATE_DATE', field: `${field}/date`, message: `${d.date} is listed twice (also ${earlier})` };
      }
      seen.set(d.date, field);
      const weekday = at.getUTCDay();
      if (list === 'workdays' && weekday !== 0 && weekday !== 6) {
        return { code: 'WORKDAY_NOT_WEEKEND', field: `${field}/date`, message: `${d.date} is a ${WEEKDAYS[weekday]}: a make-up workday (调休上班日) is a Saturday or Sunday` };
      }
    }
  }
  return undefined;
}
