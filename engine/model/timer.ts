// Timer definitions (bpmn:timerEventDefinition) as Camunda 8 reads them, and their due dates.
//
//   timeDuration  ISO 8601 duration: PT15M, P2D, P1W, P1Y2M3DT4H
//   timeDate      ISO 8601 date-time with offset or zone id: 2026-11-26T10:00:00+08:00,
//                 2026-11-26T02:00:00Z, 2026-11-26T10:00:00+08:00[Asia/Shanghai]
//   timeCycle     R[n]/[start/]duration (no n = repeat forever): R5/PT10S, R/P1D,
//                 R3/2026-11-26T09:00:00Z/P1D; or a Spring cron expression (six fields, see
//                 cron.ts): 0 0 9-17 * * MON-FRI, @daily
//
// A value starting with '=' is a FEEL expression; the engine evaluates it and passes the result
// (as text) to parseTimer with `fromExpression: true`, which also accepts a local date-time
// (Zeebe reads a FEEL local date-time in the server's time zone).
//
// Scheduling, as Zeebe does it:
// - duration: due `from` + duration; fires once.
// - date: due at the date (a date in the past fires at once); fires once.
// - cycle without start: first due `from` + interval. With a start: due at the start (at once
//   when the start has passed). After a firing, the next is the last due date + interval, or
//   now + interval when that has already passed (missed cycles are not fired in a burst).
//   Rn fires n times in all (R0 and R1 once); R fires until the element is left.
// - cron: the next matching second strictly after `from` (after a firing: after now); forever.
import { checkCron, CronError, nextCronTime } from './cron.ts';
import { addIsoDuration, Iso8601Error, isZeroDuration, parseIsoDateTime, parseIsoDuration, type IsoDuration } from './iso8601.ts';
import type { TimerKind } from './types.ts';

export type { TimerKind };

export type Timer =
  | { type: 'duration'; source: string; duration: IsoDuration }
  | { type: 'date'; source: string; at: Date }
  | { type: 'cycle'; source: string; repetitions: number | null; start: Date | null; interval: IsoDuration }
  | { type: 'cron'; source: string; expression: string };

/** A scheduled firing: persist it with the timer's source text to re-arm later. */
export interface TimerDue {
  dueAt: Date;
  /** Firings still to come after this one; null = unbounded. */
  repetitionsLeft: number | null;
}

export class TimerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimerError';
  }
}

export interface ParseTimerOptions {
  /** The text is a FEEL result: a date-time without offset/zone is read in the server's zone. */
  fromExpression?: boolean;
}

/** Parse a static (non-FEEL) timer value. Throws TimerError with a user-facing message. */
export function parseTimer(kind: TimerKind, text: string, opts: ParseTimerOptions = {}): Timer {
  const source = text.trim();
  if (source.length === 0) throw new TimerError(`Empty ${kind}`);
  try {
    switch (kind) {
      case 'timeDuration':
        return { type: 'duration', source, duration: parseIsoDuration(source) };
      case 'timeDate':
        return { type: 'date', source, at: parseIsoDateTime(source, { allowLocal: opts.fromExpression }) };
      case 'timeCycle':
        return source.toUpperCase().startsWith('R') ? parseRepeating(source, opts) : parseCron(source);
    }
  } catch (err) {
    if (err instanceof Iso8601Error || err instanceof CronError) throw new TimerError(`Invalid ${kind} '${source}': ${stripPrefix(err.message)}`);
    throw err;
  }
}

/** parseTimer as a check: the problem text, or null when the value is valid. */
export function checkTimer(kind: TimerKind, text: string): string | null {
  try {
    parseTimer(kind, text);
    return null;
  } catch (err) {
    if (err instanceof TimerError) return err.message;
    throw err;
  }
}

function stripPrefix(message: string): string {
  return message.replace(/^Invalid (duration|date-time|cron expression) '[^']*': /, '');
}

function parseRepeating(source: string, opts: ParseTimerOptions): Timer {
  const m = /^R(\d*)\/(?:(.+)\/)?([^/]+)$/i.exec(source);
  if (!m) throw new TimerError(`Invalid timeCycle '${source}': expected R[n]/[start/]duration, e.g. R5/PT10S, R/P1D or R3/2026-11-26T09:00:00Z/P1D`);
  const repetitions = m[1] === '' ? null : Number(m[1]);
  if (repetitions !== null && !Number.isSafeInteger(repetitions)) throw new TimerError(`Invalid timeCycle '${source}': repetition count out of range`);
  const start = m[2] === undefined ? null : parseIsoDateTime(m[2], { allowLocal: opts.fromExpression });
  const interval = parseIsoDuration(m[3]!);
  if (isZeroDuration(interval)) throw new TimerError(`Invalid timeCycle '${source}': the interval must be longer than zero`);
  return { type: 'cycle', source, repetitions, start, interval };
}

function parseCron(source: string): Timer {
  try {
    checkCron(source);
  } catch (err) {
    if (err instanceof CronError) {
      throw new TimerError(`Invalid timeCycle '${source}': expected an ISO 8601 repeating interval (R[n]/[start/]duration, e.g. R/P1D) or a cron expression (e.g. 0 0 9 * * MON-FRI); ${stripPrefix(err.message)}`);
    }
    throw err;
  }
  return { type: 'cron', source, expression: source };
}

/**
 * When the timer fires next. Without `previous`: the first firing, for an element entered (or a
 * timer start event deployed) at `from`. With `previous` (the firing that just happened): the
 * following firing, `from` being now; null when the timer is done.
 */
export function nextDue(timer: Timer, from: Date, previous?: TimerDue): TimerDue | null {
  switch (timer.type) {
    case 'duration':
      return previous ? null : { dueAt: addIsoDuration(from, timer.duration), repetitionsLeft: 0 };
    case 'date':
      return previous ? null : { dueAt: new Date(timer.at.getTime()), repetitionsLeft: 0 };
    case 'cron': {
      const after = previous && previous.dueAt > from ? previous.dueAt : from;
      const dueAt = nextCronTime(timer.expression, after);
      return dueAt ? { dueAt, repetitionsLeft: null } : null;
    }
    case 'cycle': {
      if (!previous) {
        const repetitionsLeft = timer.repetitions === null ? null : Math.max(timer.repetitions - 1, 0);
        if (timer.start) return { dueAt: timer.start > from ? new Date(timer.start.getTime()) : new Date(from.getTime()), repetitionsLeft };
        return { dueAt: addIsoDuration(from, timer.interval), repetitionsLeft };
      }
      if (previous.repetitionsLeft !== null && previous.repetitionsLeft <= 0) return null;
      const natural = addIsoDuration(previous.dueAt, timer.interval);
      const dueAt = natural > from ? natural : addIsoDuration(from, timer.interval);
      return { dueAt, repetitionsLeft: previous.repetitionsLeft === null ? null : previous.repetitionsLeft - 1 };
    }
  }
}
