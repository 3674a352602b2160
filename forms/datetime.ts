// The values a form-js datetime field writes, by subtype and `timeSerializingFormat`:
//
//   date                      2024-03-01
//   time      no_timezone     14:30         (also when the format is not set)
//             utc_normalized  14:30Z
//             utc_offset      14:30+08:00
//   datetime                  2024-03-01T14:30, 2024-03-01T14:30Z, 2024-03-01T14:30+08:00
//
// Gridflow accepts exactly these shapes with real calendar dates and clock times. form-js itself
// is looser when it reads data (anything Date.parse accepts, 2024-02-30 included); see README.md.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK = '([01]\\d|2[0-3]):[0-5]\\d';
const TIME = {
  no_timezone: new RegExp(`^${CLOCK}$`),
  utc_normalized: new RegExp(`^${CLOCK}Z$`),
  utc_offset: new RegExp(`^${CLOCK}[+-](0\\d|1[0-4]):[0-5]\\d$`),
};

export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

function isTime(text: string, format: unknown): boolean {
  const pattern = format === 'utc_normalized' || format === 'utc_offset' ? TIME[format] : TIME.no_timezone;
  return pattern.test(text);
}

/** True when `value` is what a datetime field of this subtype and format writes. */
export function checkDateTimeShape(value: string, subtype: unknown, format: unknown): boolean {
  if (subtype === 'time') return isTime(value, format);
  if (subtype === 'datetime') {
    const t = value.indexOf('T');
    return t === 10 && isCalendarDate(value.slice(0, 10)) && isTime(value.slice(11), format);
  }
  return isCalendarDate(value);
}

const INTERVALS = [1, 5, 10, 15, 30, 60];

/** The time picker's step: `timeInterval` when it is 1, 5, 10, 15, 30 or 60 minutes, else 15. */
export function timeStep(timeInterval: unknown): number {
  return INTERVALS.includes(timeInterval as number) ? (timeInterval as number) : 15;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * True when the minutes of a time are on the time picker's grid. The picker offers (and snaps
 * typed or loaded times to) multiples of its step in the user's local time; a normalised (UTC)
 * time is local time moved by an offset, a multiple of 15 minutes, so only their common divisor
 * is checked there.
 */
export function onTimeGrid(value: string, subtype: unknown, format: unknown, step: number): boolean {
  const minutes = Number(subtype === 'datetime' ? value.slice(14, 16) : value.slice(3, 5));
  const modulus = format === 'utc_normalized' ? gcd(step, 15) : step;
  return Number.isNaN(minutes) || minutes % modulus === 0;
}

/** Minutes after midnight UTC of a written time ('HH:mm', 'HH:mmZ', 'HH:mm+hh:mm'); null otherwise. */
function utcMinutes(text: string): number | null {
  const match = /^(\d{2}):(\d{2})(?:(Z)|([+-])(\d{2}):(\d{2}))?$/.exec(text);
  if (!match) return null;
  let minutes = Number(match[1]) * 60 + Number(match[2]);
  if (match[4]) minutes -= (match[4] === '+' ? 1 : -1) * (Number(match[5]) * 60 + Number(match[6]));
  return ((minutes % 1440) + 1440) % 1440;
}

/**
 * True when two values of a datetime field are the same: equal, or the same instant written with
 * another offset (form-js writes times in the browser's own offset).
 */
export function sameDateTime(subtype: unknown, a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  if (subtype === 'time') {
    const x = utcMinutes(a);
    return x !== null && x === utcMinutes(b) && /[Z+-]/.test(a.slice(5)) && /[Z+-]/.test(b.slice(5));
  }
  if (subtype === 'datetime') {
    const zoned = (t: string) => /(Z|[+-]\d{2}:\d{2})$/.test(t);
    const x = Date.parse(a);
    return zoned(a) && zoned(b) && !Number.isNaN(x) && x === Date.parse(b);
  }
  return false;
}
