// Conformance: timers, messages, errors, jobs and incidents.
import assert from 'node:assert/strict';
import { bpmn, flow, serviceTask, userTask } from '../helpers/bpmn.ts';
import { testRuntime, deployXml, type TestClock } from '../helpers/runtime.ts';
import type { EmbeddedRuntime } from '../../engine/embedded/embedded-runtime.ts';

describe('conformance: events, jobs and incidents', () => {
  let rt: EmbeddedRuntime;
  let clock: TestClock;
  before(async () => { ({ runtime: rt, clock } = await testRuntime('conformance_events')); });
  after(() => rt.stop());

  const completed = async (pik: string) => (await rt.history(pik)).filter((h) => h.event === 'ELEMENT_COMPLETED').map((h) => h.elementId);
  const state = async (pik: string) => (await rt.getProcessInstance(pik)).state;
  const vars = async (pik: string) => Object.fromEntries((await rt.searchVariables({ filter: { processInstanceKey: pik, scopeKey: pik } })).items.map((v) => [v.name, JSON.parse(v.value)]));
  const activate = async (type: string) => rt.activateJobs({ type, timeout: 10_000, maxJobsToActivate: 10, requestTimeout: -1 });
  const openTasks = async (pik: string) => (await rt.searchUserTasks({ filter: { processInstanceKey: pik, state: 'CREATED' } })).items;
  const tick = async (ms: number) => { clock.advance(ms); await rt.timers.tick(); await rt.idle(); };
  const messageNames = `<bpmn:message id="m_paid" name="paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>`;

  it('intermediate timer catch event waits for its duration', async () => {
    await deployXml(rt, 'timer.bpmn', bpmn('timer', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 't')}
      <bpmn:intermediateCatchEvent id="t"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      ${flow('f1', 't', 'e')}<bpmn:endEvent id="e"/>`));
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'timer' });
    await tick(60 * 60_000);
    assert.equal(await state(processInstanceKey), 'ACTIVE');
    await tick(61 * 60_000);
    assert.equal(await state(processInstanceKey), 'COMPLETED');
    assert.ok((await rt.history(processInstanceKey)).some((h) => h.event === 'TIMER_TRIGGERED' && h.elementId === 't'));
  });

  it('interrupting timer boundary event cancels the task; non-interrupting keeps it', async () => {
    await deployXml(rt, 'bt.bpmn', bpmn('bt', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'task')}
      ${userTask('task')}${flow('f1', 'task', 'e')}<bpmn:endEvent id="e"/>
      <bpmn:boundaryEvent id="remind" attachedToRef="task" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R2/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      ${flow('f2', 'remind', 'note')}${serviceTask('note', 'remind')}${flow('f3', 'note', 'e2')}<bpmn:endEvent id="e2"/>
      <bpmn:boundaryEvent id="late" attachedToRef="task"><bpmn:timerEventDefinition><bpmn:timeDuration>=duration("PT3H30M")</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      ${flow('f4', 'late', 'escalate')}${userTask('escalate')}${flow('f5', 'escalate', 'e3')}<bpmn:endEvent id="e3"/>`));
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'bt' });
    const remind = async () => { const jobs = await activate('remind'); for (const j of jobs) await rt.completeJob(j.jobKey); return jobs.length; };
    await tick(61 * 60_000);
    assert.equal(await remind(), 1, 'first reminder');
    assert.equal((await openTasks(processInstanceKey))[0].elementId, 'task');
    await tick(60 * 60_000);
    assert.equal(await remind(), 1, 'second reminder');
    await tick(60 * 60_000);
    assert.equal(await remind(), 0, 'R2: no third reminder');
    await tick(30 * 60_000);
    const tasks = await openTasks(processInstanceKey);
    assert.deepEqual(tasks.map((t) => t.elementId), ['escalate']);
    await rt.completeUserTask(tasks[0].userTaskKey);
    assert.equal(await state(processInstanceKey), 'COMPLETED');
  });

  it('message catch event correlates by key; variables are merged', async () => {
    await deployXml(rt, 'msg.bpmn', bpmn('msg', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'wait')}
      <bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="m_paid"/></bpmn:intermediateCatchEvent>
      ${flow('f1', 'wait', 'e')}<bpmn:endEvent id="e"/>`, messageNames));
    const a = await rt.createProcessInstance({ processDefinitionId: 'msg', variables: { orderId: 'A-1' } });
    const b = await rt.createProcessInstance({ processDefinitionId: 'msg', variables: { orderId: 'B-2' } });
    await rt.publishMessage({ name: 'paid', correlationKey: 'B-2', variables: { amount: 7 } });
    await rt.idle();
    assert.equal(await state(a.processInstanceKey), 'ACTIVE');
    assert.equal(await state(b.processInstanceKey), 'COMPLETED');
    assert.equal((await vars(b.processInstanceKey)).amount, 7);
  });

  it('a buffered message (time to live) correlates when the subscription opens; ids are unique while alive', async () => {
    await rt.publishMessage({ name: 'paid', correlationKey: 'C-3', timeToLive: 60_000, messageId: 'pay-C-3', variables: { early: true } });
    await assert.rejects(rt.publishMessage({ name: 'paid', correlationKey: 'C-3', timeToLive: 60_000, messageId: 'pay-C-3' }), (e: any) => e.status === 409);
    const c = await rt.createProcessInstance({ processDefinitionId: 'msg', variables: { orderId: 'C-3' } });
    await rt.idle();
    assert.equal(await state(c.processInstanceKey), 'COMPLETED');
    assert.equal((await vars(c.processInstanceKey)).early, true);
    // Expired: not correlated any more.
    await rt.publishMessage({ name: 'paid', correlationKey: 'D-4', timeToLive: 1_000 });
    clock.advance(2_000);
    const d = await rt.createProcessInstance({ processDefinitionId: 'msg', variables: { orderId: 'D-4' } });
    await rt.idle();
    assert.equal(await state(d.processInstanceKey), 'ACTIVE');
    await rt.cancelProcessInstance(d.processInstanceKey);
  });

  it('correlate answers with the instance, or 404 when nothing waits', async () => {
    const e = await rt.createProcessInstance({ processDefinitionId: 'msg', variables: { orderId: 'E-5' } });
    const r = await rt.correlateMessage({ name: 'paid', correlationKey: 'E-5' });
    assert.equal(r.processInstanceKey, e.processInstanceKey);
    await assert.rejects(rt.correlateMessage({ name: 'paid', correlationKey: 'nobody' }), (err: any) => err.status === 404);
  });

  /** start → event-based gateway → message `paid` (then `afterPaid`, which leads to `ok`) or one hour → end `late`. */
  const gatewayDiagram = (id: string, afterPaid = '') => bpmn(id, `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'gw')}
      <bpmn:eventBasedGateway id="gw"/>${flow('f1', 'gw', 'paidEvt')}${flow('f2', 'gw', 'timeout')}
      <bpmn:intermediateCatchEvent id="paidEvt"><bpmn:messageEventDefinition messageRef="m_paid"/></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="timeout"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      ${afterPaid ? `${flow('f3', 'paidEvt', afterPaid)}${userTask(afterPaid)}${flow('f5', afterPaid, 'ok')}` : flow('f3', 'paidEvt', 'ok')}
      ${flow('f4', 'timeout', 'late')}<bpmn:endEvent id="ok"/><bpmn:endEvent id="late"/>`, messageNames);

  it('event-based gateway: the first event wins', async () => {
    await deployXml(rt, 'ebg.bpmn', gatewayDiagram('ebg'));
    const x = await rt.createProcessInstance({ processDefinitionId: 'ebg', variables: { orderId: 'X' } });
    const y = await rt.createProcessInstance({ processDefinitionId: 'ebg', variables: { orderId: 'Y' } });
    await rt.publishMessage({ name: 'paid', correlationKey: 'X' });
    await tick(61 * 60_000);
    assert.ok((await completed(x.processInstanceKey)).includes('ok'));
    assert.ok(!(await completed(x.processInstanceKey)).includes('late'));
    assert.ok((await completed(y.processInstanceKey)).includes('late'));
  });

  it('event-based gateway: the events that lose are no element instances, and the instance goes on', async () => {
    await deployXml(rt, 'ebg2.bpmn', gatewayDiagram('ebg2', 'ship'));
    const x = await rt.createProcessInstance({ processDefinitionId: 'ebg2', variables: { orderId: 'X2' } });
    const elements = async () => (await rt.searchElementInstances({ filter: { processInstanceKey: x.processInstanceKey } })).items.map((i) => `${i.elementId} ${i.state}`);
    assert.deepEqual(await elements(), ['s COMPLETED', 'gw ACTIVE'], 'while the gateway waits, its events are no element instances');
    await rt.publishMessage({ name: 'paid', correlationKey: 'X2' });
    await tick(61 * 60_000);
    assert.deepEqual((await elements()).sort(), ['gw COMPLETED', 'paidEvt COMPLETED', 's COMPLETED', 'ship ACTIVE']);
  });

  it('message boundary event interrupts the task', async () => {
    await deployXml(rt, 'mb.bpmn', bpmn('mb', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'task')}${userTask('task')}${flow('f1', 'task', 'e')}<bpmn:endEvent id="e"/>
      <bpmn:boundaryEvent id="cancelled" attachedToRef="task"><bpmn:messageEventDefinition messageRef="m_paid"/></bpmn:boundaryEvent>
      ${flow('f2', 'cancelled', 'e2')}<bpmn:endEvent id="e2"/>`, messageNames));
    const p = await rt.createProcessInstance({ processDefinitionId: 'mb', variables: { orderId: 'M' } });
    await rt.publishMessage({ name: 'paid', correlationKey: 'M' });
    await rt.idle();
    assert.equal(await state(p.processInstanceKey), 'COMPLETED');
    assert.ok((await completed(p.processInstanceKey)).includes('e2'));
    assert.equal((await openTasks(p.processInstanceKey)).length, 0);
  });

  it('jobs: fail with retries and back-off, then no retries raises an incident; resolving retries the job', async () => {
    await deployXml(rt, 'job.bpmn', bpmn('job', `<bpmn:startEvent id="s"/>${flow('f0', 's', 'call')}${serviceTask('call', 'flaky')}${flow('f1', 'call', 'e')}<bpmn:endEvent id="e"/>`));
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'job' });
    let [job] = await activate('flaky');
    assert.equal(job.retries, 3);
    await rt.failJob(job.jobKey, { retries: 2, errorMessage: 'down', retryBackOff: 5_000 });
    assert.equal((await activate('flaky')).length, 0, 'back-off');
    clock.advance(5_001);
    [job] = await activate('flaky');
    assert.equal(job.retries, 2);
    await rt.failJob(job.jobKey, { retries: 0, errorMessage: 'still down' });
    const inc = await rt.searchIncidents({ filter: { processInstanceKey, state: 'ACTIVE' } });
    assert.equal(inc.items.length, 1);
    assert.equal(inc.items[0].errorType, 'JOB_NO_RETRIES');
    assert.equal(inc.items[0].jobKey, job.jobKey);
    assert.equal((await rt.getProcessInstance(processInstanceKey)).hasIncident, true);
    const [el] = (await rt.searchElementInstances({ filter: { processInstanceKey, elementId: 'call' } })).items;
    assert.equal(el.hasIncident, true);
    assert.equal(el.incidentKey, inc.items[0].incidentKey);
    assert.equal((await activate('flaky')).length, 0);
    await rt.resolveIncident(inc.items[0].incidentKey);
    assert.equal((await rt.getProcessInstance(processInstanceKey)).hasIncident, false);
    [job] = await activate('flaky');
    await rt.completeJob(job.jobKey);
    assert.equal(await state(processInstanceKey), 'COMPLETED');
    const events = (await rt.history(processInstanceKey)).map((h) => h.event);
    for (const e of ['JOB_FAILED', 'INCIDENT_CREATED', 'INCIDENT_RESOLVED', 'JOB_COMPLETED']) assert.ok(events.includes(e as any), `history has ${e}`);
    assert.ok(events.indexOf('INCIDENT_CREATED') < events.indexOf('INCIDENT_RESOLVED'));
  });

  it('jobs: an activation that times out makes the job activatable again', async () => {
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'job' });
    const [first] = await rt.activateJobs({ type: 'flaky', timeout: 1_000, maxJobsToActivate: 1, requestTimeout: -1 });
    assert.equal((await activate('flaky')).length, 0);
    clock.advance(1_001);
    const [again] = await activate('flaky');
    assert.equal(again.jobKey, first.jobKey);
    await rt.completeJob(again.jobKey);
    assert.equal(await state(processInstanceKey), 'COMPLETED');
  });

  it('jobs: long polling returns a job created while waiting', async () => {
    const waiting = rt.activateJobs({ type: 'flaky', timeout: 5_000, maxJobsToActivate: 1, requestTimeout: 5_000 });
    await new Promise((r) => setTimeout(r, 100));
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'job' });
    const [job] = await waiting;
    assert.equal(job.processInstanceKey, processInstanceKey);
    await rt.completeJob(job.jobKey);
  });

  it('BPMN errors: caught by a matching boundary event, else an incident', async () => {
    await deployXml(rt, 'err.bpmn', bpmn('err', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'check')}${serviceTask('check', 'checker')}${flow('f1', 'check', 'e')}<bpmn:endEvent id="e"/>
      <bpmn:boundaryEvent id="rejected" attachedToRef="check"><bpmn:errorEventDefinition errorRef="err_rej"/></bpmn:boundaryEvent>
      ${flow('f2', 'rejected', 'fix')}${userTask('fix')}${flow('f3', 'fix', 'e2')}<bpmn:endEvent id="e2"/>`,
      `<bpmn:error id="err_rej" name="Rejected" errorCode="REJECTED"/>`));
    const a = await rt.createProcessInstance({ processDefinitionId: 'err' });
    let [job] = await activate('checker');
    await rt.throwJobError(job.jobKey, { errorCode: 'REJECTED', errorMessage: 'bad data', variables: { reason: 'USCC' } });
    assert.deepEqual((await openTasks(a.processInstanceKey)).map((t) => t.elementId), ['fix']);
    assert.equal((await vars(a.processInstanceKey)).reason, 'USCC');
    const b = await rt.createProcessInstance({ processDefinitionId: 'err' });
    [job] = await activate('checker');
    await rt.throwJobError(job.jobKey, { errorCode: 'OTHER', errorMessage: 'unexpected' });
    const inc = await rt.searchIncidents({ filter: { processInstanceKey: b.processInstanceKey } });
    assert.equal(inc.items[0]?.errorType, 'UNHANDLED_ERROR_EVENT');
    assert.equal(inc.items[0]?.elementId, 'check');
  });

  it('error end event in a sub-process is caught by the sub-process boundary', async () => {
    await deployXml(rt, 'errend.bpmn', bpmn('errend', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'sp')}
      <bpmn:subProcess id="sp"><bpmn:startEvent id="ss"/>${flow('g0', 'ss', 'boom')}<bpmn:endEvent id="boom"><bpmn:errorEventDefinition errorRef="err_x"/></bpmn:endEvent></bpmn:subProcess>
      ${flow('f1', 'sp', 'e')}<bpmn:endEvent id="e"/>
      <bpmn:boundaryEvent id="caught" attachedToRef="sp"><bpmn:errorEventDefinition errorRef="err_x"/></bpmn:boundaryEvent>${flow('f2', 'caught', 'e2')}<bpmn:endEvent id="e2"/>`,
      `<bpmn:error id="err_x" errorCode="X"/>`));
    const p = await rt.createProcessInstance({ processDefinitionId: 'errend' });
    assert.equal(await state(p.processInstanceKey), 'COMPLETED');
    assert.ok((await completed(p.processInstanceKey)).includes('e2'));
  });
  it('an instance started at a message start event runs from that start event only, not from the none start event beside it', async () => {
    await deployXml(rt, 'twostarts.bpmn', bpmn('twostarts', `
      <bpmn:startEvent id="byHand"/>${flow('f0', 'byHand', 'fill')}${userTask('fill')}${flow('f1', 'fill', 'e')}<bpmn:endEvent id="e"/>
      <bpmn:startEvent id="byMessage"><bpmn:messageEventDefinition messageRef="m_filed"/></bpmn:startEvent>${flow('f2', 'byMessage', 'check')}${userTask('check')}${flow('f3', 'check', 'e2')}<bpmn:endEvent id="e2"/>`,
    `<bpmn:message id="m_filed" name="filed"/>`));
    const { processInstanceKey: viaMessage } = await rt.correlateMessage({ name: 'filed', correlationKey: '' }) as any;
    await rt.idle();
    assert.deepEqual((await openTasks(viaMessage)).map((t) => t.elementId), ['check']);
    assert.ok(!(await rt.history(viaMessage)).some((h) => h.elementId === 'byHand'));
    const { processInstanceKey: byHand } = await rt.createProcessInstance({ processDefinitionId: 'twostarts' });
    assert.deepEqual((await openTasks(byHand)).map((t) => t.elementId), ['fill']);
    assert.ok(!(await rt.history(byHand)).some((h) => h.elementId === 'byMessage'));
  });
});
