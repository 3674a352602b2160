import assert from 'node:assert/strict';
import { evaluate } from '../engine/feel/index.ts';
import {
  addWorkingDays, COVERED_YEARS, isWorkingDay, workingDaysBetween, workingHoursBefore, WorkingDayError,
} from '../processes/working-days.ts';
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

  it('fails clearly beyond the years the library covers, rather than guess', () => {
    assert.ok(COVERED_YEARS.first <= 2026 && COVERED_YEARS.last >= 2026);
    const next = COVERED_YEARS.last + 1;
    assert.throws(() => isWorkingDay(at(`${next}-03-02T10:00:00+08:00`)), (err: Error) => err instanceof WorkingDayError && new RegExp(`outside the Chinese working-day calendar, which covers ${COVERED_YEARS.first}–${COVERED_YEARS.last}`).test(err.message));
    assert.throws(() => addWorkingDays(at(`${COVERED_YEARS.last}-12-30T10:00:00+08:00`), 10), WorkingDayError);
    assert.throws(() => addWorkingDays(at('2026-02-13T10:00:00+08:00'), 1.5), /whole number/);
    assert.throws(() => workingHoursBefore(at('2026-02-13T10:00:00+08:00'), -1), /0 or more/);
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
    assert.throws(() => evaluate(`=is working day(date("${COVERED_YEARS.last + 1}-05-03"))`), /outside the Chinese working-day calendar/);
  });
});

describe('working days: in a deployed diagram', () => {
  let rt: EmbeddedRuntime;
  let clock: TestClock;
  let timers: any;
  before(async () => {
    let db;
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

  it('raises an incident naming the calendar when the date is beyond it', async () => {
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'sla', variables: { filedAt: `${COVERED_YEARS.last + 1}-03-01T10:00:00+08:00`, slaDays: 1 } });
    await rt.idle();
    const incidents = await rt.searchIncidents({ filter: { processInstanceKey } });
    assert.equal(incidents.items.length, 1);
    assert.match(incidents.items[0]!.errorMessage, /outside the Chinese working-day calendar/);
  });
});
