// Call activities and multi-instance.
import assert from 'node:assert/strict';
import { bpmn, flow, userTask } from '../helpers/bpmn.ts';
import { deploy, ended, openTasks, start, variablesEventually, type Scenario } from './steps.ts';
import { eventually } from './harness.ts';

export const structure: Scenario[] = [
  {
    title: 'a call activity starts the child with its parent\'s key; the child\'s outputs return',
    async run(h) {
      const parent = h.id('sc_parent');
      const child = h.id('sc_child');
      await deploy(h, `${child}.bpmn`, bpmn(child, `<bpmn:startEvent id="s"/>${flow('f1', 's', 'inspect')}${userTask('inspect')}${flow('f2', 'inspect', 'e')}<bpmn:endEvent id="e"/>`));
      await deploy(h, `${parent}.bpmn`, bpmn(parent, `<bpmn:startEvent id="s"/>${flow('f1', 's', 'call')}
        <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="${child}" propagateAllChildVariables="false"/>
          <zeebe:ioMapping><zeebe:input source="=caseNo" target="ref"/><zeebe:output source="=outcome" target="inspection"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:callActivity>
        ${flow('f2', 'call', 'e')}<bpmn:endEvent id="e"/>`));
      const pik = await start(h, parent, { caseNo: 'GF-2026-001' });
      const children = await eventually(async () => (await h.runtime.searchProcessInstances({ filter: { parentProcessInstanceKey: pik } })).items, (items) => items.length === 1, 'the child instance');
      assert.equal(children[0].processDefinitionId, child);
      const [task] = await openTasks(h, children[0].processInstanceKey);
      assert.equal((await h.runtime.getUserTaskVariables(task.userTaskKey)).ref, 'GF-2026-001');
      await h.runtime.completeUserTask(task.userTaskKey, { outcome: 'passed' });
      await ended(h, children[0].processInstanceKey);
      await ended(h, pik);
      await variablesEventually(h, pik, (v) => v.inspection === 'passed', 'the child\'s output');
    },
  },
  {
    title: 'a parallel multi-instance task makes one task per element and collects their outputs',
    async run(h) {
      const id = h.id('sc_multi');
      await deploy(h, `${id}.bpmn`, bpmn(id, `<bpmn:startEvent id="s"/>${flow('f1', 's', 'review')}
        <bpmn:userTask id="review" name="Review"><bpmn:extensionElements><zeebe:userTask/></bpmn:extensionElements>
          <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=reviewers" inputElement="reviewer" outputCollection="opinions" outputElement="=opinion"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
        </bpmn:userTask>${flow('f2', 'review', 'e')}<bpmn:endEvent id="e"/>`));
      const pik = await start(h, id, { reviewers: ['li', 'wang', 'zhao'] });
      const tasks = await openTasks(h, pik, 3);
      assert.equal(tasks.length, 3);
      for (const t of tasks) {
        const { reviewer } = await h.runtime.getUserTaskVariables(t.userTaskKey);
        await h.runtime.completeUserTask(t.userTaskKey, { opinion: `${reviewer}: agree` });
      }
      await ended(h, pik);
      const vars = await variablesEventually(h, pik, (v) => Array.isArray(v.opinions) && v.opinions.length === 3, 'three opinions');
      assert.deepEqual([...(vars.opinions as string[])].sort(), ['li: agree', 'wang: agree', 'zhao: agree']);
    },
  },
];
