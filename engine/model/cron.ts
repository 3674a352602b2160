// Cron time cycles. Zeebe reads a timeCycle that does not start with 'R' as a Spring
// CronExpression: six fields (second minute hour day-of-month month day-of-week), names (JAN, MON),
// '?', 'L', 'W', '#', steps like 0/5, macros (@hourly, @daily, @midnight, @weekly, @monthly,
// @yearly, @annually), day-of-month AND day-of-week both have to match. Evaluated in UTC, like the
// examples in Camunda's timer documentation.
//
// Matching is delegated to croner (zero dependencies); this file adapts Spring syntax to it.
import { Cron } from 'croner';

const MACROS: Record<string, string> = {
  '@yearly': '0 0 0 1 1 *',
  '@annually': '0 0 0 1 1 *',
  '@monthly': '0 0 0 1 * *',
  '@weekly': '0 0 0 * * 0',
  '@daily': '0 0 0 * * *',
  '@midnight': '0 0 0 * * *',
  '@hourly': '0 0 * * * *',
};

const FIELD_MAX = [59, 59, 23, 31, 12, 7];

export class CronError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronError';
  }
}

/** Rewrite a Spring cron expression into croner's dialect. */
function toCroner(expression: string): string {
  const trimmed = expression.trim();
  const macro = MACROS[trimmed.toLowerCase()];
  const fields = (macro ?? trimmed).toUpperCase().split(/\s+/);
  if (fields.length !== 6) {
    throw new CronError(`Invalid cron expression '${expression}': expected 6 fields (second minute hour day-of-month month day-of-week), got ${fields.length}`);
  }
  return fields
    .map((field, i) =>
      field
        .split(',')
        .map((part) => {
          // Spring/Quartz 'start/step' means start-max/step
          const step = /^(\d+)\/(\d+)$/.exec(part);
          if (step) return `${step[1]}-${FIELD_MAX[i]}/${step[2]}`;
          // day-of-week '5L' / 'FRIL' (last Friday of the month)
          const last = i === 5 ? /^([0-7]|[A-Z]{3})L$/.exec(part) : null;
          if (last) return `${last[1]}#L`;
          return part;
        })
        .join(','),
    )
    .join(' ');
}

function compile(expression: string): Cron {
  try {
    return new Cron(toCroner(expression), { timezone: 'UTC', domAndDow: true, mode: '6-part', paused: true });
  } catch (err) {
    if (err instanceof CronError) throw err;
    throw new CronError(`Invalid cron expression '${expression}': ${(err as Error).message.replace(/^CronPattern: /, '')}`);
  }
}

/** Throws CronError when the expression is not a valid (Spring-style) cron expression. */
export function checkCron(expression: string): void {
  compile(expression);
}

/** The first time strictly after `from` matching the expression, or null when there is none. */
export function nextCronTime(expression: string, from: Date): Date | null {
  return compile(expression).nextRun(from);
}
