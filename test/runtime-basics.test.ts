import assert from 'node:assert/strict';
import { bpmn, flow, serviceTask, userTask } from './helpers/bpmn.ts';
import { testRuntime, deployXml } from './helpers/runtime.ts';
import type { EmbeddedRuntime } from '../engine/embedded/embedded-runtime.ts';

describe('embedded runtime: basics', () => {
  let runtime: EmbeddedRuntime;
  before(async () => { ({ runtime } = await testRuntime('basics')); });
  after(() => runtime.stop());

  it('runs a service task and a user task, with a gateway on FEEL', async () => {
    await deployXml(runtime, 'a.bpmn', bpmn('a', `
      <bpmn:startEvent id="start"/>${flow('f1', 'start', 'work')}
      ${serviceTask('work', 'calc')}${flow('f2', 'work', 'gw')}
      <bpmn:exclusiveGateway id="gw" default="f4"/>
      ${flow('f3', 'gw', 'review', '=total > 100')}${flow('f4', 'gw', 'end')}
      ${userTask('review')}${flow('f5', 'review', 'end')}
      <bpmn:endEvent id="end"/>`));
    const { processInstanceKey } = await runtime.createProcessInstance({ processDefinitionId: 'a', variables: { n: 3 } });
    const jobs = await runtime.activateJobs({ type: 'calc', timeout: 10_000, maxJobsToActivate: 5, requestTimeout: -1 });
    assert.equal(jobs.length, 1);
    assert.deepEqual(jobs[0].variables, { n: 3 });
    await runtime.completeJob(jobs[0].jobKey, { total: 150 });
    const tasks = await runtime.searchUserTasks({ filter: { processInstanceKey, state: 'CREATED' } });
    assert.equal(tasks.items.length, 1);
    assert.equal(tasks.items[0].elementId, 'review');
    await runtime.completeUserTask(tasks.items[0].userTaskKey, { ok: true }, 'demo');
    const pi = await runtime.getProcessInstance(processInstanceKey);
    assert.equal(pi.state, 'COMPLETED');
    const history = await runtime.history(processInstanceKey);
    assert.deepEqual(history.filter((h) => h.event === 'ELEMENT_COMPLETED').map((h) => h.elementId), ['start', 'work', 'gw', 'review', 'end', 'a']);
    await assert.rejects(runtime.completeUserTask(tasks.items[0].userTaskKey, {}), (e: any) => e.status === 409);
    await assert.rejects(runtime.completeJob(jobs[0].jobKey, {}), (e: any) => e.status === 404);
  });
});
