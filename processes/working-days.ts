// The Chinese working-day calendar: weekends, public holidays and make-up workdays (调休). Days are the
// zone's days (Asia/Shanghai, UTC+8 without daylight saving); working hours are 09:00–17:00 on
// working days. A year's days come from, in this order:
//   library      `chinese-days`' data from the State Council's yearly notices (COVERED_YEARS), read-only;
//   supplement   the notice as an administrator entered it (processes/calendar/, kept in memory here
//                by setCalendarSupplement so every function stays synchronous);
//   provisional  neither: weekends plus the statutory holidays (calendar/provisional.ts), with a
//                warning once per year, so deadlines keep working until the notice is entered.
// Years before the library's first and after PROVISIONAL_LIMIT stay an error.
//
// Importing this module registers the FEEL functions of processes/README.md for every diagram.
import { createRequire } from 'node:module';
import { dateAndTime, FeelDate, FeelDateTime, parseDate } from 'feelin';
import { registerFeelFunction } from '../engine/feel/index.ts';
import { PROVISIONAL_LIMIT, statutoryHolidays, type NamedDay } from './calendar/provisional.ts';

export { PROVISIONAL_LIMIT, type NamedDay };

const require = createRequire(import.meta.url);
const data = require('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string>; workdays: Record<string, string> };
const LIBRARY_VERSION = (require('chinese-days/package.json') as { version: string }).version;

const HOLIDAYS = new Set(Object.keys(data.holidays));
const MAKE_UP_WORKDAYS = new Set(Object.keys(data.workdays));
const years = [...HOLIDAYS].map((d) => Number(d.slice(0, 4)));
/** The years whose holidays the library knows, inclusive. */
export const COVERED_YEARS = { first: Math.min(...years), last: Math.max(...years), library: `chinese-days ${LIBRARY_VERSION}` } as const;

export type CalendarSource = 'library' | 'supplement' | 'provisional';
/** A year's days off and make-up workdays (dates yyyy-mm-dd in the zone). */
export interface CalendarDays { holidays: NamedDay[]; workdays: NamedDay[] }
interface DaySets { holidays: Set<string>; workdays: Set<string> }

const LIBRARY: DaySets = { holidays: HOLIDAYS, workdays: MAKE_UP_WORKDAYS };
let supplement = new Map<number, DaySets>();
const provisional = new Map<number, DaySets>();
const warned = new Set<number>();
let warn = (line: string) => console.warn(line);

/** Replaces the administrators' years (all of them at once: what the database holds now). */
export function setCalendarSupplement(entered: Iterable<{ year: number } & CalendarDays>): void {
  const next = new Map<number, DaySets>();
  for (const y of entered) {
    if (y.year >= COVERED_YEARS.first && y.year <= COVERED_YEARS.last) continue; // the library wins
    next.set(y.year, { holidays: new Set(y.holidays.map((d) => d.date)), workdays: new Set(y.workdays.map((d) => d.date)) });
  }
  supplement = next;
}

/** Where a year's days come from, or null when the calendar refuses the year. */
export function calendarSourceOf(year: number): CalendarSource | null {
  if (year >= COVERED_YEARS.first && year <= COVERED_YEARS.last) return 'library';
  if (supplement.has(year)) return 'supplement';
  if (year > COVERED_YEARS.last && year <= PROVISIONAL_LIMIT) return 'provisional';
  return null;
}

/** Where the once-per-year warning of a provisional year goes (console.warn unless set). */
export function onProvisionalYear(fn: (line: string) => void): void {
  warn = fn;
}

/** The years counted provisionally in this process since it started. */
export const provisionalYearsCounted = (): number[] => [...warned].filter((y) => calendarSourceOf(y) === 'provisional').sort((a, b) => a - b);

/** The library's days of a covered year, with their Chinese names. */
export function libraryDays(year: number): CalendarDays {
  const pick = (table: Record<string, string>) => Object.entries(table).filter(([d]) => d.startsWith(`${year}-`))
    .map(([date, v]) => ({ date, name: v.split(',')[1] ?? v })).sort((a, b) => a.date.localeCompare(b.date));
  return { holidays: pick(data.holidays), workdays: pick(data.workdays) };
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const OFFSET = 8 * HOUR; // Asia/Shanghai
const WORK_START = 9 * HOUR;
const WORK_END = 17 * HOUR;
/** Enough for any deadline the zone sets, and a bound on hostile input. */
const MAX_DAYS = 3_660;

export class WorkingDayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkingDayError';
  }
}

/** Day number (days since 1970-01-01) of the zone's calendar day holding the instant. */
const dayOf = (ms: number) => Math.floor((ms + OFFSET) / DAY);
const keyOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

function daysOf(day: number): DaySets {
  const year = new Date(day * DAY).getUTCFullYear();
  switch (calendarSourceOf(year)) {
    case 'library': return LIBRARY;
    case 'supplement': return supplement.get(year)!;
    case 'provisional': return provisionalDays(year);
    default:
      throw new WorkingDayError(
        `${keyOf(day)} is outside the Chinese working-day calendar, which covers ${COVERED_YEARS.first}–${COVERED_YEARS.last} ` +
        `(${COVERED_YEARS.library}), the years administrators entered and, provisionally, the years up to ${PROVISIONAL_LIMIT}`,
      );
  }
}

function provisionalDays(year: number): DaySets {
  if (!warned.has(year)) {
    warned.add(year);
    warn(`working days: ${year} is counted provisionally (weekends and the statutory holidays, no make-up workdays) ` +
      `until an administrator enters the State Council's notice for ${year}`);
  }
  let days = provisional.get(year);
  if (!days) provisional.set(year, days = { holidays: new Set(statutoryHolidays(year).map((d) => d.date)), workdays: new Set() });
  return days;
}

/** Whether a day number is a working day: make-up workdays work, holidays and weekends do not. */
export function isWorkingDayNumber(day: number): boolean {
  const { holidays, workdays } = daysOf(day);
  const key = keyOf(day);
  if (workdays.has(key)) return true;
  if (holidays.has(key)) return false;
  const weekday = new Date(day * DAY).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

function whole(n: unknown, what: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new WorkingDayError(`${what} must be a whole number, not ${JSON.stringify(n)}`);
  if (Math.abs(n) > MAX_DAYS) throw new WorkingDayError(`${what} must be at most ${MAX_DAYS} in size, not ${n}`);
  return n;
}

// ---------------------------------------------------------------------------------------------
// On instants (epoch milliseconds), for the platform's own code

export function isWorkingDay(at: Date | number): boolean {
  return isWorkingDayNumber(dayOf(+at));
}

/** The same time of day `days` working days after (before, when negative) `from`. */
export function addWorkingDays(from: Date | number, days: number): Date {
  const n = whole(days, 'days');
  const step = Math.sign(n);
  let day = dayOf(+from);
  for (let left = Math.abs(n); left > 0;) {
    day += step;
    if (isWorkingDayNumber(day)) left -= 1;
  }
  return new Date(+from + (day - dayOf(+from)) * DAY);
}

/** Working days d with from < d ≤ to (by the zone's calendar days); negative when to is earlier. */
export function workingDaysBetween(from: Date | number, to: Date | number): number {
  const a = dayOf(+from);
  const b = dayOf(+to);
  if (Math.abs(b - a) > MAX_DAYS) throw new WorkingDayError(`working days between: the dates are more than ${MAX_DAYS} days apart`);
  const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1];
  let count = 0;
  for (let day = lo + 1; day <= hi; day += 1) if (isWorkingDayNumber(day)) count += 1;
  return sign * count;
}

/** The instant `hours` working hours (09:00–17:00 on working days) before `deadline`. */
export function workingHoursBefore(deadline: Date | number, hours: number): Date {
  if (typeof hours !== 'number' || !Number.isFinite(hours) || hours < 0) throw new WorkingDayError(`hours must be a number of 0 or more, not ${JSON.stringify(hours)}`);
  if (hours > MAX_DAYS * 8) throw new WorkingDayError(`hours must be at most ${MAX_DAYS * 8}, not ${hours}`);
  let left = Math.round(hours * HOUR);
  let t = +deadline;
  if (left === 0) return new Date(t);
  for (;;) {
    const day = dayOf(t);
    const start = day * DAY - OFFSET + WORK_START;
    const end = day * DAY - OFFSET + WORK_END;
    if (isWorkingDayNumber(day) && t > start) {
      t = Math.min(t, end);
      if (left <= t - start) return new Date(t - left);
      left -= t - start;
    }
    t = (day - 1) * DAY - OFFSET + WORK_END; // the previous day's close of work
  }
}

// ---------------------------------------------------------------------------------------------
// FEEL: dates, date-times (local ones are the zone's wall clock) and ISO strings

type Temporal = { kind: 'date'; day: number } | { kind: 'date-time'; ms: number; zone: string | null };

function readTemporal(value: unknown, what: string): Temporal {
  let v: unknown = value;
  if (typeof v === 'string') v = /^\d{4}-\d{2}-\d{2}$/.test(v) ? parseDate(v) : dateAndTime(v);
  if (v instanceof FeelDate) {
    const d = v;
    return { kind: 'date', day: Math.floor(Date.UTC(d.year, d.month - 1, d.day) / DAY) };
  }
  if (v instanceof FeelDateTime) {
    const dt = v;
    if (dt.zone === null) {
      const w = dt.value;
      return { kind: 'date-time', ms: Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond) - OFFSET, zone: null };
    }
    return { kind: 'date-time', ms: dt.value.toZonedDateTime(dt.zone).epochMilliseconds, zone: dt.zone };
  }
  throw new WorkingDayError(`${what} must be a date, a date and time or an ISO 8601 string, not ${JSON.stringify(value) ?? String(value)}`);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Wall-clock text of an instant in a zone: a fixed offset, UTC or a named zone. */
function wallClock(ms: number, zone: string): string {
  if (zone === 'UTC' || zone === 'Z') return new Date(ms).toISOString().slice(0, 23);
  const offset = /^([+-])(\d{2}):(\d{2})$/.exec(zone);
  if (offset) {
    const minutes = (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]));
    return new Date(ms + minutes * 60_000).toISOString().slice(0, 23);
  }
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}.${pad(new Date(ms).getUTCMilliseconds(), 3)}`;
}

/** A local input was the zone's wall clock: the result says so with its offset (timers need one). */
function toFeel(ms: number, zone: string | null): FeelDateTime {
  const text = zone === null ? `${wallClock(ms, '+08:00')}+08:00` : `${wallClock(ms, zone)}${zone === 'UTC' || zone === 'Z' ? 'Z' : /^[+-]/.test(zone) ? zone : `@${zone}`}`;
  return dateAndTime(text.replace(/\.000(?=$|[Z+@-])/, '')) as FeelDateTime;
}

const dayAsFeel = (day: number) => parseDate(keyOf(day)) as FeelDate;

function feelAddWorkingDays(from: unknown, days: unknown): FeelDate | FeelDateTime {
  const t = readTemporal(from, 'add working days: from');
  const n = whole(days, 'add working days: days');
  if (t.kind === 'date') return dayAsFeel(dayOf(+addWorkingDays((t.day * DAY) - OFFSET, n)));
  return toFeel(+addWorkingDays(t.ms, n), t.zone);
}

const instantOf = (t: Temporal) => (t.kind === 'date' ? t.day * DAY - OFFSET : t.ms);

function feelWorkingDaysBetween(from: unknown, to: unknown): number {
  return workingDaysBetween(instantOf(readTemporal(from, 'working days between: from')), instantOf(readTemporal(to, 'working days between: to')));
}

function feelWorkingHoursBefore(deadline: unknown, hours: unknown): FeelDateTime {
  const t = readTemporal(deadline, 'working hours before: deadline');
  // A date alone is a deadline at the end of that day's work.
  const ms = t.kind === 'date' ? t.day * DAY - OFFSET + WORK_END : t.ms;
  return toFeel(+workingHoursBefore(ms, hours as number), t.kind === 'date' ? null : t.zone);
}

function feelIsWorkingDay(date: unknown): boolean {
  return isWorkingDayNumber(dayOf(instantOf(readTemporal(date, 'is working day: date'))));
}

let registered = false;

/** Registers the FEEL functions (idempotent); importing this module already did. */
export function registerWorkingDayFunctions(): void {
  if (registered) return;
  registered = true;
  registerFeelFunction('add working days', feelAddWorkingDays, ['from', 'days']);
  registerFeelFunction('working days between', feelWorkingDaysBetween, ['from', 'to']);
  registerFeelFunction('working hours before', feelWorkingHoursBefore, ['deadline', 'hours']);
  registerFeelFunction('is working day', feelIsWorkingDay, ['date']);
}

registerWorkingDayFunctions();
