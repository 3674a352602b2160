// Messages (correlation keys, buffering with time-to-live, correlate) and timers.
import assert from 'node:assert/strict';
import { bpmn, flow, userTask } from '../helpers/bpmn.ts';
import { deploy, ended, openTasks, start, variablesEventually, type Scenario } from './steps.ts';
import { eventually } from './harness.ts';

const waitForMessage = (id: string, message: string) => bpmn(id, `<bpmn:startEvent id="s"/>${flow('f1', 's', 'paid')}
  <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="m_paid"/></bpmn:intermediateCatchEvent>${flow('f2', 'paid', 'e')}<bpmn:endEvent id="e"/>`,
`<bpmn:message id="m_paid" name="${message}"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>`);

// A user task first, so a message can be published before the subscription opens.
const laterMessage = (id: string, message: string) => bpmn(id, `<bpmn:startEvent id="s"/>${flow('f0', 's', 'prepare')}${userTask('prepare')}${flow('f1', 'prepare', 'paid')}
  <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="m_paid"/></bpmn:intermediateCatchEvent>${flow('f2', 'paid', 'after')}${userTask('after')}${flow('f3', 'after', 'e')}<bpmn:endEvent id="e"/>`,
`<bpmn:message id="m_paid" name="${message}"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>`);

export const events: Scenario[] = [
  {
    title: 'a message correlates by its correlation key to the waiting instance only',
    async run(h) {
      const id = h.id('sc_msg');
      const name = h.id('order-paid');
      await deploy(h, `${id}.bpmn`, waitForMessage(id, name));
      const a = await start(h, id, { orderId: h.id('A-1') });
      const b = await start(h, id, { orderId: h.id('B-2') });
      await eventually(async () => (await h.runtime.searchElementInstances({ filter: { processInstanceKey: a, elementId: 'paid' } })).items.length, (n) => n > 0, 'a waits');
      await h.runtime.publishMessage({ name, correlationKey: h.id('A-1'), variables: { paidAmount: 88 } });
      await ended(h, a);
      await variablesEventually(h, a, (v) => v.paidAmount === 88, 'the message\'s variables');
      assert.equal((await h.runtime.getProcessInstance(b)).state, 'ACTIVE');
    },
  },
  {
    title: 'a message published before its subscription opens correlates within its time-to-live',
    async run(h) {
      const id = h.id('sc_msg_buffer');
      const name = h.id('order-paid-b');
      await deploy(h, `${id}.bpmn`, laterMessage(id, name));
      const pik = await start(h, id, { orderId: h.id('C-3') });
      const [prepare] = await openTasks(h, pik);
      await h.runtime.publishMessage({ name, correlationKey: h.id('C-3'), timeToLive: 60_000, variables: { early: true } });
      await h.runtime.completeUserTask(prepare.userTaskKey, {});
      const [after] = await openTasks(h, pik, 1, 'after');
      assert.equal(after.elementId, 'after');
      await variablesEventually(h, pik, (v) => v.early === true, 'the buffered message\'s variables');
    },
  },
  {
    title: 'a buffered message whose time-to-live has passed does not correlate',
    async run(h) {
      const id = h.id('sc_msg_ttl');
      const name = h.id('order-paid-t');
      await deploy(h, `${id}.bpmn`, laterMessage(id, name));
      const pik = await start(h, id, { orderId: h.id('D-4') });
      const [prepare] = await openTasks(h, pik);
      await h.runtime.publishMessage({ name, correlationKey: h.id('D-4'), timeToLive: 1_000 });
      await h.advance(2_000);
      await h.runtime.completeUserTask(prepare.userTaskKey, {});
      await eventually(async () => (await h.runtime.searchElementInstances({ filter: { processInstanceKey: pik, elementId: 'paid', state: 'ACTIVE' } })).items.length, (n) => n === 1, 'waiting at the catch event');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await h.runtime.searchUserTasks({ filter: { processInstanceKey: pik, elementId: 'after' } })).items.length, 0);
    },
  },
  {
    title: 'correlateMessage names the instance it reached',
    async run(h) {
      const id = h.id('sc_correlate');
      const name = h.id('order-paid-c');
      await deploy(h, `${id}.bpmn`, waitForMessage(id, name));
      const pik = await start(h, id, { orderId: h.id('E-5') });
      await eventually(async () => (await h.runtime.searchElementInstances({ filter: { processInstanceKey: pik, elementId: 'paid' } })).items.length, (n) => n > 0, 'waiting');
      const res = await h.runtime.correlateMessage({ name, correlationKey: h.id('E-5'), variables: { via: 'correlate' } });
      assert.equal(res.processInstanceKey, pik);
      await ended(h, pik);
    },
  },
  {
    title: 'an intermediate timer fires once its duration has passed',
    async run(h) {
      const id = h.id('sc_timer');
      await deploy(h, `${id}.bpmn`, bpmn(id, `<bpmn:startEvent id="s"/>${flow('f1', 's', 't')}
        <bpmn:intermediateCatchEvent id="t"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>${flow('f2', 't', 'e')}<bpmn:endEvent id="e"/>`));
      const pik = await start(h, id);
      await eventually(async () => (await h.runtime.searchElementInstances({ filter: { processInstanceKey: pik, elementId: 't' } })).items.length, (n) => n > 0, 'at the timer');
      assert.equal((await h.runtime.getProcessInstance(pik)).state, 'ACTIVE');
      await h.advance(2_000);
      await ended(h, pik);
    },
  },
  {
    title: 'an interrupting boundary timer cancels the late task and takes its own path',
    async run(h) {
      const id = h.id('sc_deadline');
      await deploy(h, `${id}.bpmn`, bpmn(id, `<bpmn:startEvent id="s"/>${flow('f1', 's', 'task')}${userTask('task')}${flow('f2', 'task', 'e')}<bpmn:endEvent id="e"/>
        <bpmn:boundaryEvent id="late" attachedToRef="task"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>${flow('f3', 'late', 'escalate')}${userTask('escalate')}${flow('f4', 'escalate', 'e2')}<bpmn:endEvent id="e2"/>`));
      const pik = await start(h, id);
      const [task] = await openTasks(h, pik);
      await h.advance(2_000);
      const [escalate] = await openTasks(h, pik, 1, 'escalate');
      assert.equal(escalate.elementId, 'escalate');
      await eventually(() => h.runtime.getUserTask(task.userTaskKey), (t) => t.state === 'CANCELED', 'the late task canceled');
    },
  },
];
