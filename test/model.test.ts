import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  addIsoDuration, nextCronTime, nextDue, parseIsoDateTime, parseIsoDuration, parseTimer, checkTimer, TimerError,
  validateDeployment, type DeploymentProblem, type ElementModel, type ProcessModel,
} from '../engine/model/index.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/model/${name}`, import.meta.url), 'utf8');

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

describe('model: reading a deployed diagram', () => {
  let order: ProcessModel;
  let models: ProcessModel[];
  const el = (id: string): ElementModel => {
    const e = order.elements[id];
    assert.ok(e, `element ${id}`);
    return e;
  };

  before(async () => {
    const result = await validateDeployment(fixture('full.bpmn'));
    assert.deepEqual(result.problems, []);
    models = result.models;
    order = models[0]!;
  });

  it('produces one model per executable process', () => {
    assert.deepEqual(models.map((m) => m.processDefinitionId), ['order', 'archiving']);
    assert.equal(order.name, 'Order handling');
    assert.equal(order.versionTag, 'v1.2');
    assert.equal(order.hasStartForm, true);
    assert.equal(models[1]!.versionTag, null);
    assert.equal(models[1]!.hasStartForm, false);
  });

  it('is plain JSON', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(models)), models);
  });

  it('links sequence flows, defaults and boundary events', () => {
    assert.deepEqual(el('f_approved'), {
      id: 'f_approved', name: null, type: 'bpmn:SequenceFlow', parentId: null, incoming: [], outgoing: [],
      sourceRef: 'gw_approved', targetRef: 'charge', conditionExpression: '=order.approved = true',
    });
    assert.equal(el('f_rejected').conditionExpression, null);
    assert.deepEqual(el('gw_approved').outgoing, ['f_approved', 'f_rejected']);
    assert.equal(el('gw_approved').default, 'f_rejected');
    assert.deepEqual(el('review').incoming, ['f_start_review']);
    assert.deepEqual(el('review').boundaryEvents, ['remind', 'cancelled']);
    assert.deepEqual(el('charge').boundaryEvents, ['declined']);
  });

  it('flattens sub-processes with parentId', () => {
    assert.equal(el('items').type, 'bpmn:SubProcess');
    assert.equal(el('items').triggeredByEvent, false);
    assert.equal(el('pick').parentId, 'items');
    assert.equal(el('f_pick_ship').parentId, 'items');
    assert.equal(el('review').parentId, null);
  });

  it('reads zeebe:userTask, formDefinition, assignment, schedule, priority, headers and io mappings', () => {
    const review = el('review');
    assert.equal(review.userTask, true);
    assert.deepEqual(review.formDefinition, { formId: 'review-form', formKey: null, externalReference: null, bindingType: 'versionTag', versionTag: 'v3' });
    assert.deepEqual(review.assignmentDefinition, { assignee: '=order.owner', candidateGroups: 'sales, support', candidateUsers: '=reviewers' });
    assert.deepEqual(review.taskSchedule, { dueDate: '=now() + duration("P2D")', followUpDate: '2026-12-01T09:00:00+08:00' });
    assert.equal(review.priority, '75');
    assert.deepEqual(review.taskHeaders, { channel: 'web', sla: '48h' });
    assert.deepEqual(review.ioMapping, {
      inputs: [
        { source: '=order.total', target: 'amount' },
        { source: 'static text', target: 'note' },
        { source: null, target: 'cleared' },
      ],
      outputs: [{ source: '=approved', target: 'order.approved' }],
    });
  });

  it('resolves an embedded zeebe:userTaskForm from its formKey', () => {
    const legacy = el('legacy_review');
    assert.equal(legacy.userTask, false);
    assert.equal(legacy.formDefinition?.formKey, 'camunda-forms:bpmn:UserTaskForm_1');
    assert.deepEqual(legacy.userTaskForm, { id: 'UserTaskForm_1', body: '{"components":[]}' });
  });

  it('reads zeebe:taskDefinition (FEEL type, retries defaulting to 3)', () => {
    assert.deepEqual(el('charge').taskDefinition, { type: '="payment-" + region', retries: '5' });
    assert.deepEqual(el('send_reminder').taskDefinition, { type: 'mail', retries: '3' });
    assert.deepEqual(el('score').taskDefinition, { type: 'scoring', retries: '3' });
  });

  it('reads zeebe:script', () => {
    assert.deepEqual(el('total').script, { expression: '=sum(prices)', resultVariable: 'total' });
  });

  it('reads zeebe:calledElement with Zeebe defaults', () => {
    assert.deepEqual(el('archive').calledElement, {
      processId: 'archiving', propagateAllChildVariables: false, propagateAllParentVariables: true, bindingType: 'latest', versionTag: null,
    });
  });

  it('reads multi-instance loop characteristics', () => {
    assert.deepEqual(el('items').loopCharacteristics, {
      isSequential: false, inputCollection: '=order.items', inputElement: 'item', outputCollection: 'results', outputElement: '=result',
      completionCondition: '=numberOfCompletedInstances >= 3',
    });
    assert.deepEqual(el('ship').loopCharacteristics, {
      isSequential: true, inputCollection: '=item.parcels', inputElement: 'parcel', outputCollection: null, outputElement: null, completionCondition: null,
    });
  });

  it('reads timer definitions', () => {
    assert.deepEqual(el('start_timer').timer, { kind: 'timeCycle', value: '0 0 2 * * *' });
    assert.deepEqual(el('timeout').timer, { kind: 'timeDuration', value: 'PT15M' });
    assert.deepEqual(el('remind').eventDefinitions, [{ kind: 'timer', timer: { kind: 'timeCycle', value: 'R3/PT4H' } }]);
    assert.equal(el('remind').eventKind, 'timer');
  });

  it('reads messages: name, correlation key', () => {
    assert.deepEqual(
      [el('paid').messageRef, el('paid').messageName, el('paid').subscription],
      ['Msg_paid', 'order-paid', { correlationKey: '=orderId' }],
    );
    assert.deepEqual([el('confirm').messageName, el('confirm').subscription?.correlationKey], ['order-paid', '=orderId']);
    assert.deepEqual([el('start_message').messageName, el('start_message').subscription], ['order-received', null]);
    assert.deepEqual(el('cancelled').eventDefinitions, [{ kind: 'message', messageRef: 'Msg_cancel' }]);
  });

  it('reads boundary events and errors', () => {
    assert.deepEqual([el('remind').attachedToRef, el('remind').cancelActivity], ['review', false]);
    assert.deepEqual([el('cancelled').attachedToRef, el('cancelled').cancelActivity], ['review', true]);
    assert.deepEqual(el('declined').error, { errorRef: 'Err_card', errorCode: 'CARD_DECLINED', name: 'Card declined' });
    assert.equal(el('end_declined').eventKind, 'error');
    assert.equal(el('end_declined').error?.errorCode, 'CARD_DECLINED');
    assert.equal(el('end_cancelled').eventKind, 'terminate');
    assert.equal(el('end_done').eventKind, 'none');
    assert.equal(el('noted').type, 'bpmn:IntermediateThrowEvent');
  });
});

function expectProblems(problems: DeploymentProblem[], expected: Array<[string | null, RegExp]>): void {
  for (const [elementId, message] of expected) {
    assert.ok(
      problems.some((p) => p.elementId === elementId && message.test(p.message)),
      `expected a problem on ${elementId} matching ${message}; got:\n${problems.map((p) => `  ${p.elementId}: ${p.message}`).join('\n')}`,
    );
  }
}

describe('model: validateDeployment', () => {
  it('refuses XML that cannot be parsed', async () => {
    const { models, problems } = await validateDeployment('<bpmn:definitions');
    assert.deepEqual(models, []);
    expectProblems(problems, [[null, /cannot be parsed/]]);
  });

  it('refuses a document that is not BPMN', async () => {
    const { problems } = await validateDeployment('<root/>');
    expectProblems(problems, [[null, /cannot be parsed/]]);
  });

  it('reports parser warnings: unknown elements and unresolved references', async () => {
    const xml = fixture('full.bpmn')
      .replace('<bpmn:task id="wrap_up" name="Wrap up" />', '<bpmn:task id="wrap_up" name="Wrap up" /><bpmn:fooBar id="odd" />')
      .replace('targetRef="end_rejected"', 'targetRef="nowhere"');
    const { problems } = await validateDeployment(xml);
    expectProblems(problems, [
      [null, /cannot be read: unparsable content <bpmn:fooBar> detected \(line \d+, column \d+\): unknown type <bpmn:FooBar>/],
      ['f_legacy_end', /unresolved reference <nowhere>/],
      ['f_legacy_end', /sequence flow has no target/],
    ]);
  });

  it('requires an executable process', async () => {
    const none = await validateDeployment(fixture('full.bpmn').replaceAll('isExecutable="true"', 'isExecutable="false"'));
    expectProblems(none.problems, [[null, /no executable process/]]);
    assert.deepEqual(none.models, []);
    const empty = await validateDeployment('<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x" />');
    expectProblems(empty.problems, [[null, /no process/]]);
  });

  it('accepts the full diagram, calling a process of the same deployment', async () => {
    const { problems } = await validateDeployment(fixture('full.bpmn'), { knownProcessIds: new Set() });
    assert.deepEqual(problems, []);
  });

  describe('unsupported elements and missing configuration', () => {
    let problems: DeploymentProblem[];
    before(async () => {
      ({ problems } = await validateDeployment(fixture('invalid-elements.bpmn'), { knownProcessIds: new Set(['billing']) }));
    });

    it('names an element in every problem', () => {
      assert.ok(problems.length > 0);
      for (const p of problems) assert.ok(p.elementId, p.message);
    });

    it('refuses JavaScript and any non-FEEL script', () => {
      expectProblems(problems, [
        ['js_script', /javascript script is refused: scripts must be FEEL expressions/],
        ['static_script', /script '1 \+ 1' is not a FEEL expression: scripts must be FEEL expressions/],
        ['empty_script', /script task has no script: scripts must be FEEL expressions/],
        ['no_result', /needs a result variable/],
      ]);
      assert.equal(problems.filter((p) => p.elementId === 'static_script').length, 1);
      assert.ok(!problems.some((p) => p.elementId === 'job_script'), 'a script task run by a job worker is fine');
    });

    it('requires a job type on job-based tasks', () => {
      expectProblems(problems, [
        ['no_taskdef', /service task needs a job type \(zeebe:taskDefinition\)/],
        ['no_type', /send task has a zeebe:taskDefinition without a job type/],
        ['dmn', /DMN decisions \(zeebe:calledDecision\) are not supported/],
      ]);
    });

    it('requires message names and, except on start events, correlation keys', () => {
      expectProblems(problems, [
        ['receive_noref', /must reference a message/],
        ['receive_nokey', /has no correlation key/],
        ['catch_noname', /message 'Msg_noname' of the intermediate catch event has no name/],
        ['boundary_nokey', /has no correlation key/],
      ]);
    });

    it('refuses unsupported event definitions and elements', () => {
      expectProblems(problems, [
        ['catch_signal', /signal intermediate catch event is not supported \(supported: timer, message\)/],
        ['catch_nothing', /an intermediate catch event without event definition is not supported/],
        ['throw_message', /message intermediate throw event is not supported/],
        ['end_message', /message end event is not supported/],
        ['complex', /complex gateway is not supported/],
        ['tx', /transaction is not supported/],
        ['event_sub', /event sub-processes are not supported/],
        ['standard_loop', /standard loops are not supported/],
        ['compensation', /compensation activities are not supported/],
        ['listeners', /task listeners are not supported/],
        ['listeners', /execution listeners are not supported/],
      ]);
      assert.ok(!problems.some((p) => p.elementId === 'data' || p.elementId === 'data_ref'), 'data objects are inert');
    });

    it('checks error events', () => {
      expectProblems(problems, [
        ['end_error_noref', /must reference an error/],
        ['end_error_nocode', /has no errorCode/],
        ['error_noninterrupting', /always interrupting/],
      ]);
    });

    it('checks multi-instance and call activities', () => {
      expectProblems(problems, [
        ['mi_no_collection', /needs an input collection/],
        ['call_noid', /needs the id of the process to call/],
        ['call_unknown', /calls process 'ghost', which is not deployed/],
      ]);
      for (const ok of ['call_known', 'call_self', 'call_dynamic']) assert.ok(!problems.some((p) => p.elementId === ok), ok);
    });

    it('only checks called process ids when the known processes are given', async () => {
      const { problems: without } = await validateDeployment(fixture('invalid-elements.bpmn'));
      assert.ok(!without.some((p) => p.elementId === 'call_unknown'));
    });
  });

  describe('expressions and literals', () => {
    let problems: DeploymentProblem[];
    before(async () => {
      ({ problems } = await validateDeployment(fixture('invalid-expressions.bpmn')));
    });

    it('checks conditions', () => {
      expectProblems(problems, [
        ['f_static', /condition must be a FEEL expression starting with '='.*static value 'amount > 100'/],
        ['f_bad', /condition is not a valid FEEL expression 'amount >': incomplete expression/],
      ]);
    });

    it('checks io mappings', () => {
      expectProblems(problems, [
        ['task', /input mapping source for 'c' is not a valid FEEL expression 'a \+\* b': unexpected '\*'/],
        ['task', /input mapping target '1bad' is not a valid variable name or path/],
        ['task', /output mapping source for 'out' must be a FEEL expression/],
        ['task', /output mapping target 'not valid' is not a valid variable name or path/],
      ]);
    });

    it('checks user task assignments, schedule, priority and forms', () => {
      expectProblems(problems, [
        ['task', /assignee is not a valid FEEL expression/],
        ['task', /candidate groups must be a list of comma-separated values/],
        ['task', /candidate users is not a valid FEEL expression/],
        ['task', /due date must be an ISO 8601 date-time with offset.*'tomorrow'/],
        ['task', /follow-up date is not a valid FEEL expression/],
        ['task', /priority must be a number between 0 and 100, but was '150'/],
        ['task', /exactly one of formId, formKey or externalReference/],
        ['task_form', /binding type 'sometimes'/],
        ['task_form', /embedded form .* that the process does not define/],
      ]);
    });

    it('checks timers: FEEL and literals', () => {
      expectProblems(problems, [
        ['start_cron', /Invalid timeCycle '0 0 25 \* \* \*'.*hour/],
        ['start_date', /Invalid timeDate .* needs an offset/],
        ['start_cycle', /longer than zero/],
        ['wait_duration', /Invalid timeDuration '5 minutes'/],
        ['wait_feel', /timeDuration is not a valid FEEL expression 'duration\('/],
      ]);
      assert.ok(!problems.some((p) => p.elementId === 'wait_ok_feel'));
    });

    it('checks messages: correlation keys must be FEEL, start event names must not need variables', () => {
      expectProblems(problems, [
        ['wait_static_key', /correlation key must be a FEEL expression starting with '=' \(e\.g\. '=orderId'\)/],
        ['wait_bad_key', /correlation key is not a valid FEEL expression/],
        ['wait_bad_name', /message name is not a valid FEEL expression/],
        ['start_msg', /message name of a start event must evaluate without variables/],
      ]);
    });

    it('checks job types, retries, loops, scripts, called process ids and error codes', () => {
      expectProblems(problems, [
        ['job', /job type is not a valid FEEL expression/],
        ['job', /job retries must be a whole number or a FEEL expression, but was 'three'/],
        ['job', /multi-instance input collection must be a FEEL expression/],
        ['job', /input element 'my item' is not a valid variable name/],
        ['job', /output element needs an output collection/],
        ['job', /completion condition is not a valid FEEL expression/],
        ['job_loop', /input collection is not a valid FEEL expression 'items\['/],
        ['job_loop', /output collection needs an output element/],
        ['script', /script is not a valid FEEL expression 'sum\('/],
        ['call', /called process id is not a valid FEEL expression/],
        ['end_error', /error code is not a valid FEEL expression/],
      ]);
    });
  });

  describe('flows, gateways, start and boundary events', () => {
    let problems: DeploymentProblem[];
    before(async () => {
      ({ problems } = await validateDeployment(fixture('invalid-flows.bpmn')));
    });

    it('requires conditions on exclusive gateway flows that are not the default', () => {
      expectProblems(problems, [
        ['f_plain', /leaves exclusive gateway 'xor' without a condition and is not its default flow/],
        ['f_default', /default flow of a gateway must not have a condition/],
      ]);
      assert.ok(!problems.some((p) => p.elementId === 'f_cond'));
    });

    it('refuses conditions on flows that do not leave a gateway', () => {
      expectProblems(problems, [['f_task_cond', /only supported on sequence flows leaving exclusive or inclusive gateways, not a task/]]);
    });

    it('checks event-based gateways', () => {
      expectProblems(problems, [
        ['eb', /at least two outgoing sequence flows/],
        ['f_eb_task', /may only lead to timer or message intermediate catch events, not an end event/],
      ]);
    });

    it('checks boundary events and timer kinds per event', () => {
      expectProblems(problems, [
        ['dangling', /needs an outgoing sequence flow/],
        ['dangling', /an interrupting timer boundary event cannot use timeCycle/],
        ['start_duration', /a timer start event cannot use timeDuration/],
      ]);
    });

    it('checks start events of the process and of embedded sub-processes', () => {
      expectProblems(problems, [
        ['flows', /more than one none start event/],
        ['empty_sub', /exactly one start event, found 0/],
      ]);
    });

    it('reports sequence flows to missing elements', () => {
      expectProblems(problems, [
        ['f_missing', /unresolved reference <nowhere>/],
        ['f_missing', /sequence flow has no target/],
      ]);
    });

    it('does not require a condition when a gateway has a single outgoing flow', async () => {
      const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="g" />
    <bpmn:exclusiveGateway id="g" />
    <bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="e" />
    <bpmn:endEvent id="e" />
  </bpmn:process>
</bpmn:definitions>`;
      assert.deepEqual((await validateDeployment(xml)).problems, []);
    });
  });
});
