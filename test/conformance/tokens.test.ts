// Conformance: several tokens at one element. Camunda makes an element instance per token, also
// while an earlier token is still waiting at the element (engine/embedded/tokens.ts).
import assert from 'node:assert/strict';
import { bpmn, flow, serviceTask, userTask } from '../helpers/bpmn.ts';
import { testRuntime, deployXml, type TestClock } from '../helpers/runtime.ts';
import type { EmbeddedRuntime } from '../../engine/embedded/embedded-runtime.ts';

describe('conformance: several tokens at one element', () => {
  let rt: EmbeddedRuntime;
  let clock: TestClock;
  before(async () => { ({ runtime: rt, clock } = await testRuntime('conformance_tokens')); });
  after(() => rt.stop());

  const HOUR = 60 * 60_000;
  const state = async (pik: string) => (await rt.getProcessInstance(pik)).state;
  const openTasks = async (pik: string, elementId?: string) =>
    (await rt.searchUserTasks({ filter: { processInstanceKey: pik, state: 'CREATED', ...(elementId && { elementId }) } })).items;
  const elementInstances = async (pik: string) => (await rt.searchElementInstances({ filter: { processInstanceKey: pik } })).items;
  const tick = async (ms: number) => { clock.advance(ms); await rt.timers.tick(); await rt.idle(); };
  /** The copies of an element the instance's latest revision runs on (tokens.ts). */
  const slots = async (pik: string, elementId = 'check') => {
    const [latest] = await rt.store.revisions.find({ pik }).sort({ rev: -1 }).limit(1).lean();
    const data: any = latest?.data;
    return (typeof data === 'string' ? JSON.parse(data) : data)?.copies?.[elementId] ?? 1;
  };
  const cycle = (id: string, host: string, cycleText: string) =>
    `<bpmn:boundaryEvent id="${id}" attachedToRef="${host}" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>${cycleText}</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>`;

  it('a non-interrupting cycle timer that fires again while its last task is open opens another task beside it', async () => {
    await deployXml(rt, 'remind.bpmn', bpmn('remind', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'handle')}
      ${userTask('handle')}${flow('f1', 'handle', 'e')}<bpmn:endEvent id="e"/>
      ${cycle('hourly', 'handle', 'R3/PT1H')}
      ${flow('f2', 'hourly', 'check')}${userTask('check')}${flow('f3', 'check', 'checked')}<bpmn:endEvent id="checked"/>`));
    const { processInstanceKey: pik } = await rt.createProcessInstance({ processDefinitionId: 'remind' });
    assert.deepEqual((await elementInstances(pik)).map((i) => i.elementId).sort(), ['handle', 's'], 'a boundary event is no element instance until it fires');
    await tick(HOUR + 1000);
    assert.equal(await slots(pik), 1, 'one token at a time needs no copies');
    await tick(HOUR);
    assert.equal(await slots(pik), 8, 'the second token at the busy task moved the instance onto copies');
    await tick(HOUR);
    const checks = await openTasks(pik, 'check');
    assert.equal(checks.length, 3, 'one task per firing, all open at once');
    assert.equal(new Set(checks.map((t) => t.elementInstanceKey)).size, 3, 'each in its own element instance');

    await rt.completeUserTask(checks[1].userTaskKey);
    assert.deepEqual((await openTasks(pik, 'check')).map((t) => t.userTaskKey), [checks[0].userTaskKey, checks[2].userTaskKey]);
    const [handle] = await openTasks(pik, 'handle');
    await rt.completeUserTask(handle.userTaskKey);
    assert.equal(await state(pik), 'ACTIVE', 'the open checks keep the instance running');
    for (const t of await openTasks(pik, 'check')) await rt.completeUserTask(t.userTaskKey);
    assert.equal(await state(pik), 'COMPLETED');

    const instances = await elementInstances(pik);
    assert.ok(instances.every((i) => !i.elementId.includes('#')), 'only the diagram\'s own elements are reported');
    assert.equal(instances.filter((i) => i.elementId === 'check' && i.state === 'COMPLETED').length, 3);
    assert.equal(instances.filter((i) => i.elementId === 'checked').length, 3);
    assert.deepEqual(instances.filter((i) => i.elementId === 'hourly').map((i) => `${i.type} ${i.state}`), Array(3).fill('BOUNDARY_EVENT COMPLETED'), 'one per firing; none for the timer left armed when the task was done');
    const history = await rt.history(pik);
    assert.equal(history.filter((h) => h.event === 'ELEMENT_ACTIVATED' && h.elementId === 'check').length, 3);
    assert.ok(history.every((h) => !h.elementId?.includes('#')));
  });

  it('an interrupting boundary event on one of those tasks ends that task only', async () => {
    await deployXml(rt, 'chase.bpmn', bpmn('chase', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'handle')}
      ${userTask('handle')}${flow('f1', 'handle', 'e')}<bpmn:endEvent id="e"/>
      ${cycle('hourly', 'handle', 'R2/PT1H')}
      ${flow('f2', 'hourly', 'check')}${userTask('check')}${flow('f3', 'check', 'checked')}<bpmn:endEvent id="checked"/>
      <bpmn:boundaryEvent id="late" attachedToRef="check"><bpmn:timerEventDefinition><bpmn:timeDuration>PT90M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      ${flow('f4', 'late', 'chaseUp')}${serviceTask('chaseUp', 'chase-up')}${flow('f5', 'chaseUp', 'chased')}<bpmn:endEvent id="chased"/>`));
    const { processInstanceKey: pik } = await rt.createProcessInstance({ processDefinitionId: 'chase' });
    await tick(HOUR + 1000); // first check opens
    await tick(HOUR); // second check opens
    const [first, second] = await openTasks(pik, 'check');
    assert.ok(first && second);
    await tick(40 * 60_000); // the first check is 100 minutes old, the second 40
    assert.deepEqual((await openTasks(pik, 'check')).map((t) => t.userTaskKey), [second.userTaskKey]);
    const jobs = await rt.activateJobs({ type: 'chase-up', timeout: 10_000, maxJobsToActivate: 10, requestTimeout: -1 });
    assert.equal(jobs.length, 1);
    const firstInstance = (await elementInstances(pik)).find((i) => i.elementInstanceKey === first.elementInstanceKey);
    assert.equal(firstInstance?.state, 'TERMINATED');
  });

  it('a non-interrupting message boundary event runs a sub-process once per message, side by side', async () => {
    const message = `<bpmn:message id="m_ask" name="ask"><bpmn:extensionElements><zeebe:subscription correlationKey="=caseId"/></bpmn:extensionElements></bpmn:message>`;
    await deployXml(rt, 'ask.bpmn', bpmn('ask', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'handle')}
      ${userTask('handle')}${flow('f1', 'handle', 'e')}<bpmn:endEvent id="e"/>
      <bpmn:boundaryEvent id="asked" attachedToRef="handle" cancelActivity="false"><bpmn:messageEventDefinition messageRef="m_ask"/></bpmn:boundaryEvent>
      ${flow('f2', 'asked', 'answer')}
      <bpmn:subProcess id="answer">
        <bpmn:startEvent id="as"/>${flow('a0', 'as', 'reply')}
        ${userTask('reply', '<zeebe:ioMapping><zeebe:input source="=question" target="asked"/></zeebe:ioMapping>')}${flow('a1', 'reply', 'ae')}<bpmn:endEvent id="ae"/>
      </bpmn:subProcess>
      ${flow('f3', 'answer', 'answered')}<bpmn:endEvent id="answered"/>`, message));
    const { processInstanceKey: pik } = await rt.createProcessInstance({ processDefinitionId: 'ask', variables: { caseId: 'C-7' } });
    await rt.publishMessage({ name: 'ask', correlationKey: 'C-7', variables: { question: 'when?' } });
    await rt.publishMessage({ name: 'ask', correlationKey: 'C-7', variables: { question: 'who?' } });
    await rt.idle();
    const replies = await openTasks(pik, 'reply');
    assert.equal(replies.length, 2);
    const active = (await elementInstances(pik)).filter((i) => i.elementId === 'answer' && i.state === 'ACTIVE');
    assert.equal(active.length, 2, 'two sub-process instances');
    for (const t of replies) await rt.completeUserTask(t.userTaskKey);
    assert.equal((await elementInstances(pik)).filter((i) => i.elementId === 'answer' && i.state === 'COMPLETED').length, 2);
    const [handle] = await openTasks(pik, 'handle');
    await rt.completeUserTask(handle.userTaskKey);
    assert.equal(await state(pik), 'COMPLETED');
  });

  it('grows the copies an element runs on as more tokens wait there at once', async () => {
    const firings = 12;
    await deployXml(rt, 'many.bpmn', bpmn('many', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'handle')}
      ${userTask('handle')}${flow('f1', 'handle', 'e')}<bpmn:endEvent id="e"/>
      ${cycle('hourly', 'handle', `R${firings}/PT1H`)}
      ${flow('f2', 'hourly', 'check')}${userTask('check')}${flow('f3', 'check', 'checked')}<bpmn:endEvent id="checked"/>`));
    const { processInstanceKey: pik } = await rt.createProcessInstance({ processDefinitionId: 'many' });
    await tick(1000);
    for (let i = 0; i < firings; i++) await tick(HOUR);
    const open = await openTasks(pik, 'check');
    assert.equal(open.length, firings, 'every firing has its task open');
    assert.equal(await slots(pik), 32, 'from one copy to 8, then to 32 with the ninth token');
    for (const t of open) await rt.completeUserTask(t.userTaskKey);
    const [handle] = await openTasks(pik, 'handle');
    await rt.completeUserTask(handle.userTaskKey);
    assert.equal(await state(pik), 'COMPLETED');
    assert.equal((await rt.history(pik)).filter((h) => h.event === 'ELEMENT_COMPLETED' && h.elementId === 'check').length, firings);
  });

  it('two boundary events due at once send two tokens to one task in one run: each opens a task', async () => {
    const once = (id: string) =>
      `<bpmn:boundaryEvent id="${id}" attachedToRef="handle" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>`;
    await deployXml(rt, 'both.bpmn', bpmn('both', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'handle')}
      ${userTask('handle')}${flow('f1', 'handle', 'e')}<bpmn:endEvent id="e"/>
      ${cycle('hourly', 'handle', 'R1/PT1H')}${once('late')}
      ${flow('f2', 'hourly', 'check')}${flow('f4', 'late', 'check')}${userTask('check')}${flow('f3', 'check', 'checked')}<bpmn:endEvent id="checked"/>`));
    const { processInstanceKey: pik } = await rt.createProcessInstance({ processDefinitionId: 'both' });
    await tick(HOUR + 1000);
    assert.equal((await openTasks(pik, 'check')).length, 2);
    assert.equal(await slots(pik), 8);
  });
  it('two branches of a parallel gateway that meet at a task without a join open two tasks at once', async () => {
    await deployXml(rt, 'meet.bpmn', bpmn('meet', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'fork')}<bpmn:parallelGateway id="fork"/>
      ${flow('f1', 'fork', 'visit')}${flow('f2', 'fork', 'call')}
      ${serviceTask('visit', 'visit')}${serviceTask('call', 'call')}
      ${flow('f3', 'visit', 'review')}${flow('f4', 'call', 'review')}
      ${userTask('review')}${flow('f5', 'review', 'e')}<bpmn:endEvent id="e"/>`));
    const { processInstanceKey: pik } = await rt.createProcessInstance({ processDefinitionId: 'meet' });
    for (const type of ['visit', 'call']) {
      const [job] = await rt.activateJobs({ type, timeout: 10_000, maxJobsToActivate: 1, requestTimeout: -1 });
      await rt.completeJob(job.jobKey, { [type]: true });
    }
    const reviews = await openTasks(pik, 'review');
    assert.equal(reviews.length, 2, 'one review per arriving token, side by side');
    assert.equal(await slots(pik, 'review'), 8);
    assert.equal(await slots(pik, 'visit'), 1, 'only the element that met two tokens has copies');
    await rt.completeUserTask(reviews[0].userTaskKey);
    assert.equal(await state(pik), 'ACTIVE', 'the other token still waits at the second review');
    await rt.completeUserTask(reviews[1].userTaskKey);
    assert.equal(await state(pik), 'COMPLETED');
    const ends = (await rt.history(pik)).filter((h) => h.event === 'ELEMENT_COMPLETED' && h.elementId === 'e');
    assert.equal(ends.length, 2, 'each token reaches the end event');
  });
  it('an event-based gateway reached by two tokens waits twice, each for its own first event', async () => {
    const message = `<bpmn:message id="m_paid" name="paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>`;
    await deployXml(rt, 'gate.bpmn', bpmn('gated', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'fork')}<bpmn:parallelGateway id="fork"/>
      ${flow('f1', 'fork', 'gate')}${flow('f2', 'fork', 'note')}<bpmn:manualTask id="note"/>${flow('f7', 'note', 'gate')}<bpmn:eventBasedGateway id="gate"/>
      ${flow('f3', 'gate', 'paid')}<bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="m_paid"/></bpmn:intermediateCatchEvent>
      ${flow('f4', 'gate', 'late')}<bpmn:intermediateCatchEvent id="late"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      ${flow('f5', 'paid', 'e1')}<bpmn:endEvent id="e1"/>${flow('f6', 'late', 'e2')}<bpmn:endEvent id="e2"/>`, message));
    const { processInstanceKey: pik } = await rt.createProcessInstance({ processDefinitionId: 'gated', variables: { orderId: 'G-1' } });
    const active = async (id: string) => (await elementInstances(pik)).filter((i) => i.elementId === id && i.state === 'ACTIVE').length;
    assert.equal(await active('gate'), 2, 'two gateways wait side by side');
    assert.equal(await slots(pik, 'gate'), 8);
    await rt.publishMessage({ name: 'paid', correlationKey: 'G-1' });
    await rt.idle();
    assert.equal(await active('gate'), 1, 'the message decided one of them');
    await tick(HOUR + 1000);
    assert.equal(await state(pik), 'COMPLETED');
    const ended = (await rt.history(pik)).filter((h) => h.event === 'ELEMENT_COMPLETED' && (h.elementId === 'e1' || h.elementId === 'e2')).map((h) => h.elementId);
    assert.deepEqual(ended.sort(), ['e1', 'e2'], 'one left by its message, the other by its timer');
    const instances = await elementInstances(pik);
    assert.deepEqual(instances.filter((i) => i.state !== 'COMPLETED'), [], 'the events that lost leave no element instance behind');
    assert.deepEqual(instances.filter((i) => i.elementId === 'paid' || i.elementId === 'late').map((i) => i.elementId).sort(), ['late', 'paid']);
  });
  it('two flows from a parallel gateway to one task send a token each', async () => {
    await deployXml(rt, 'twice.bpmn', bpmn('twice', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'fork')}<bpmn:parallelGateway id="fork"/>
      ${flow('f1', 'fork', 'review')}${flow('f2', 'fork', 'review')}
      ${userTask('review')}${flow('f3', 'review', 'e')}<bpmn:endEvent id="e"/>`));
    const { processInstanceKey: pik } = await rt.createProcessInstance({ processDefinitionId: 'twice' });
    assert.equal((await openTasks(pik, 'review')).length, 2);
    assert.ok((await elementInstances(pik)).every((i) => !i.elementId.includes('#')));
  });
});
