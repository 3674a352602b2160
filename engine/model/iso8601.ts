// ISO 8601 durations and date-times as Zeebe reads them in timer definitions.
//
// Durations: PnYnMnWnDTnHnMnS (java.time Period + Duration combined, as Zeebe's Interval parses
// them; weeks may be combined with other units, seconds may have a fraction). Negative durations
// are refused. Adding a duration follows Zeebe: the date part (years, months, weeks, days) moves
// the wall clock in the server's time zone (months clamp to the last day, Jan 31 + P1M = Feb 28/29),
// the time part (hours, minutes, seconds) is exact elapsed time.
//
// Date-times: yyyy-MM-ddTHH:mm[:ss[.fff]] followed by an offset (Z, +08:00) and/or a zone id in
// brackets ([Asia/Shanghai]). With both, the offset fixes the instant (as java.time does); with a
// zone id alone the wall time is resolved in that zone (a time in a DST gap moves forward by the
// gap, an ambiguous time takes the earlier offset). Zeebe (ZonedDateTime.parse) needs the offset;
// the zone-only form is a Gridflow leniency. A date-time with neither is refused unless
// `allowLocal` (FEEL local date-time results, which Zeebe reads in the server's time zone).

export class Iso8601Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Iso8601Error';
  }
}

export interface IsoDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const DURATION = /^\+?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d{1,9})?)S)?)?$/i;

export function parseIsoDuration(text: string): IsoDuration {
  const s = text.trim();
  if (/^-|^P.*-/i.test(s)) throw new Iso8601Error(`Invalid duration '${text}': negative durations are not supported`);
  const m = DURATION.exec(s);
  if (!m || /T$/i.test(s) || m.slice(1).every((g) => g === undefined)) {
    throw new Iso8601Error(`Invalid duration '${text}': expected ISO 8601 PnYnMnDTnHnMnS or PnW (e.g. PT15M, P2D, P1W)`);
  }
  const n = (g: string | undefined) => (g === undefined ? 0 : Number(g.replace(',', '.')));
  const d: IsoDuration = { years: n(m[1]), months: n(m[2]), weeks: n(m[3]), days: n(m[4]), hours: n(m[5]), minutes: n(m[6]), seconds: n(m[7]) };
  if (Object.values(d).some((v) => !Number.isFinite(v) || v > 1e9)) throw new Iso8601Error(`Invalid duration '${text}': value out of range`);
  return d;
}

/** The exact-time part of a duration, in milliseconds. */
function timeMillis(d: IsoDuration): number {
  return Math.round(((d.hours * 60 + d.minutes) * 60 + d.seconds) * 1000);
}

export function isZeroDuration(d: IsoDuration): boolean {
  return d.years === 0 && d.months === 0 && d.weeks === 0 && d.days === 0 && timeMillis(d) === 0;
}

export function addIsoDuration(from: Date, d: IsoDuration): Date {
  const months = d.years * 12 + d.months;
  const days = d.weeks * 7 + d.days;
  let t = new Date(from.getTime());
  if (months !== 0) {
    const total = t.getFullYear() * 12 + t.getMonth() + months;
    const year = Math.floor(total / 12);
    const month = total - year * 12;
    const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    t.setFullYear(year, month, Math.min(t.getDate(), lastDay));
  }
  if (days !== 0) t.setDate(t.getDate() + days);
  t = new Date(t.getTime() + timeMillis(d));
  if (Number.isNaN(t.getTime())) throw new Iso8601Error('Duration moves the date out of range');
  return t;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2}(?::?\d{2})?)?(?:\[([^\]]+)\])?$/i;

export interface DateTimeOptions {
  /** Accept a date-time without offset or zone, read in the server's time zone. */
  allowLocal?: boolean;
}

export function parseIsoDateTime(text: string, opts: DateTimeOptions = {}): Date {
  const s = text.trim();
  const m = DATE_TIME.exec(s);
  if (!m) {
    throw new Iso8601Error(`Invalid date-time '${text}': expected ISO 8601 like 2026-11-26T10:00:00+08:00, 2026-11-26T02:00:00Z or 2026-11-26T10:00:00[Asia/Shanghai]`);
  }
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > lastDay || hour > 23 || minute > 59 || second > 59) {
    throw new Iso8601Error(`Invalid date-time '${text}': field out of range`);
  }
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const offset = m[8];
  const zone = m[9];
  if (zone !== undefined && !isValidZone(zone)) throw new Iso8601Error(`Invalid date-time '${text}': unknown time zone '${zone}'`);
  if (offset !== undefined) return new Date(wall - offsetMillis(offset));
  if (zone !== undefined) return new Date(resolveInZone(wall, zone));
  if (opts.allowLocal) return new Date(year, month - 1, day, hour, minute, second, millis);
  throw new Iso8601Error(`Invalid date-time '${text}': needs an offset (e.g. Z or +08:00) or a time zone id (e.g. [Asia/Shanghai])`);
}

function offsetMillis(offset: string): number {
  if (offset.toUpperCase() === 'Z') return 0;
  const digits = offset.slice(1).replace(/:/g, '');
  const h = Number(digits.slice(0, 2));
  const min = Number(digits.slice(2, 4));
  const sec = digits.length > 4 ? Number(digits.slice(4, 6)) : 0;
  if (h > 18 || min > 59 || sec > 59) throw new Iso8601Error(`Invalid offset '${offset}'`);
  const sign = offset.startsWith('-') ? -1 : 1;
  return sign * ((h * 60 + min) * 60 + sec) * 1000;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

export function isValidZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** Offset of `zone` at instant `utc` (ms), in ms. */
export function zoneOffsetAt(zone: string, utc: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(utc))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(utc / 1000) * 1000;
}

/** The instant at which the wall clock in `zone` shows `wall` (wall time encoded as UTC ms). */
function resolveInZone(wall: number, zone: string): number {
  const DAY = 86_400_000;
  const before = zoneOffsetAt(zone, wall - DAY);
  const after = zoneOffsetAt(zone, wall + DAY);
  const early = wall - before;
  const late = wall - after;
  const earlyValid = zoneOffsetAt(zone, early) === before;
  const lateValid = zoneOffsetAt(zone, late) === after;
  if (earlyValid) return early; // also the overlap case: the earlier offset
  if (lateValid) return late;
  return early; // in a gap: the offset before the transition moves the time forward by the gap
}
