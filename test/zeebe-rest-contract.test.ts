// The REST contract: ZeebeRuntime's reads, user task commands and correlation go to Camunda's
// Orchestration Cluster REST API (v2). Here they go to Gridflow's own Camunda-compatible server
// (createV2Router over an embedded runtime), and what ZeebeRuntime returns is compared with what
// that runtime answers directly: the shapes match, field by field. Where Camunda's 8.8 spec
// differs from the seam on purpose (names fall back to ids on the wire), the comparison applies
// the same rule. Every endpoint the runtime calls is served by Gridflow's /v2 itself.
import assert from 'node:assert/strict';
import { RuntimeError, type Page, type UserTask } from '../engine/runtime.ts';
import { ZeebeRuntime } from '../engine/zeebe/zeebe-runtime.ts';
import { createV2Router } from '../engine/rest/index.ts';
import { bpmn, flow, serviceTask, userTask } from './helpers/bpmn.ts';
import { testDatabase } from './helpers/database.ts';
import { startTestCluster, type TestCluster } from './helpers/zeebe-gateway.ts';

const form = JSON.stringify({ id: 'rest_visit_form', type: 'default', components: [{ type: 'textfield', key: 'findings', label: 'Findings' }] });
const visit = bpmn('rest_visit', `<bpmn:startEvent id="s"/>${flow('f1', 's', 'visit')}
  ${userTask('visit', '<zeebe:formDefinition formId="rest_visit_form"/><zeebe:assignmentDefinition candidateGroups="grid-3"/>', 'Visit enterprise')}${flow('f2', 'visit', 'paid')}
  <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>${flow('f3', 'paid', 'charge')}
  ${serviceTask('charge', 'rest-charge')}${flow('f4', 'charge', 'e')}<bpmn:endEvent id="e"/>`,
'<bpmn:message id="m" name="rest-paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=caseNo"/></bpmn:extensionElements></bpmn:message>');
const parent = bpmn('rest_parent', `<bpmn:startEvent id="s"/>${flow('f1', 's', 'call')}
  <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="rest_visit" propagateAllChildVariables="true"/></bpmn:extensionElements></bpmn:callActivity>${flow('f2', 'call', 'e')}<bpmn:endEvent id="e"/>`);

/** Camunda 8.8's wire rule: an unnamed process or element shows its id (engine/rest/wire.ts). */
const named = <T extends { processDefinitionName?: string | null; processDefinitionId: string }>(p: Page<T>) => ({ ...p, items: p.items.map((i) => ({ ...i, processDefinitionName: i.processDefinitionName ?? i.processDefinitionId })) });
const elementNamed = <T extends { elementName: string | null; elementId: string }>(p: Page<T>) => ({ ...p, items: p.items.map((i) => ({ ...i, elementName: i.elementName ?? i.elementId })) });
/** Gridflow-internal task fields that never travel (formLink) or that each runtime records itself (completedBy). */
const task = (t: UserTask) => { const { formLink: _f, completedBy: _c, ...rest } = t; return rest; };

describe('ZeebeRuntime REST contract (Gridflow\'s own Camunda-compatible REST server)', function () {
  this.timeout(30_000);
  let cluster: TestCluster;
  let zeebe: ZeebeRuntime;
  let strict: ZeebeRuntime;
  let pik: string, child: string, done: string;
  let taskKey: string;

  before(async () => {
    cluster = await startTestCluster('zeebe_rest_gw');
    const db = await testDatabase('zeebe_rest_rt');
    zeebe = new ZeebeRuntime({ connection: db.connection, config: cluster.config, consistencyWaitMs: 0, jobBasedUserTasks: false });
    // A second one whose client checks every request it sends and every answer against Camunda's 8.8 spec.
    const before = process.env.CAMUNDA_SDK_VALIDATION;
    process.env.CAMUNDA_SDK_VALIDATION = 'req:strict,res:strict';
    try {
      strict = new ZeebeRuntime({ connection: db.connection, config: cluster.config, consistencyWaitMs: 0, jobBasedUserTasks: false });
    } finally {
      if (before === undefined) delete process.env.CAMUNDA_SDK_VALIDATION; else process.env.CAMUNDA_SDK_VALIDATION = before;
    }
    await zeebe.start();
    const b = cluster.backend;
    await b.deploy([{ name: 'rest_visit_form.form', content: form }, { name: 'rest-visit.bpmn', content: visit }, { name: 'rest-parent.bpmn', content: parent }]);
    pik = (await b.createProcessInstance({ processDefinitionId: 'rest_visit', variables: { caseNo: 'GF-1', company: { name: '园区科技', uscc: '91310000MA1FL0000X' } } })).processInstanceKey;
    const top = (await b.createProcessInstance({ processDefinitionId: 'rest_parent', variables: { caseNo: 'GF-2' } })).processInstanceKey;
    await b.idle();
    child = (await b.searchProcessInstances({ filter: { parentProcessInstanceKey: top } })).items[0].processInstanceKey;
    done = (await b.createProcessInstance({ processDefinitionId: 'rest_visit', variables: { caseNo: 'GF-3' } })).processInstanceKey;
    await b.cancelProcessInstance(done);
    taskKey = (await b.searchUserTasks({ filter: { processInstanceKey: pik } })).items[0].userTaskKey;
  });
  after(async () => { await zeebe?.stop(); await strict?.stop(); await cluster?.stop(); });

  it('process definitions: search, get and XML as the server answers them', async () => {
    const b = cluster.backend;
    assert.deepEqual(await zeebe.searchProcessDefinitions({}), await b.searchProcessDefinitions({}));
    assert.deepEqual(await zeebe.searchProcessDefinitions({ filter: { processDefinitionId: 'rest_visit' } }), await b.searchProcessDefinitions({ filter: { processDefinitionId: 'rest_visit' } }));
    const key = (await b.searchProcessDefinitions({ filter: { processDefinitionId: 'rest_visit' } })).items[0].processDefinitionKey;
    assert.deepEqual(await zeebe.getProcessDefinition(key), await b.getProcessDefinition(key));
    assert.equal(await zeebe.getProcessDefinitionXml(key), await b.getProcessDefinitionXml(key));
  });

  it('process instances: get, search with filters, sort and paging', async () => {
    const b = cluster.backend;
    assert.deepEqual(await zeebe.getProcessInstance(pik), named({ items: [await b.getProcessInstance(pik)], page: { totalItems: 1 } }).items[0]);
    for (const q of [{}, { filter: { state: 'TERMINATED' as const } }, { filter: { processInstanceKey: child } }, { filter: { processDefinitionId: 'rest_visit' }, sort: [{ field: 'startDate', order: 'DESC' as const }], page: { from: 1, limit: 1 } }]) {
      assert.deepEqual(await zeebe.searchProcessInstances(q), named(await b.searchProcessInstances(q)), JSON.stringify(q));
    }
    const children = await zeebe.searchProcessInstances({ filter: { processInstanceKey: child } });
    assert.match(children.items[0].parentProcessInstanceKey!, /^\d+$/);
  });

  it('element instances, variables and user tasks match', async () => {
    const b = cluster.backend;
    assert.deepEqual(await zeebe.searchElementInstances({ filter: { processInstanceKey: pik } }), elementNamed(await b.searchElementInstances({ filter: { processInstanceKey: pik } })));
    assert.deepEqual(await zeebe.searchVariables({ filter: { processInstanceKey: pik } }), await b.searchVariables({ filter: { processInstanceKey: pik } }));
    const theirs = await b.searchUserTasks({ filter: { candidateGroup: 'grid-3' } });
    const ours = await zeebe.searchUserTasks({ filter: { candidateGroup: 'grid-3' } });
    assert.deepEqual({ ...ours, items: ours.items.map(task) }, { ...theirs, items: theirs.items.map(task) });
    assert.deepEqual(task(await zeebe.getUserTask(taskKey)), task(await b.getUserTask(taskKey)));
    assert.deepEqual(await zeebe.getUserTaskForm(taskKey), await b.getUserTaskForm(taskKey));
    assert.deepEqual(await zeebe.getUserTaskVariables(taskKey), await b.getUserTaskVariables(taskKey));
    for (const q of [{}, { filter: { name: 'company' } }, { sort: [{ field: 'name', order: 'DESC' as const }], page: { from: 1, limit: 2 } }]) {
      assert.deepEqual(await zeebe.searchUserTaskVariables(taskKey, q), await b.searchUserTaskVariables(taskKey, q), JSON.stringify(q));
    }
    const names = (await zeebe.searchUserTaskVariables(taskKey, {})).items.map((v) => v.name).sort();
    assert.deepEqual(names, ['caseNo', 'company']);
  });

  it('user task commands take effect on the server: assign, refused override, unassign, complete', async () => {
    const b = cluster.backend;
    await zeebe.assignUserTask(taskKey, 'cadre');
    assert.equal((await b.getUserTask(taskKey)).assignee, 'cadre');
    await assert.rejects(zeebe.assignUserTask(taskKey, 'leader', { allowOverride: false }), (e: any) => e instanceof RuntimeError && e.status === 409);
    await zeebe.unassignUserTask(taskKey);
    assert.equal((await b.getUserTask(taskKey)).assignee, null);
    await zeebe.completeUserTask(taskKey, { findings: 'all in order' }, 'cadre');
    assert.equal((await b.getUserTask(taskKey)).state, 'COMPLETED');
    assert.equal((await zeebe.getUserTask(taskKey)).completedBy, 'cadre');
    await assert.rejects(zeebe.completeUserTask(taskKey, {}), (e: any) => e instanceof RuntimeError && e.status === 409);
  });

  it('correlation and incidents: correlate names the instance; incidents match and resolve', async () => {
    const b = cluster.backend;
    const res = await zeebe.correlateMessage({ name: 'rest-paid', correlationKey: 'GF-1', variables: { paid: 100 } });
    assert.equal(res.processInstanceKey, pik);
    const [job] = await b.activateJobs({ type: 'rest-charge', timeout: 10_000, maxJobsToActivate: 1 });
    await b.failJob(job.jobKey, { retries: 0, errorMessage: 'bank offline' });
    assert.deepEqual(await zeebe.searchIncidents({ filter: { processInstanceKey: pik } }), await b.searchIncidents({ filter: { processInstanceKey: pik } }));
    const [incident] = (await zeebe.searchIncidents({ filter: { processInstanceKey: pik } })).items;
    assert.equal(incident.errorType, 'JOB_NO_RETRIES');
    await zeebe.resolveIncident(incident.incidentKey);
    assert.equal((await b.searchIncidents({ filter: { incidentKey: incident.incidentKey } })).items[0].state, 'RESOLVED');
    const history = await zeebe.history(pik);
    for (const event of ['ELEMENT_ACTIVATED', 'USER_TASK_COMPLETED', 'MESSAGE_CORRELATED', 'INCIDENT_CREATED', 'INCIDENT_RESOLVED']) assert.ok(history.some((e) => e.event === event), event);
  });

  it('errors: 404 for unknown keys, 400 for a bad query, as RuntimeErrors', async () => {
    await assert.rejects(zeebe.getProcessInstance('2251799813999999'), (e: any) => e instanceof RuntimeError && e.status === 404 && e.code === 'NOT_FOUND');
    await assert.rejects(zeebe.getUserTask('2251799813999999'), (e: any) => e instanceof RuntimeError && e.status === 404);
    await assert.rejects(zeebe.searchUserTaskVariables('2251799813999999', {}), (e: any) => e instanceof RuntimeError && e.status === 404);
    await assert.rejects(zeebe.resolveIncident('2251799813999999'), (e: any) => e instanceof RuntimeError && e.status === 404 && e.code === 'NOT_FOUND');
    await assert.rejects(zeebe.searchProcessInstances({ sort: [{ field: 'nonsense' }] }), (e: any) => e instanceof RuntimeError && e.status === 400 && e.code === 'INVALID_ARGUMENT');
  });

  it('with Camunda\'s client validating both ways: every request conforms to the 8.8 spec, every answer of the server too but one', async () => {
    const b = cluster.backend;
    const pik2 = (await b.createProcessInstance({ processDefinitionId: 'rest_visit', variables: { caseNo: 'GF-9' } })).processInstanceKey;
    const key = (await b.searchUserTasks({ filter: { processInstanceKey: pik2 } })).items[0].userTaskKey;
    const defKey = (await b.searchProcessDefinitions({ filter: { processDefinitionId: 'rest_visit' } })).items[0].processDefinitionKey;
    await strict.searchProcessDefinitions({ filter: { processDefinitionId: 'rest_visit' } });
    await strict.getProcessDefinition(defKey);
    await strict.getProcessDefinitionXml(defKey);
    await strict.getProcessInstance(pik2);
    await strict.searchProcessInstances({ filter: { state: 'ACTIVE' }, sort: [{ field: 'startDate', order: 'DESC' }], page: { from: 0, limit: 5 } });
    await strict.searchElementInstances({ filter: { processInstanceKey: pik2 } });
    await strict.searchVariables({ filter: { processInstanceKey: pik2 } });
    await strict.searchIncidents({ filter: { processInstanceKey: pik2 } });
    await strict.searchUserTasks({ filter: { candidateGroup: 'grid-3', state: 'CREATED' } });
    await strict.getUserTask(key);
    await strict.getUserTaskVariables(key);
    await strict.searchUserTaskVariables(key, { filter: { name: 'caseNo' }, sort: [{ field: 'name' }], page: { from: 0, limit: 10 } });
    await strict.assignUserTask(key, 'cadre', { allowOverride: true });
    await strict.unassignUserTask(key);
    // Camunda's server sends the form's schema as JSON text, and so does Gridflow's /v2; the 8.8
    // specification bundled with this client still types it as an object (Camunda corrected its
    // specification to a string later), so the client's strict check refuses the server's answer.
    await assert.rejects(strict.getUserTaskForm(key), (e: any) => e instanceof RuntimeError && e.status === 503 && e.code === 'INVALID_RESPONSE' && /getUserTaskForm/.test(e.message));
    await strict.completeUserTask(key, { findings: 'ok' }, 'cadre');
    await strict.correlateMessage({ name: 'rest-paid', correlationKey: 'GF-9', variables: { paid: 1 } });
    assert.equal((await b.getUserTask(key)).state, 'COMPLETED');
    await b.idle();
    const job = (await b.activateJobs({ type: 'rest-charge', timeout: 10_000, maxJobsToActivate: 10 })).find((j) => j.processInstanceKey === pik2)!;
    await b.failJob(job.jobKey, { retries: 0, errorMessage: 'bank offline' });
    const [incident] = (await strict.searchIncidents({ filter: { processInstanceKey: pik2 } })).items;
    await strict.resolveIncident(incident.incidentKey);
    assert.equal((await b.searchIncidents({ filter: { incidentKey: incident.incidentKey } })).items[0].state, 'RESOLVED');
    // A request outside the spec never leaves: 400, as the server would answer.
    await assert.rejects(strict.searchProcessInstances({ sort: [{ field: 'nonsense' }] }), (e: any) => e instanceof RuntimeError && e.status === 400 && e.code === 'INVALID_ARGUMENT');
  });

  it('every REST endpoint the runtime called is one Gridflow\'s /v2 serves', async () => {
    const served = createV2Router(cluster.backend, { access: 'unprotected' }).routes.map((r) => ({ method: r.method.toUpperCase(), re: new RegExp(`^/v2${r.path.replace(/:[A-Za-z]+/g, '[^/]+')}$`) }));
    const used = new Set(cluster.restCalls.map((c) => `${c.method} ${c.path.replace(/\d{6,}/g, '{key}')}`));
    const missing = [...used].filter((u) => { const [m, p] = u.split(' '); return !served.some((s) => s.method === m && s.re.test(p.replace(/\{key\}/g, '1'))); });
    assert.deepEqual(missing, []);
    for (const endpoint of ['POST /v2/user-tasks/{key}/variables/search', 'GET /v2/incidents/{key}', 'GET /v2/user-tasks/{key}/form']) assert.ok(used.has(endpoint), endpoint);
    assert.ok(used.size >= 16, `used ${[...used].join(', ')}`);
  });
});
