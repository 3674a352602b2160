import assert from 'node:assert/strict';
import { addIsoDuration, nextCronTime, nextDue, parseIsoDateTime, parseIsoDuration, parseTimer, checkTimer, TimerError } from '../engine/model/index.ts';

const at = (iso: string) => new Date(iso);
const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

describe('model: timers', () => {
  describe('timeDuration', () => {
    it('parses ISO 8601 durations, weeks and fractions included', () => {
      assert.deepEqual(parseIsoDuration('P1Y2M3W4DT5H6M7.5S'), { years: 1, months: 2, weeks: 3, days: 4, hours: 5, minutes: 6, seconds: 7.5 });
      assert.deepEqual(parseIsoDuration('PT15M').minutes, 15);
      assert.equal(parseIsoDuration('P2W').weeks, 2);
    });

    it('refuses what is not an ISO 8601 duration', () => {
      for (const bad of ['5 minutes', 'P', 'PT', 'P1.5D', '15M', '-PT1M']) {
        assert.match(checkTimer('timeDuration', bad) ?? '', /Invalid timeDuration/, bad);
      }
      assert.match(checkTimer('timeDuration', '-PT1M') ?? '', /negative/);
    });

    it('is due once, the duration after the element was entered', () => {
      const timer = parseTimer('timeDuration', 'PT15M');
      const due = nextDue(timer, at('2026-11-26T10:00:00Z'));
      assert.equal(iso(due?.dueAt), '2026-11-26T10:15:00.000Z');
      assert.equal(due?.repetitionsLeft, 0);
      assert.equal(nextDue(timer, at('2026-11-26T10:15:00Z'), due!), null);
    });

    it('adds months on the calendar, clamping to the end of the month', () => {
      const tz = process.env.TZ;
      const from = new Date(2026, 0, 31, 10, 0, 0); // local time: the date part follows the server's zone
      const next = addIsoDuration(from, parseIsoDuration('P1M'));
      assert.deepEqual([next.getFullYear(), next.getMonth(), next.getDate(), next.getHours()], [2026, 1, 28, 10], String(tz));
      const leap = addIsoDuration(new Date(2024, 0, 31, 10), parseIsoDuration('P1M'));
      assert.equal(leap.getDate(), 29);
      assert.equal(addIsoDuration(at('2026-11-26T10:00:00Z'), parseIsoDuration('PT36H')).toISOString(), '2026-11-27T22:00:00.000Z');
    });
  });

  describe('timeDate', () => {
    it('accepts an offset, Z, a zone id, or both', () => {
      assert.equal(iso(parseIsoDateTime('2026-11-26T10:00:00+08:00')), '2026-11-26T02:00:00.000Z');
      assert.equal(iso(parseIsoDateTime('2026-11-26T02:00:00Z')), '2026-11-26T02:00:00.000Z');
      assert.equal(iso(parseIsoDateTime('2026-11-26T10:00:00[Asia/Shanghai]')), '2026-11-26T02:00:00.000Z');
      assert.equal(iso(parseIsoDateTime('2026-11-26T10:00:00+08:00[Asia/Shanghai]')), '2026-11-26T02:00:00.000Z');
      assert.equal(iso(parseIsoDateTime('2026-11-26T10:00+01:00')), '2026-11-26T09:00:00.000Z');
    });

    it('resolves DST gaps forward and overlaps to the earlier offset', () => {
      assert.equal(iso(parseIsoDateTime('2026-03-29T02:30:00[Europe/Berlin]')), '2026-03-29T01:30:00.000Z');
      assert.equal(iso(parseIsoDateTime('2026-10-25T02:30:00[Europe/Berlin]')), '2026-10-25T00:30:00.000Z');
    });

    it('refuses local date-times, impossible dates and unknown zones', () => {
      assert.match(checkTimer('timeDate', '2026-11-26T10:00:00') ?? '', /needs an offset/);
      assert.match(checkTimer('timeDate', '2026-02-30T10:00:00Z') ?? '', /out of range/);
      assert.match(checkTimer('timeDate', '2026-11-26T10:00:00[Mars/Olympus]') ?? '', /unknown time zone/);
      assert.match(checkTimer('timeDate', 'tomorrow') ?? '', /Invalid timeDate/);
    });

    it('accepts a local date-time coming from a FEEL expression', () => {
      const timer = parseTimer('timeDate', '2026-11-26T10:00:00', { fromExpression: true });
      assert.equal(timer.type, 'date');
    });

    it('is due at the date, once (at once when already past)', () => {
      const timer = parseTimer('timeDate', '2026-11-26T10:00:00Z');
      const due = nextDue(timer, at('2026-11-27T00:00:00Z'));
      assert.equal(iso(due?.dueAt), '2026-11-26T10:00:00.000Z');
      assert.equal(nextDue(timer, at('2026-11-27T00:00:00Z'), due!), null);
    });
  });

  describe('timeCycle: repeating intervals', () => {
    it('parses repetitions, optional start and interval', () => {
      assert.deepEqual(parseTimer('timeCycle', 'R5/PT10S'), { type: 'cycle', source: 'R5/PT10S', repetitions: 5, start: null, interval: parseIsoDuration('PT10S') });
      const infinite = parseTimer('timeCycle', 'R/P1D');
      assert.equal(infinite.type === 'cycle' && infinite.repetitions, null);
      const started = parseTimer('timeCycle', 'R3/2026-11-26T09:00:00Z/P1D');
      assert.equal(started.type === 'cycle' && iso(started.start), '2026-11-26T09:00:00.000Z');
    });

    it('refuses malformed cycles', () => {
      assert.match(checkTimer('timeCycle', 'R5') ?? '', /expected R\[n\]/);
      assert.match(checkTimer('timeCycle', 'R5/PT0S') ?? '', /longer than zero/);
      assert.match(checkTimer('timeCycle', 'Rx/PT1M') ?? '', /expected R\[n\]/);
      assert.match(checkTimer('timeCycle', 'R2/2026-01-01T00:00:00/PT1M') ?? '', /needs an offset/);
    });

    it('fires n times: first after one interval, then every interval', () => {
      const timer = parseTimer('timeCycle', 'R3/PT10M');
      const first = nextDue(timer, at('2026-11-26T10:00:00Z'))!;
      assert.deepEqual([iso(first.dueAt), first.repetitionsLeft], ['2026-11-26T10:10:00.000Z', 2]);
      const second = nextDue(timer, at('2026-11-26T10:10:01Z'), first)!;
      assert.deepEqual([iso(second.dueAt), second.repetitionsLeft], ['2026-11-26T10:20:00.000Z', 1]);
      const third = nextDue(timer, at('2026-11-26T10:20:00Z'), second)!;
      assert.deepEqual([iso(third.dueAt), third.repetitionsLeft], ['2026-11-26T10:30:00.000Z', 0]);
      assert.equal(nextDue(timer, at('2026-11-26T10:30:00Z'), third), null);
    });

    it('does not fire missed cycles in a burst', () => {
      const timer = parseTimer('timeCycle', 'R/PT10M');
      const first = nextDue(timer, at('2026-11-26T10:00:00Z'))!;
      const late = nextDue(timer, at('2026-11-26T11:05:00Z'), first)!;
      assert.deepEqual([iso(late.dueAt), late.repetitionsLeft], ['2026-11-26T11:15:00.000Z', null]);
    });

    it('starts at the start date (at once when it has passed)', () => {
      const timer = parseTimer('timeCycle', 'R2/2026-11-26T09:00:00Z/PT1H');
      assert.equal(iso(nextDue(timer, at('2026-11-26T08:00:00Z'))?.dueAt), '2026-11-26T09:00:00.000Z');
      const overdue = nextDue(timer, at('2026-11-26T09:30:00Z'))!;
      assert.equal(iso(overdue.dueAt), '2026-11-26T09:30:00.000Z');
      assert.equal(iso(nextDue(timer, at('2026-11-26T09:30:00Z'), overdue)?.dueAt), '2026-11-26T10:30:00.000Z');
    });

    it('R0 and R1 fire once', () => {
      for (const text of ['R0/PT1M', 'R1/PT1M']) {
        const first = nextDue(parseTimer('timeCycle', text), at('2026-11-26T10:00:00Z'))!;
        assert.equal(first.repetitionsLeft, 0, text);
      }
    });
  });

  describe('timeCycle: cron', () => {
    it('reads Spring cron expressions (seconds first, names, ?, L, #, steps, macros) in UTC', () => {
      const from = at('2026-11-26T10:15:00Z'); // a Thursday
      assert.equal(iso(nextCronTime('0 0 9-17 * * MON-FRI', from)), '2026-11-26T11:00:00.000Z');
      assert.equal(iso(nextCronTime('0 0/5 * * * ?', from)), '2026-11-26T10:20:00.000Z');
      assert.equal(iso(nextCronTime('@daily', from)), '2026-11-27T00:00:00.000Z');
      assert.equal(iso(nextCronTime('@hourly', from)), '2026-11-26T11:00:00.000Z');
      assert.equal(iso(nextCronTime('0 0 12 L * *', from)), '2026-11-30T12:00:00.000Z');
      assert.equal(iso(nextCronTime('0 0 12 * * 5L', from)), '2026-11-27T12:00:00.000Z');
      assert.equal(iso(nextCronTime('0 0 12 ? * fri#2', from)), '2026-12-11T12:00:00.000Z');
    });

    it('requires day-of-month AND day-of-week to match, as Spring does', () => {
      assert.equal(iso(nextCronTime('0 0 0 13 * FRI', at('2026-11-26T00:00:00Z'))), '2027-08-13T00:00:00.000Z');
    });

    it('refuses malformed cron expressions', () => {
      assert.match(checkTimer('timeCycle', '* * *') ?? '', /expected 6 fields/);
      assert.match(checkTimer('timeCycle', '0 0 25 * * *') ?? '', /hour/);
      assert.match(checkTimer('timeCycle', 'every day') ?? '', /cron expression/);
      assert.throws(() => parseTimer('timeCycle', 'P1D'), TimerError);
    });

    it('fires forever, each time after the previous one', () => {
      const timer = parseTimer('timeCycle', '0 0 8 * * *');
      const first = nextDue(timer, at('2026-11-26T10:00:00Z'))!;
      assert.deepEqual([iso(first.dueAt), first.repetitionsLeft], ['2026-11-27T08:00:00.000Z', null]);
      assert.equal(iso(nextDue(timer, at('2026-11-27T08:00:00Z'), first)?.dueAt), '2026-11-28T08:00:00.000Z');
      assert.equal(nextDue(parseTimer('timeCycle', '0 0 0 31 2 *'), at('2026-01-01T00:00:00Z')), null);
    });
  });
});
