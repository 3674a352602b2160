import assert from 'node:assert/strict';
import { evaluate } from '../engine/feel/index.ts';
import {
  addWorkingDays, calendarSourceOf, COVERED_YEARS, isWorkingDay, onProvisionalYear, PROVISIONAL_LIMIT, provisionalYearsCounted,
  setCalendarSupplement, workingDaysBetween, workingHoursBefore, WorkingDayError,
} from '../processes/working-days.ts';
import { WorkingCalendar } from '../processes/calendar/store.ts';
import { bpmn, flow } from './helpers/bpmn.ts';
import { deployXml, testRuntime, type TestClock } from './helpers/runtime.ts';
import type { EmbeddedRuntime } from '../engine/embedded/embedded-runtime.ts';

const at = (iso: string) => new Date(iso);
const feel = (expr: string) => evaluate(`=${expr}`).value;

describe('working days: the Chinese calendar', () => {
  it('knows the 2026 Spring Festival (Feb 15–23 off) and its make-up Saturdays (Feb 14, Feb 28)', () => {
    assert.equal(isWorkingDay(at('2026-02-13T10:00:00+08:00')), true, 'Friday before');
    assert.equal(isWorkingDay(at('2026-02-14T10:00:00+08:00')), true, 'make-up Saturday');
    for (let d = 15; d <= 23; d += 1) assert.equal(isWorkingDay(at(`2026-02-${d}T10:00:00+08:00`)), false, `Feb ${d}`);
    assert.equal(isWorkingDay(at('2026-02-24T10:00:00+08:00')), true);
    assert.equal(isWorkingDay(at('2026-02-28T10:00:00+08:00')), true, 'make-up Saturday');
    assert.equal(isWorkingDay(at('2026-03-01T10:00:00+08:00')), false, 'ordinary Sunday');
    assert.equal(isWorkingDay(at('2026-10-01T10:00:00+08:00')), false, 'National Day');
  });

  it('reads days in the zone (UTC+8), not in UTC', () => {
    // 2026-02-14T20:00Z is already Sunday the 15th in the zone: a holiday.
    assert.equal(isWorkingDay(at('2026-02-14T20:00:00Z')), false);
    assert.equal(isWorkingDay(at('2026-02-13T17:00:00Z')), true); // Sat 14th 01:00 in the zone
  });

  it('adds working days across the Spring Festival and onto a make-up workday', () => {
    assert.equal(addWorkingDays(at('2026-02-13T10:00:00+08:00'), 1).toISOString(), '2026-02-14T02:00:00.000Z');
    assert.equal(addWorkingDays(at('2026-02-13T10:00:00+08:00'), 2).toISOString(), '2026-02-24T02:00:00.000Z');
    assert.equal(addWorkingDays(at('2026-02-13T10:00:00+08:00'), 6).toISOString(), '2026-02-28T02:00:00.000Z');
    assert.equal(addWorkingDays(at('2026-02-24T10:00:00+08:00'), -2).toISOString(), '2026-02-13T02:00:00.000Z');
    // From a holiday, the first working day after it counts as one.
    assert.equal(addWorkingDays(at('2026-02-18T10:00:00+08:00'), 1).toISOString(), '2026-02-24T02:00:00.000Z');
    assert.equal(addWorkingDays(at('2026-02-18T10:00:00+08:00'), 0).toISOString(), '2026-02-18T02:00:00.000Z');
  });

  it('counts working days between two dates (after the first, up to and including the second)', () => {
    assert.equal(workingDaysBetween(at('2026-02-13T10:00:00+08:00'), at('2026-02-28T10:00:00+08:00')), 6);
    assert.equal(workingDaysBetween(at('2026-02-28T10:00:00+08:00'), at('2026-02-13T10:00:00+08:00')), -6);
    assert.equal(workingDaysBetween(at('2026-02-13T09:00:00+08:00'), at('2026-02-13T18:00:00+08:00')), 0);
    assert.equal(workingDaysBetween(at('2026-11-02T10:00:00+08:00'), at('2026-11-09T10:00:00+08:00')), 5);
  });

  it('goes back working hours (09:00–17:00) over nights, weekends and the holiday', () => {
    assert.equal(workingHoursBefore(at('2026-02-24T15:00:00+08:00'), 4).toISOString(), '2026-02-24T03:00:00.000Z'); // 11:00
    // 10:00 on the first day back, 4 hours: one from that morning, three from the make-up Saturday.
    assert.equal(workingHoursBefore(at('2026-02-24T10:00:00+08:00'), 4).toISOString(), '2026-02-14T06:00:00.000Z'); // 14:00
    // A deadline after hours counts from the close of work.
    assert.equal(workingHoursBefore(at('2026-11-27T22:00:00+08:00'), 2).toISOString(), '2026-11-27T07:00:00.000Z'); // Fri 15:00
    // Exactly a day's work back from a morning ends at the previous day's same time.
    assert.equal(workingHoursBefore(at('2026-11-30T11:00:00+08:00'), 8).toISOString(), '2026-11-27T03:00:00.000Z'); // Fri 11:00
    assert.equal(workingHoursBefore(at('2026-11-30T11:00:00+08:00'), 0).toISOString(), '2026-11-30T03:00:00.000Z');
  });

  it('still refuses years before the library and after the lunar tables, and bad arguments', () => {
    assert.ok(COVERED_YEARS.first <= 2026 && COVERED_YEARS.last >= 2026);
    const outside = (err: Error) => err instanceof WorkingDayError && /outside the Chinese working-day calendar/.test(err.message);
    assert.throws(() => isWorkingDay(at(`${COVERED_YEARS.first - 1}-03-03T10:00:00+08:00`)), outside);
    assert.throws(() => isWorkingDay(at(`${PROVISIONAL_LIMIT + 1}-03-03T10:00:00+08:00`)), outside);
    assert.throws(() => addWorkingDays(at('2026-02-13T10:00:00+08:00'), 1.5), /whole number/);
    assert.throws(() => addWorkingDays(at('2026-02-13T10:00:00+08:00'), 3_661), /at most 3660/);
    assert.throws(() => workingHoursBefore(at('2026-02-13T10:00:00+08:00'), -1), /0 or more/);
  });
});

describe('working days: a year the library does not cover', () => {
  // 2027 as this file imagines the State Council's notice: 春节 Feb 5–11, make-up Sunday Jan 31 and Saturday Feb 20.
  const spring = ['05', '06', '07', '08', '09', '10', '11'].map((d) => ({ date: `2027-02-${d}`, name: '春节' }));
  const notice2027 = { year: 2027, holidays: [{ date: '2027-01-01', name: '元旦' }, ...spring], workdays: [{ date: '2027-01-31', name: '春节' }, { date: '2027-02-20', name: '春节' }] };
  afterEach(() => setCalendarSupplement([]));

  it('counts it provisionally: weekends and the statutory holidays, no make-up workdays', () => {
    assert.equal(calendarSourceOf(2027), 'provisional');
    assert.equal(isWorkingDay(at('2027-01-01T10:00:00+08:00')), false, '元旦');
    assert.equal(isWorkingDay(at('2027-02-04T10:00:00+08:00')), true, 'Thursday before 除夕');
    for (const d of ['05', '06', '07', '08']) assert.equal(isWorkingDay(at(`2027-02-${d}T10:00:00+08:00`)), false, `Feb ${d}: 除夕 to 初三`);
    assert.equal(isWorkingDay(at('2027-02-09T10:00:00+08:00')), true, '初四 is a Tuesday like any other');
    assert.equal(isWorkingDay(at('2027-02-20T10:00:00+08:00')), false, 'no make-up Saturday');
    assert.equal(isWorkingDay(at('2027-04-05T10:00:00+08:00')), false, '清明');
    assert.equal(isWorkingDay(at('2027-06-09T10:00:00+08:00')), false, '端午');
    assert.equal(isWorkingDay(at('2027-09-15T10:00:00+08:00')), false, '中秋');
    for (const d of ['01', '02']) assert.equal(isWorkingDay(at(`2027-05-${d}T10:00:00+08:00`)), false, `May ${d}`);
    assert.equal(isWorkingDay(at('2027-10-04T10:00:00+08:00')), true, 'Oct 4 is past the statutory three days');
  });

  it('crosses from 2026 into 2027 instead of failing', () => {
    // Wed Dec 30 + 3: Thu 31 (1), 元旦 Friday and the weekend off, Mon Jan 4 (2), Tue Jan 5 (3).
    assert.equal(addWorkingDays(at('2026-12-30T10:00:00+08:00'), 3).toISOString(), '2027-01-05T02:00:00.000Z');
    assert.equal(workingDaysBetween(at('2026-12-30T10:00:00+08:00'), at('2027-01-05T10:00:00+08:00')), 3);
    assert.equal(workingHoursBefore(at('2027-01-04T10:00:00+08:00'), 2).toISOString(), '2026-12-31T08:00:00.000Z'); // Thu 16:00
    assert.equal(feel('add working days(date("2027-02-04"), 1)'), '2027-02-09');
  });

  it('warns once per provisional year, and lists it', () => {
    const lines: string[] = [];
    onProvisionalYear((line) => lines.push(line));
    try {
      addWorkingDays(at('2031-03-03T10:00:00+08:00'), 30);
      addWorkingDays(at('2031-06-03T10:00:00+08:00'), 30);
    } finally {
      onProvisionalYear((line) => console.warn(line));
    }
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /2031 is counted provisionally/);
    assert.ok(provisionalYearsCounted().includes(2031));
  });

  it('follows the notice once an administrator has entered it: Spring Festival and a make-up workday', () => {
    assert.equal(addWorkingDays(at('2027-02-04T10:00:00+08:00'), 1).toISOString(), '2027-02-09T02:00:00.000Z', 'provisional');
    setCalendarSupplement([notice2027]);
    assert.equal(calendarSourceOf(2027), 'supplement');
    assert.equal(addWorkingDays(at('2027-02-04T10:00:00+08:00'), 1).toISOString(), '2027-02-12T02:00:00.000Z', 'Feb 5–11 off');
    assert.equal(isWorkingDay(at('2027-02-20T10:00:00+08:00')), true, 'make-up Saturday');
    assert.equal(isWorkingDay(at('2027-01-31T10:00:00+08:00')), true, 'make-up Sunday');
    assert.equal(workingDaysBetween(at('2027-02-12T10:00:00+08:00'), at('2027-02-22T10:00:00+08:00')), 7); // 15–19, Sat 20, Mon 22
    assert.equal(feel('is working day(date("2027-02-20"))'), true);
    assert.ok(!provisionalYearsCounted().includes(2027));
    setCalendarSupplement([]);
    assert.equal(isWorkingDay(at('2027-02-20T10:00:00+08:00')), false, 'provisional again once deleted');
  });

  it('never lets an entered year override one the library covers', () => {
    setCalendarSupplement([{ year: 2026, holidays: [{ date: '2026-03-02', name: '假' }], workdays: [] }]);
    assert.equal(calendarSourceOf(2026), 'library');
    assert.equal(isWorkingDay(at('2026-03-02T10:00:00+08:00')), true);
  });
});

describe('working days: FEEL functions', () => {
  it('take dates, date-times (zoned or the zone\'s wall clock) and ISO strings', () => {
    assert.equal(feel('add working days(date("2026-02-13"), 2)'), '2026-02-24');
    assert.equal(feel('add working days(date and time("2026-02-13T10:00:00+08:00"), 2)'), '2026-02-24T10:00:00+08:00');
    assert.equal(feel('add working days(date and time("2026-02-13T02:00:00Z"), 2)'), '2026-02-24T02:00:00Z');
    assert.equal(feel('add working days(date and time("2026-02-13T10:00:00"), 2)'), '2026-02-24T10:00:00+08:00');
    assert.equal(feel('add working days("2026-02-13T10:00:00+08:00", 1)'), '2026-02-14T10:00:00+08:00');
    assert.equal(feel('add working days(from: date("2026-02-13"), days: 6)'), '2026-02-28');
    assert.equal(feel('working days between(date("2026-02-13"), date("2026-02-28"))'), 6);
    assert.equal(feel('working hours before(date and time("2026-02-24T10:00:00+08:00"), 4)'), '2026-02-14T14:00:00+08:00');
    assert.equal(feel('is working day(date("2026-02-14"))'), true);
    assert.equal(feel('is working day(date("2026-02-16"))'), false);
    assert.equal(feel('add working days(date("2026-02-13"), 2) > date("2026-02-20")'), true);
  });

  it('turn bad arguments and uncovered years into FEEL errors naming the cause', () => {
    assert.throws(() => evaluate('=add working days(null, 1)'), /from must be a date/);
    assert.throws(() => evaluate('=add working days(date("2026-02-13"), "two")'), /days must be a whole number/);
    assert.throws(() => evaluate(`=is working day(date("${PROVISIONAL_LIMIT + 1}-05-03"))`), /outside the Chinese working-day calendar/);
  });
});

describe('working days: in a deployed diagram', () => {
  let rt: EmbeddedRuntime;
  let clock: TestClock;
  let timers: any;
  let db: Awaited<ReturnType<typeof testRuntime>>['db'];
  before(async () => {
    ({ runtime: rt, clock, db } = await testRuntime('working_days'));
    timers = db.connection.db!.collection('timers');
  });
  after(() => rt.stop());

  const diagram = bpmn('sla', `
    <bpmn:startEvent id="s"/>${flow('f0', 's', 'wait')}
    <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDate>=add working days(filedAt, slaDays)</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    ${flow('f1', 'wait', 'e')}<bpmn:endEvent id="e"/>`);

  it('sets a task\'s due date and a warning with the functions across the Spring Festival', async () => {
    await deployXml(rt, 'sla.bpmn', diagram);
    await deployXml(rt, 'due.bpmn', bpmn('due', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'handle')}
      <bpmn:userTask id="handle"><bpmn:extensionElements><zeebe:userTask/>
        <zeebe:taskSchedule dueDate="=add working days(filedAt, 2)" followUpDate="=working hours before(add working days(filedAt, 2), 4)"/>
      </bpmn:extensionElements></bpmn:userTask>
      ${flow('f1', 'handle', 'e')}<bpmn:endEvent id="e"/>`));
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'due', variables: { filedAt: '2026-02-13T10:00:00+08:00' } });
    const [task] = (await rt.searchUserTasks({ filter: { processInstanceKey } })).items;
    assert.equal(task!.dueDate, '2026-02-24T10:00:00+08:00');
    assert.equal(task!.followUpDate, '2026-02-14T14:00:00+08:00');
  });

  it('fires on the working day it names, not before', async () => {
    const filedAt = new Date(clock.now());
    const due = addWorkingDays(filedAt, 3);
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'sla', variables: { filedAt: filedAt.toISOString(), slaDays: 3 } });
    const tick = async (ms: number) => { clock.advance(ms); await rt.timers.tick(); await rt.idle(); };
    await tick(+due - clock.now() - 60_000);
    assert.equal((await rt.getProcessInstance(processInstanceKey)).state, 'ACTIVE');
    await tick(120_000);
    assert.equal((await rt.getProcessInstance(processInstanceKey)).state, 'COMPLETED');
  });

  it('sets deadlines in a year not yet entered provisionally, and by the notice once it is entered', async () => {
    const calendar = new WorkingCalendar(db.connection);
    await calendar.start();
    try {
      const due = async () => {
        const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'due', variables: { filedAt: '2027-02-04T10:00:00+08:00' } });
        await rt.idle();
        assert.equal((await rt.searchIncidents({ filter: { processInstanceKey } })).items.length, 0);
        return (await rt.searchUserTasks({ filter: { processInstanceKey } })).items[0]!.dueDate;
      };
      assert.equal(await due(), '2027-02-10T10:00:00+08:00', 'provisional: 除夕 to 初三 off, so Tue 9 and Wed 10');
      const spring = ['05', '06', '07', '08', '09', '10', '11'].map((d) => ({ date: `2027-02-${d}`, name: '春节' }));
      await calendar.put(2027, { holidays: spring, workdays: [{ date: '2027-02-20', name: '春节' }] }, { title: '国务院办公厅关于2027年部分节假日安排的通知', number: null }, 0, 'admin', new Date());
      assert.equal(await due(), '2027-02-15T10:00:00+08:00', 'entered: Feb 5–11 off, so two working days are Fri 12 and Mon 15');
    } finally {
      calendar.stop();
    }
  });

  it('still raises an incident naming the calendar for a date it refuses', async () => {
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'sla', variables: { filedAt: `${PROVISIONAL_LIMIT + 1}-03-01T10:00:00+08:00`, slaDays: 1 } });
    await rt.idle();
    const incidents = await rt.searchIncidents({ filter: { processInstanceKey } });
    assert.equal(incidents.items.length, 1);
    assert.match(incidents.items[0]!.errorMessage, /outside the Chinese working-day calendar/);
  });
});
