// Job-based user tasks on ZeebeRuntime: a bpmn:userTask without zeebe:userTask is, on Zeebe, a job
// of type `io.camunda.zeebe:userTask` whose headers carry assignment and form. The test gateway's
// backend serves exactly such a job (a service task of that type with those headers), as the
// cluster would (header names spelled for the backend, see zeebeHeaders in the gateway helper). The runtime mirrors it into Gridflow's task store; the platform (tasklist with
// grid scoping, forms enforced on the server, claim and completion, audit trail) runs on
// ZeebeRuntime as it does on the embedded runtime.
import assert from 'node:assert/strict';
import { ZeebeRuntime } from '../engine/zeebe/zeebe-runtime.ts';
import { bpmn, flow } from './helpers/bpmn.ts';
import { testDatabase } from './helpers/database.ts';
import { basic, startSecureApp, type SecureApp } from './helpers/secure-app.ts';
import { startTestCluster, type TestCluster } from './helpers/zeebe-gateway.ts';
import { eventually } from './scenarios/harness.ts';

const DEMO = 'gridflow-demo';
const LEASE_MS = 60_000;
const form = { id: 'visitReport', type: 'default', components: [{ type: 'textfield', key: 'findings', label: 'Findings', validate: { required: true } }, { type: 'number', key: 'employees', label: 'Employees', validate: { min: 0 } }] };

/** What Zeebe makes of `<bpmn:userTask>` with an embedded form and candidate groups: a job with headers. */
const jobBased = (id: string) => bpmn(id, `<bpmn:startEvent id="s"/>${flow('f1', 's', 'visit')}
  <bpmn:serviceTask id="visit" name="Visit enterprise"><bpmn:extensionElements><zeebe:taskDefinition type="io.camunda.zeebe:userTask" retries="1"/>
    <zeebe:taskHeaders><zeebe:header key="io_camunda_zeebe:formKey" value="camunda-forms:bpmn:visitReport"/><zeebe:header key="io_camunda_zeebe:candidateGroups" value="[&quot;grid-3&quot;]"/><zeebe:header key="io_camunda_zeebe:dueDate" value="2026-12-31T00:00:00Z"/></zeebe:taskHeaders>
  </bpmn:extensionElements></bpmn:serviceTask>${flow('f2', 'visit', 'e')}<bpmn:endEvent id="e"/>`)
  .replace(`<bpmn:process id="${id}" isExecutable="true">`, `<bpmn:process id="${id}" name="Enterprise visit" isExecutable="true"><bpmn:extensionElements><zeebe:userTaskForm id="visitReport">${JSON.stringify(form).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</zeebe:userTaskForm></bpmn:extensionElements>`);

describe('ZeebeRuntime: job-based user tasks and the platform on top', function () {
  this.timeout(30_000);
  let cluster: TestCluster;
  let zeebe: ZeebeRuntime;
  let app: SecureApp;

  before(async () => {
    cluster = await startTestCluster('zeebe_tasks_gw');
    const db = await testDatabase('zeebe_tasks_rt');
    zeebe = new ZeebeRuntime({ connection: db.connection, config: cluster.config, consistencyWaitMs: 0, clock: cluster.clock, userTaskLeaseMs: LEASE_MS });
    await zeebe.start();
    await cluster.backend.deploy([{ name: 'visit.bpmn', content: jobBased('zeebe_visit') }]);
    app = await startSecureApp('zeebe_tasks_app', { app: { runtime: zeebe } });
  });
  after(async () => { await app?.close(); await zeebe?.stop(); await cluster?.stop(); });

  const start = async (gridId: number) => (await cluster.backend.createProcessInstance({ processDefinitionId: 'zeebe_visit', variables: { gridId, company: '园区科技' } })).processInstanceKey;
  const mirrored = (pik: string) => eventually(async () => (await zeebe.searchUserTasks({ filter: { processInstanceKey: pik } })).items, (t) => t.length === 1, 'the mirrored task');

  it('mirrors the job as a user task: headers, names, form and variables', async () => {
    const pik = await start(3);
    const [task] = await mirrored(pik);
    assert.equal(task.state, 'CREATED');
    assert.equal(task.name, 'Visit enterprise');
    assert.equal(task.processName, 'Enterprise visit');
    assert.deepEqual(task.candidateGroups, ['grid-3']);
    assert.equal(task.dueDate, '2026-12-31T00:00:00Z');
    assert.equal(task.formKey, 'camunda-forms:bpmn:visitReport');
    assert.equal(task.processDefinitionId, 'zeebe_visit');
    assert.deepEqual(JSON.parse((await zeebe.getUserTaskForm(task.userTaskKey))!.schema), form);
    assert.deepEqual(await zeebe.getUserTaskVariables(task.userTaskKey), { gridId: 3, company: '园区科技' });
    assert.deepEqual((await zeebe.searchUserTasks({ filter: { candidateGroup: 'grid-3', processInstanceKey: pik } })).items.map((t) => t.userTaskKey), [task.userTaskKey]);
    assert.equal((await zeebe.searchUserTasks({ filter: { candidateGroup: 'grid-5', processInstanceKey: pik } })).items.length, 0);
  });

  it('over HTTP: the grid\'s cadre sees and claims it, the form is enforced, completion completes the job and is audited', async () => {
    const pik = await start(3);
    const [task] = await mirrored(pik);
    const cadre = basic('cadre', DEMO), mentor = basic('mentor', DEMO), admin = basic('admin', DEMO);
    const seen = await app.call(cadre, 'POST', '/v2/user-tasks/search', { filter: { processInstanceKey: pik } });
    assert.equal(seen.status, 200, seen.text);
    assert.deepEqual(seen.json.items.map((t: any) => t.userTaskKey), [task.userTaskKey]);
    const other = await app.call(mentor, 'POST', '/v2/user-tasks/search', { filter: { processInstanceKey: pik } });
    assert.equal(other.json.items.length, 0, 'not visible outside grid 3');
    const formReply = await app.call(cadre, 'GET', `/v2/user-tasks/${task.userTaskKey}/form`);
    assert.equal(formReply.status, 200, formReply.text);
    assert.equal(JSON.parse(formReply.json.schema).id, 'visitReport');

    assert.equal((await app.call(cadre, 'POST', `/v2/user-tasks/${task.userTaskKey}/assignment`, { assignee: 'cadre' })).status, 204);
    const refused = await app.call(cadre, 'POST', `/v2/user-tasks/${task.userTaskKey}/completion`, { variables: { employees: -1 } });
    assert.equal(refused.status, 422, refused.text);
    assert.match(refused.type, /problem\+json/);
    const fields = JSON.stringify(refused.json);
    assert.match(fields, /findings/);
    assert.match(fields, /employees/);
    assert.equal(cluster.gateway.calls('CompleteJob').filter((r) => r.jobKey === task.userTaskKey).length, 0, 'nothing reached the cluster');

    const done = await app.call(cadre, 'POST', `/v2/user-tasks/${task.userTaskKey}/completion`, { variables: { findings: '经营正常', employees: 120 } });
    assert.equal(done.status, 204, done.text);
    const completion = cluster.gateway.calls('CompleteJob').find((r) => r.jobKey === task.userTaskKey);
    assert.deepEqual(JSON.parse(completion.variables), { findings: '经营正常', employees: 120 });
    await eventually(() => cluster.backend.getProcessInstance(pik), (p) => p.state === 'COMPLETED', 'the instance completes');
    const after = await zeebe.getUserTask(task.userTaskKey);
    assert.equal(after.state, 'COMPLETED');
    assert.equal(after.completedBy, 'cadre');
    const again = await app.call(cadre, 'POST', `/v2/user-tasks/${task.userTaskKey}/completion`, { variables: { findings: 'again' } });
    assert.ok(again.status === 409 || again.status === 403, `a second completion is refused (${again.status})`);

    const audit = (await app.call(admin, 'GET', '/api/audit?limit=1000')).json.items as any[];
    const entry = audit.find((e) => e.action === 'task.complete' && e.target === `user-task/${task.userTaskKey}`);
    assert.ok(entry, 'the completion is audited');
    assert.deepEqual(entry.actor, { kind: 'user', id: 'cadre' });
    assert.ok(audit.some((e) => e.action === 'task.claim' && e.target === `user-task/${task.userTaskKey}`));
    const history = await zeebe.history(pik);
    assert.equal(history.find((e) => e.event === 'USER_TASK_COMPLETED')?.by, 'cadre');
  });

  it('one search answers both kinds: Camunda user tasks from the cluster and mirrored ones, sorted and paged together', async () => {
    await cluster.backend.deploy([{ name: 'camunda-task.bpmn', content: bpmn('zeebe_camunda_task', `<bpmn:startEvent id="s"/>${flow('f1', 's', 'check')}<bpmn:userTask id="check" name="Check"><bpmn:extensionElements><zeebe:userTask/><zeebe:assignmentDefinition candidateGroups="grid-7"/></bpmn:extensionElements></bpmn:userTask>${flow('f2', 'check', 'e')}<bpmn:endEvent id="e"/>`) }]);
    const camunda1 = (await cluster.backend.createProcessInstance({ processDefinitionId: 'zeebe_camunda_task', variables: { gridId: 7 } })).processInstanceKey;
    cluster.clock.advance(1_000);
    const jobBased = await start(7);
    await mirrored(jobBased);
    cluster.clock.advance(1_000);
    const camunda2 = (await cluster.backend.createProcessInstance({ processDefinitionId: 'zeebe_camunda_task', variables: { gridId: 7 } })).processInstanceKey;
    const mine = [camunda1, jobBased, camunda2];
    const all = await zeebe.searchUserTasks({ filter: { processInstanceKey: { $in: mine } as never } });
    assert.equal(all.page.totalItems, 3);
    assert.deepEqual(all.items.map((t) => t.processInstanceKey), mine, 'by creation date, both kinds together');
    const second = await zeebe.searchUserTasks({ filter: { processInstanceKey: { $in: mine } as never }, page: { from: 1, limit: 1 } });
    assert.deepEqual(second.items.map((t) => t.processInstanceKey), [jobBased]);
    assert.equal(second.page.totalItems, 3);
    const newestFirst = await zeebe.searchUserTasks({ filter: { processInstanceKey: { $in: mine } as never }, sort: [{ field: 'creationDate', order: 'DESC' }], page: { limit: 2 } });
    assert.deepEqual(newestFirst.items.map((t) => t.processInstanceKey), [camunda2, jobBased]);
  });

  it('assignment on a mirrored task: assign, refused override, unassign', async () => {
    const pik = await start(3);
    const [task] = await mirrored(pik);
    await zeebe.assignUserTask(task.userTaskKey, 'cadre');
    assert.equal((await zeebe.getUserTask(task.userTaskKey)).assignee, 'cadre');
    await assert.rejects(zeebe.assignUserTask(task.userTaskKey, 'leader', { allowOverride: false }), (e: any) => e.status === 409);
    await zeebe.unassignUserTask(task.userTaskKey);
    assert.equal((await zeebe.getUserTask(task.userTaskKey)).assignee, null);
  });

  it('completing a task whose job is gone (instance canceled in the cluster): 409, and the task is canceled', async () => {
    const pik = await start(3);
    const [task] = await mirrored(pik);
    await cluster.backend.cancelProcessInstance(pik);
    await assert.rejects(zeebe.completeUserTask(task.userTaskKey, { findings: 'too late' }, 'cadre'), (e: any) => e.status === 409);
    assert.equal((await zeebe.getUserTask(task.userTaskKey)).state, 'CANCELED');
  });

  it('a task whose job ended in the cluster (instance canceled elsewhere) is canceled once its lease lapses unrenewed; a live one stays', async () => {
    const gone = await start(3);
    const live = await start(3);
    const [goneTask] = await mirrored(gone);
    const [liveTask] = await mirrored(live);
    await cluster.backend.cancelProcessInstance(gone); // outside this runtime, as Operate would
    // Leases lapse: the live task's job is activated again (renewed); the canceled one's is not.
    for (let i = 0; i < 3; i++) {
      const before = cluster.gateway.requests.length;
      cluster.clock.advance(LEASE_MS + 1);
      await eventually(async () => cluster.gateway.requests.slice(before).some((r) => r.method === 'ActivateJobs' && r.request.type === 'io.camunda.zeebe:userTask'), Boolean, 'the tasklist worker polls again');
      await eventually(async () => (await zeebe.getUserTask(liveTask.userTaskKey)).state, (s) => s === 'CREATED', 'the live task stays');
      await new Promise((r) => setTimeout(r, 150));
    }
    assert.equal((await zeebe.getUserTask(goneTask.userTaskKey)).state, 'CANCELED');
    assert.equal((await zeebe.getUserTask(liveTask.userTaskKey)).state, 'CREATED');
    await zeebe.completeUserTask(liveTask.userTaskKey, { findings: 'ok' }, 'cadre');
    assert.equal((await zeebe.getUserTask(liveTask.userTaskKey)).state, 'COMPLETED');
  });
});
