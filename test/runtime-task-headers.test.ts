// Task headers whose keys hold dots or dollars (Camunda's element templates write keys such as
// `io.camunda.template.id`): kept as they are through deployment, job activation and user tasks.
import assert from 'node:assert/strict';
import { bpmn, flow } from './helpers/bpmn.ts';
import { testRuntime, deployXml, type TestClock } from './helpers/runtime.ts';
import { EmbeddedRuntime } from '../engine/embedded/embedded-runtime.ts';

const headers = { 'io.camunda.template.id': 'io.camunda.connectors.HttpJson.v2', 'io.camunda.template.version': '8', $ref: '#/a', plain: 'x', 'a.b.c': '' };
const headerXml = `<zeebe:taskHeaders>${Object.entries(headers).map(([k, v]) => `<zeebe:header key="${k}" value="${v}"/>`).join('')}</zeebe:taskHeaders>`;

describe('embedded runtime: task headers with any key', () => {
  let runtime: EmbeddedRuntime;
  let clock: TestClock;
  let db: Awaited<ReturnType<typeof testRuntime>>['db'];
  before(async () => { ({ runtime, clock, db } = await testRuntime('task_headers')); });
  after(() => runtime.stop());

  it('a job and a user task carry headers whose keys hold dots and dollars, also after a restart', async () => {
    await deployXml(runtime, 'h.bpmn', bpmn('h', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'call.http')}
      <bpmn:serviceTask id="call.http"><bpmn:extensionElements><zeebe:taskDefinition type="headers-call"/>${headerXml}</bpmn:extensionElements></bpmn:serviceTask>
      ${flow('f1', 'call.http', 'ask')}
      <bpmn:userTask id="ask"><bpmn:extensionElements><zeebe:userTask/>${headerXml}</bpmn:extensionElements></bpmn:userTask>
      ${flow('f2', 'ask', 'e')}<bpmn:endEvent id="e"/>`));
    const { processInstanceKey } = await runtime.createProcessInstance({ processDefinitionId: 'h' });
    const [job] = await runtime.activateJobs({ type: 'headers-call', timeout: 10_000, maxJobsToActivate: 1, requestTimeout: -1 });
    assert.ok(job);
    assert.deepEqual(job.customHeaders, headers);
    await runtime.completeJob(job.jobKey, {});
    const [task] = (await runtime.searchUserTasks({ filter: { processInstanceKey, state: 'CREATED' } })).items;
    assert.deepEqual(task!.customHeaders, headers);
    // Another runtime on the same database (a restart) reads the definition and the task back.
    const restarted = new EmbeddedRuntime({ connection: db.connection, clock, timers: false });
    await restarted.start();
    try {
      assert.deepEqual((await restarted.getUserTask(task!.userTaskKey)).customHeaders, headers);
      const [definition] = (await restarted.searchProcessDefinitions({ filter: { processDefinitionId: 'h' } })).items;
      assert.equal(definition!.version, 1);
      await restarted.completeUserTask(task!.userTaskKey);
      assert.equal((await restarted.getProcessInstance(processInstanceKey)).state, 'COMPLETED');
      assert.deepEqual((await restarted.history(processInstanceKey)).filter((h) => h.event === 'ELEMENT_COMPLETED').map((h) => h.elementId), ['s', 'call.http', 'ask', 'e', 'h']);
    } finally {
      await restarted.stop();
    }
  });
});
