// Start and complete, io mappings, gateways, cancellation, deployment versions.
import assert from 'node:assert/strict';
import { bpmn, flow, serviceTask, userTask } from '../helpers/bpmn.ts';
import { activate, deploy, ended, openTasks, start, variablesEventually, type Scenario } from './steps.ts';
import { eventually } from './harness.ts';

export const basics: Scenario[] = [
  {
    title: 'a user task completes and its variables reach the instance',
    async run(h) {
      const id = h.id('sc_review');
      await deploy(h, `${id}.bpmn`, bpmn(id, `<bpmn:startEvent id="s"/>${flow('f1', 's', 'review')}${userTask('review', '', 'Review application')}${flow('f2', 'review', 'e')}<bpmn:endEvent id="e"/>`));
      const pik = await start(h, id, { applicant: 'Zhang San' });
      const [task] = await openTasks(h, pik);
      assert.equal(task.name, 'Review application');
      assert.equal(task.elementId, 'review');
      assert.equal(task.processDefinitionId, id);
      assert.equal((await h.runtime.getUserTaskVariables(task.userTaskKey)).applicant, 'Zhang San');
      await h.runtime.completeUserTask(task.userTaskKey, { approved: true }, 'cadre');
      await ended(h, pik);
      await variablesEventually(h, pik, (v) => v.approved === true && v.applicant === 'Zhang San', 'approved and applicant');
    },
  },
  {
    title: 'io mappings: inputs are local to the job, outputs land in the instance',
    async run(h) {
      const id = h.id('sc_io');
      const type = h.id('sc-io-calc');
      await deploy(h, `${id}.bpmn`, bpmn(id, `<bpmn:startEvent id="s"/>${flow('f1', 's', 'calc')}
        ${serviceTask('calc', type, '<zeebe:ioMapping><zeebe:input source="=order.total" target="amount"/><zeebe:output source="=result * 2" target="doubled"/></zeebe:ioMapping>')}${flow('f2', 'calc', 'e')}<bpmn:endEvent id="e"/>`));
      const pik = await start(h, id, { order: { total: 21 } });
      const job = await activate(h, type, pik);
      assert.equal(job.variables.amount, 21);
      await h.runtime.completeJob(job.jobKey, { result: job.variables.amount });
      await ended(h, pik);
      const vars = await variablesEventually(h, pik, (v) => v.doubled === 42, 'doubled = 42');
      assert.equal('amount' in vars, false, 'the input stays local to the task');
      assert.equal('result' in vars, false, 'with an output mapping, the job result stays local');
    },
  },
  {
    title: 'an exclusive gateway takes the flow whose condition holds, else the default',
    async run(h) {
      const id = h.id('sc_xor');
      await deploy(h, `${id}.bpmn`, bpmn(id, `<bpmn:startEvent id="s"/>${flow('f0', 's', 'gw')}
        <bpmn:exclusiveGateway id="gw" default="fSmall"/>
        ${flow('fBig', 'gw', 'big', '=amount > 100')}${flow('fSmall', 'gw', 'small')}
        ${userTask('big')}${userTask('small')}${flow('f1', 'big', 'e1')}${flow('f2', 'small', 'e2')}<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>`));
      const big = await start(h, id, { amount: 500 });
      const small = await start(h, id, { amount: 5 });
      assert.equal((await openTasks(h, big))[0].elementId, 'big');
      assert.equal((await openTasks(h, small))[0].elementId, 'small');
    },
  },
  {
    title: 'parallel branches join once both tasks are complete',
    async run(h) {
      const id = h.id('sc_and');
      await deploy(h, `${id}.bpmn`, bpmn(id, `<bpmn:startEvent id="s"/>${flow('f0', 's', 'fork')}<bpmn:parallelGateway id="fork"/>
        ${flow('fa', 'fork', 'a')}${flow('fb', 'fork', 'b')}${userTask('a')}${userTask('b')}${flow('fa2', 'a', 'join')}${flow('fb2', 'b', 'join')}
        <bpmn:parallelGateway id="join"/>${flow('f9', 'join', 'e')}<bpmn:endEvent id="e"/>`));
      const pik = await start(h, id);
      const tasks = await openTasks(h, pik, 2);
      await h.runtime.completeUserTask(tasks[0].userTaskKey, { [tasks[0].elementId]: 1 });
      assert.equal((await h.runtime.getProcessInstance(pik)).state, 'ACTIVE');
      await h.runtime.completeUserTask(tasks[1].userTaskKey, { [tasks[1].elementId]: 1 });
      await ended(h, pik);
      await variablesEventually(h, pik, (v) => v.a === 1 && v.b === 1, 'both branches\' variables');
    },
  },
  {
    title: 'canceling an instance terminates it and cancels its open task',
    async run(h) {
      const id = h.id('sc_cancel');
      await deploy(h, `${id}.bpmn`, bpmn(id, `<bpmn:startEvent id="s"/>${flow('f1', 's', 'wait')}${userTask('wait')}${flow('f2', 'wait', 'e')}<bpmn:endEvent id="e"/>`));
      const pik = await start(h, id);
      const [task] = await openTasks(h, pik);
      await h.runtime.cancelProcessInstance(pik);
      await ended(h, pik, 'TERMINATED');
      await eventually(() => h.runtime.getUserTask(task.userTaskKey), (t) => t.state === 'CANCELED', 'task canceled');
    },
  },
  {
    title: 'redeploying identical content keeps its version; a change makes a new one, running instances stay',
    async run(h) {
      const id = h.id('sc_versions');
      const v1 = bpmn(id, `<bpmn:startEvent id="s"/>${flow('f1', 's', 'one')}${userTask('one')}${flow('f2', 'one', 'e')}<bpmn:endEvent id="e"/>`);
      const v2 = bpmn(id, `<bpmn:startEvent id="s"/>${flow('f1', 's', 'two')}${userTask('two')}${flow('f2', 'two', 'e')}<bpmn:endEvent id="e"/>`);
      const first = await deploy(h, `${id}.bpmn`, v1);
      const pik1 = await start(h, id);
      const again = await deploy(h, `${id}.bpmn`, v1);
      const item = (d: typeof first) => (d.deployments[0] as any).processDefinition;
      assert.equal(item(again).processDefinitionVersion, item(first).processDefinitionVersion);
      assert.equal(item(again).processDefinitionKey, item(first).processDefinitionKey);
      const second = await deploy(h, `${id}.bpmn`, v2);
      assert.equal(item(second).processDefinitionVersion, item(first).processDefinitionVersion + 1);
      const pik2 = await start(h, id);
      assert.equal((await openTasks(h, pik1))[0].elementId, 'one');
      assert.equal((await openTasks(h, pik2))[0].elementId, 'two');
    },
  },
];
