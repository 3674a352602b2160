// FEEL's `now()` and `today()` on a given instant instead of the machine's clock, so a runtime
// whose clock is moved (tests, a corrected clock) sees the same time in its expressions as in its
// timers. The instant is shown in the machine's time zone, as feelin's own functions do.
import { dateAndTime, parseDate } from 'feelin';

const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const utc = zone === 'UTC' || zone === 'Etc/UTC';
const parts = new Intl.DateTimeFormat('en-CA', {
  timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

/** The wall time at `at` in the machine's zone: `2026-11-26T23:22:57.123`. */
function localText(at: number): string {
  if (utc) return new Date(at).toISOString().slice(0, -1);
  const p = Object.fromEntries(parts.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  const ms = String(((at % 1000) + 1000) % 1000).padStart(3, '0');
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}.${ms}`;
}

/** What `now()` and `today()` answer at `at`, as FEEL text: a date and time with the zone, a date. */
export function clockTexts(at: number): { now: string; today: string } {
  const local = localText(at);
  return { now: `${local}${utc ? 'Z' : `@${zone}`}`, today: local.slice(0, 10) };
}

/** `now` and `today` for an evaluation context, reading the time from `clock`. */
export function clockFunctions(clock: () => number): Record<string, unknown> {
  const now = () => dateAndTime(clockTexts(clock()).now);
  const today = () => parseDate(clockTexts(clock()).today);
  return { now: Object.assign(now, { $args: [] }), today: Object.assign(today, { $args: [] }) };
}
