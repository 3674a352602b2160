// User tasks: assignment, candidate groups, double completion, linked forms, who completed.
import assert from 'node:assert/strict';
import { bpmn, flow, userTask } from '../helpers/bpmn.ts';
import { deploy, ended, openTasks, rejects, start, type Scenario } from './steps.ts';
import { eventually } from './harness.ts';

export const userTasks: Scenario[] = [
  {
    title: 'assign, refuse an override when asked, unassign; candidate groups find the task',
    async run(h) {
      const id = h.id('sc_assign');
      const group = h.id('grid-3');
      await deploy(h, `${id}.bpmn`, bpmn(id, `<bpmn:startEvent id="s"/>${flow('f1', 's', 'visit')}${userTask('visit', `<zeebe:assignmentDefinition candidateGroups="${group}, committee"/>`, 'Visit enterprise')}${flow('f2', 'visit', 'e')}<bpmn:endEvent id="e"/>`));
      const pik = await start(h, id);
      const [task] = await openTasks(h, pik);
      assert.deepEqual(task.candidateGroups, [group, 'committee']);
      const byGroup = await h.runtime.searchUserTasks({ filter: { candidateGroup: group, processInstanceKey: pik } });
      assert.deepEqual(byGroup.items.map((t) => t.userTaskKey), [task.userTaskKey]);
      await h.runtime.assignUserTask(task.userTaskKey, 'cadre');
      await eventually(() => h.runtime.getUserTask(task.userTaskKey), (t) => t.assignee === 'cadre', 'assigned to cadre');
      await rejects(h.runtime.assignUserTask(task.userTaskKey, 'leader', { allowOverride: false }), 409, 'override refused');
      await h.runtime.unassignUserTask(task.userTaskKey);
      await eventually(() => h.runtime.getUserTask(task.userTaskKey), (t) => t.assignee === null, 'unassigned');
      const mine = await h.runtime.searchUserTasks({ filter: { assignee: 'cadre', processInstanceKey: pik } });
      assert.equal(mine.items.length, 0);
    },
  },
  {
    title: 'a task completed twice: the second completion is refused and changes nothing',
    async run(h) {
      const id = h.id('sc_twice');
      await deploy(h, `${id}.bpmn`, bpmn(id, `<bpmn:startEvent id="s"/>${flow('f1', 's', 'sign')}${userTask('sign')}${flow('f2', 'sign', 'next')}${userTask('next')}${flow('f3', 'next', 'e')}<bpmn:endEvent id="e"/>`));
      const pik = await start(h, id);
      const [task] = await openTasks(h, pik);
      await h.runtime.completeUserTask(task.userTaskKey, { signed: 1 }, 'leader');
      await openTasks(h, pik, 1, 'next');
      await assert.rejects(h.runtime.completeUserTask(task.userTaskKey, { signed: 2 }, 'cadre'), (err: any) => [404, 409].includes(err?.status));
      const done = await eventually(() => h.runtime.getUserTask(task.userTaskKey), (t) => t.state === 'COMPLETED', 'the task completed');
      assert.equal(done.completedBy, 'leader');
    },
  },
  {
    title: 'a task linked to a deployed form gets that form; getForm and searchForms find it',
    async run(h) {
      const id = h.id('sc_form');
      const formId = h.id('sc_visit_form');
      const form = JSON.stringify({ id: formId, type: 'default', schemaVersion: 16, components: [{ type: 'textfield', key: 'findings', label: 'Findings', validate: { required: true } }] });
      const xml = bpmn(id, `<bpmn:startEvent id="s"/>${flow('f1', 's', 'visit')}${userTask('visit', `<zeebe:formDefinition formId="${formId}"/>`)}${flow('f2', 'visit', 'e')}<bpmn:endEvent id="e"/>`);
      const d = await h.runtime.deploy([{ name: `${formId}.form`, content: form }, { name: `${id}.bpmn`, content: xml }]);
      const deployed = d.deployments.find((i) => 'form' in i) as any;
      assert.equal(deployed.form.formId, formId);
      const pik = await start(h, id);
      const [task] = await openTasks(h, pik);
      const linked = await h.runtime.getUserTaskForm(task.userTaskKey);
      assert.equal(linked?.formId, formId);
      assert.equal(linked?.formKey, deployed.form.formKey);
      assert.equal(JSON.parse(linked!.schema).components[0].key, 'findings');
      assert.equal((await h.runtime.getForm(deployed.form.formKey)).formId, formId);
      const versions = await h.runtime.searchForms({ formId });
      assert.deepEqual(versions.map((v) => v.version), [1]);
    },
  },
  {
    title: 'history records the task\'s completion and who completed it',
    async run(h) {
      const id = h.id('sc_history');
      await deploy(h, `${id}.bpmn`, bpmn(id, `<bpmn:startEvent id="s"/>${flow('f1', 's', 'approve')}${userTask('approve')}${flow('f2', 'approve', 'e')}<bpmn:endEvent id="e"/>`));
      const pik = await start(h, id);
      const [task] = await openTasks(h, pik);
      await h.runtime.completeUserTask(task.userTaskKey, {}, 'committee');
      await ended(h, pik);
      const history = await eventually(() => h.runtime.history(pik), (entries) => entries.some((e) => e.event === 'ELEMENT_COMPLETED' && e.elementId === 'e'), 'history up to the end');
      const done = history.find((e) => e.event === 'USER_TASK_COMPLETED');
      assert.equal(done?.elementId, 'approve');
      assert.equal(done?.by, 'committee');
      const activated = history.filter((e) => e.event === 'ELEMENT_ACTIVATED').map((e) => e.elementId);
      for (const el of ['s', 'approve', 'e']) assert.ok(activated.includes(el), `${el} activated`);
      assert.deepEqual(history.map((e) => e.seq), history.map((_, i) => i + 1));
    },
  },
];
