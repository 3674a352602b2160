// FEEL values across threads: temporal values travel as their ISO text and come back as the same
// feelin types (a structured clone would keep their fields but lose their classes).
import { date, dateAndTime, duration, time, FeelDate, FeelDateTime, FeelDuration, FeelTime } from 'feelin';

type Tagged = { $feel: 'date' | 'time' | 'date and time' | 'duration'; text: string };

const makers: Record<Tagged['$feel'], (text: string) => unknown> = { date, time, 'date and time': dateAndTime, duration };

export function toTransfer(v: unknown): unknown {
  if (v instanceof FeelDate) return { $feel: 'date', text: String(v) };
  if (v instanceof FeelTime) return { $feel: 'time', text: String(v) };
  if (v instanceof FeelDateTime) return { $feel: 'date and time', text: String(v) };
  if (v instanceof FeelDuration) return { $feel: 'duration', text: String(v) };
  if (typeof v === 'function') return null;
  if (Array.isArray(v)) return v.map(toTransfer);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toTransfer(x)]));
  return v;
}

export function fromTransfer(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromTransfer);
  if (v && typeof v === 'object') {
    const t = v as Tagged;
    if (typeof t.$feel === 'string' && typeof t.text === 'string' && makers[t.$feel]) return makers[t.$feel](t.text);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromTransfer(x)]));
  }
  return v;
}
