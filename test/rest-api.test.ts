// The /v2 API end to end over HTTP: createApp on the real embedded runtime and a fresh test
// database, driven with fetch (multipart through FormData/Blob) the way a Camunda client would.
// Every endpoint: its happy path, its usual 4xx, and Camunda 8.8's response shapes (keys are
// numeric strings, nulls left out). Validation in depth lives in rest-validation.test.ts.

import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EmbeddedRuntime } from '../engine/embedded/embedded-runtime.ts';
import { createApp } from '../web/server.ts';
import { bpmn, flow, serviceTask, userTask } from './helpers/bpmn.ts';
import { testDatabase } from './helpers/database.ts';

const KEY = /^[0-9]{1,19}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

interface Reply { status: number; type: string; json: any; text: string; ms: number }

const messageDefs = (...names: Array<[id: string, name: string, key: string]>) =>
  names.map(([id, name, key]) => `<bpmn:message id="${id}" name="${name}"><bpmn:extensionElements><zeebe:subscription correlationKey="${key}"/></bpmn:extensionElements></bpmn:message>`).join('');

const catchMessage = (id: string, messageRef: string) =>
  `<bpmn:intermediateCatchEvent id="${id}"><bpmn:messageEventDefinition messageRef="${messageRef}"/></bpmn:intermediateCatchEvent>`;

// ---- the diagrams ----------------------------------------------------------------------------

/** Review by sales or support, then done. */
const reviewXml = (name = 'Review') => bpmn('rest_review', `
  <bpmn:startEvent id="start"/>${flow('f1', 'start', 'review')}
  ${userTask('review', '<zeebe:assignmentDefinition candidateGroups="sales, support"/><zeebe:priorityDefinition priority="70"/>', name)}${flow('f2', 'review', 'end')}
  <bpmn:endEvent id="end"/>`);

const jobXml = (id: string, type: string) => bpmn(id, `
  <bpmn:startEvent id="start"/>${flow('f1', 'start', 'work')}
  ${serviceTask('work', type)}${flow('f2', 'work', 'end')}
  <bpmn:endEvent id="end"/>`);

const chargeXml = bpmn('rest_charge', `
  <bpmn:startEvent id="start"/>${flow('f1', 'start', 'charge')}
  ${serviceTask('charge', 'rest-charge')}${flow('f2', 'charge', 'end_ok')}
  <bpmn:endEvent id="end_ok"/>
  <bpmn:boundaryEvent id="declined" attachedToRef="charge"><bpmn:errorEventDefinition errorRef="Err_card"/></bpmn:boundaryEvent>
  ${flow('f3', 'declined', 'end_declined')}
  <bpmn:endEvent id="end_declined"/>`, '<bpmn:error id="Err_card" name="Card declined" errorCode="CARD_DECLINED"/>');

/** Waits for `paid` for its orderId. */
const paymentXml = bpmn('rest_payment', `
  <bpmn:startEvent id="start"/>${flow('f1', 'start', 'wait_paid')}
  ${catchMessage('wait_paid', 'Msg_paid')}${flow('f2', 'wait_paid', 'end')}
  <bpmn:endEvent id="end"/>`, messageDefs(['Msg_paid', 'paid', '=orderId']));

/** A user task first; only then waits for `go`. */
const laterXml = bpmn('rest_later', `
  <bpmn:startEvent id="start"/>${flow('f1', 'start', 'prepare')}
  ${userTask('prepare')}${flow('f2', 'prepare', 'wait_go')}
  ${catchMessage('wait_go', 'Msg_go')}${flow('f3', 'wait_go', 'end')}
  <bpmn:endEvent id="end"/>`, messageDefs(['Msg_go', 'go', '=orderId']));

const childXml = bpmn('rest_child', `
  <bpmn:startEvent id="start"/>${flow('f1', 'start', 'child_task')}
  ${userTask('child_task')}${flow('f2', 'child_task', 'end')}
  <bpmn:endEvent id="end"/>`);

const parentXml = bpmn('rest_parent', `
  <bpmn:startEvent id="start"/>${flow('f1', 'start', 'call')}
  <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="rest_child" propagateAllChildVariables="false"/></bpmn:extensionElements></bpmn:callActivity>
  ${flow('f2', 'call', 'end')}
  <bpmn:endEvent id="end"/>`);

/** A task inside a sub-process; both have local variables, one shadowing a name of the root scope. */
const scopedXml = bpmn('rest_scoped', `
  <bpmn:startEvent id="start"/>${flow('f1', 'start', 'sub')}
  <bpmn:subProcess id="sub"><bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=orderId + &quot;-sub&quot;" target="orderId"/><zeebe:input source="=&quot;east&quot;" target="region"/></zeebe:ioMapping></bpmn:extensionElements>
    <bpmn:startEvent id="sub_start"/>${flow('s1', 'sub_start', 'fill')}
    ${userTask('fill', '<zeebe:ioMapping><zeebe:input source="=total * 2" target="total"/></zeebe:ioMapping>')}${flow('s2', 'fill', 'sub_end')}
    <bpmn:endEvent id="sub_end"/>
  </bpmn:subProcess>${flow('f2', 'sub', 'end')}
  <bpmn:endEvent id="end"/>`);

const invalidXml = bpmn('rest_invalid', `
  <bpmn:startEvent id="start"/>${flow('f1', 'start', 'no_type')}
  <bpmn:serviceTask id="no_type"/>${flow('f2', 'no_type', 'wait_nokey')}
  <bpmn:intermediateCatchEvent id="wait_nokey"><bpmn:messageEventDefinition messageRef="Msg_nokey"/></bpmn:intermediateCatchEvent>${flow('f3', 'wait_nokey', 'end')}
  <bpmn:endEvent id="end"/>`, '<bpmn:message id="Msg_nokey" name="nokey"/>');

const javascriptXml = bpmn('rest_js', `
  <bpmn:startEvent id="start"/>${flow('f1', 'start', 'js')}
  <bpmn:scriptTask id="js" scriptFormat="javascript"><bpmn:script>return 1 + 1;</bpmn:script></bpmn:scriptTask>${flow('f2', 'js', 'end')}
  <bpmn:endEvent id="end"/>`);

describe('REST /v2 end to end on the embedded runtime', function () {
  this.timeout(30_000);
  let runtime: EmbeddedRuntime;
  let server: Server;
  let base: string;

  before(async () => {
    const db = await testDatabase('rest_api');
    runtime = new EmbeddedRuntime({ connection: db.connection });
    await runtime.start();
    server = createApp({ runtime, auth: 'unprotected' }).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await runtime.stop();
  });

  // ---- helpers ----------------------------------------------------------------------------------

  async function call(method: string, path: string, body?: unknown): Promise<Reply> {
    const init: RequestInit = { method };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    const t0 = performance.now();
    const res = await fetch(`${base}${path}`, init);
    const text = await res.text();
    const ms = performance.now() - t0;
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, type, text, json: type.includes('json') && text ? JSON.parse(text) : undefined, ms };
  }
  const post = (path: string, body?: unknown) => call('POST', path, body);
  const get = (path: string) => call('GET', path);

  /** 200/204 or fail with the problem the server sent. */
  async function ok(reply: Promise<Reply>, status = 200): Promise<any> {
    const r = await reply;
    assert.equal(r.status, status, r.text);
    return r.json;
  }

  /** A problem+json with this status (and detail pattern). */
  async function problem(reply: Promise<Reply>, status: number, detail?: RegExp): Promise<any> {
    const r = await reply;
    assert.equal(r.status, status, r.text);
    assert.match(r.type, /^application\/problem\+json/);
    assert.equal(r.json.status, status);
    assert.equal(r.json.type, 'about:blank');
    if (detail) assert.match(r.json.detail, detail);
    return r.json;
  }

  function deploy(...files: Array<[name: string, xml: string]>) {
    const form = new FormData();
    for (const [name, xml] of files) form.append('resources', new Blob([xml], { type: 'application/xml' }), name);
    return post('/v2/deployments', form);
  }

  const start = (processDefinitionId: string, variables?: Record<string, unknown>) =>
    ok(post('/v2/process-instances', { processDefinitionId, ...(variables && { variables }) }));
  const instance = (key: string) => ok(get(`/v2/process-instances/${key}`));
  const search = async (what: string, body: unknown = {}) => ok(post(`/v2/${what}/search`, body)) as Promise<{ items: any[]; page: { totalItems: number } }>;
  const tasksOf = async (processInstanceKey: string, state = 'CREATED') => (await search('user-tasks', { filter: { processInstanceKey, state } })).items;
  const activate = (type: string, extra: Record<string, unknown> = {}) =>
    post('/v2/jobs/activation', { type, timeout: 30_000, maxJobsToActivate: 10, requestTimeout: -1, worker: 'rest-test', ...extra });

  async function eventually<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 10_000): Promise<T> {
    const until = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const stateBecomes = (key: string, state: string) =>
    eventually(`instance ${key} to be ${state}`, async () => ((await instance(key)).state === state ? true : undefined));

  function assertKeys(obj: Record<string, unknown>, ...names: string[]) {
    for (const n of names) assert.match(String(obj[n]), KEY, `${n} must be a numeric key string: ${JSON.stringify(obj[n])}`);
    for (const n of names) assert.equal(typeof obj[n], 'string', `${n} must be a string`);
  }

  // ---- topology ----------------------------------------------------------------------------------

  it('GET /topology: a one-broker cluster', async () => {
    const t = await ok(get('/v2/topology'));
    assert.equal(t.clusterSize, 1);
    assert.equal(t.brokers.length, 1);
    assert.equal(t.brokers[0].partitions[0].role, 'leader');
    assert.equal(typeof t.gatewayVersion, 'string');
  });

  // ---- deployments and process definitions ----------------------------------------------------------

  describe('deployments and process definitions', () => {
    let v1: any;
    let v2: any;

    it('deploys a .bpmn; identical content again is the same key and version; changed content is version 2', async () => {
      const first = await ok(deploy(['review.bpmn', reviewXml()]));
      assertKeys(first, 'deploymentKey');
      assert.equal(first.tenantId, '<default>');
      assert.equal(first.deployments.length, 1);
      v1 = first.deployments[0].processDefinition;
      assert.deepEqual(Object.keys(v1).sort(), ['processDefinitionId', 'processDefinitionKey', 'processDefinitionVersion', 'resourceName', 'tenantId']);
      assert.equal(v1.processDefinitionId, 'rest_review');
      assert.equal(v1.processDefinitionVersion, 1);
      assert.equal(v1.resourceName, 'review.bpmn');
      assertKeys(v1, 'processDefinitionKey');

      const again = (await ok(deploy(['review.bpmn', reviewXml()]))).deployments[0].processDefinition;
      assert.equal(again.processDefinitionKey, v1.processDefinitionKey);
      assert.equal(again.processDefinitionVersion, 1);

      v2 = (await ok(deploy(['review.bpmn', reviewXml('Review the order')]))).deployments[0].processDefinition;
      assert.equal(v2.processDefinitionVersion, 2);
      assert.notEqual(v2.processDefinitionKey, v1.processDefinitionKey);
    });

    it('deploys several resources at once', async () => {
      const d = await ok(deploy(
        ['job.bpmn', jobXml('rest_job', 'rest-work')], ['retry.bpmn', jobXml('rest_retry', 'rest-retry')],
        ['incident.bpmn', jobXml('rest_incident', 'rest-incident')], ['poll.bpmn', jobXml('rest_poll', 'rest-poll')],
        ['charge.bpmn', chargeXml], ['payment.bpmn', paymentXml], ['later.bpmn', laterXml],
      ));
      assert.deepEqual(d.deployments.map((x: any) => x.processDefinition.processDefinitionId),
        ['rest_job', 'rest_retry', 'rest_incident', 'rest_poll', 'rest_charge', 'rest_payment', 'rest_later']);
      // A child deployed with its caller, the caller naming it.
      const calls = await ok(deploy(['parent.bpmn', parentXml], ['child.bpmn', childXml]));
      assert.equal(calls.deployments.length, 2);
    });

    it('invalid BPMN is a 400 problem naming every offending element; nothing is deployed', async () => {
      const p = await problem(deploy(['invalid.bpmn', invalidXml]), 400, /^Deployment rejected: /);
      assert.equal(p.title, 'INVALID_ARGUMENT');
      assert.match(p.detail, /element 'no_type'/);
      assert.match(p.detail, /element 'wait_nokey'/);
      const ids = (p.details.problems as Array<{ elementId: string; resource: string }>).map((x) => x.elementId);
      assert.ok(ids.includes('no_type') && ids.includes('wait_nokey'), JSON.stringify(p.details));
      assert.ok(p.details.problems.every((x: any) => x.resource === 'invalid.bpmn'));
      const found = await search('process-definitions', { filter: { processDefinitionId: 'rest_invalid' } });
      assert.equal(found.page.totalItems, 0);
    });

    it('a JavaScript script task is refused', async () => {
      const p = await problem(deploy(['js.bpmn', javascriptXml]), 400, /element 'js'.*javascript script is refused/);
      assert.equal(p.details.problems[0].elementId, 'js');
      await problem(deploy(['broken.bpmn', '<bpmn:definitions']), 400);
      await problem(deploy(['notes.txt', 'hello']), 400, /only \.bpmn and \.form resources/);
    });

    it('POST /process-definitions/search: by id, with sort and paging', async () => {
      const all = await search('process-definitions', { filter: { processDefinitionId: 'rest_review' }, sort: [{ field: 'version', order: 'ASC' }] });
      assert.equal(all.page.totalItems, 2);
      assert.deepEqual(all.items.map((d) => d.version), [1, 2]);
      const d = all.items[1];
      assertKeys(d, 'processDefinitionKey');
      assert.equal(d.processDefinitionKey, v2.processDefinitionKey);
      assert.equal(d.resourceName, 'review.bpmn');
      assert.equal(d.tenantId, '<default>');
      assert.equal(d.hasStartForm, false);
      assert.equal('versionTag' in d, false, 'nulls are left out');

      const paged = await search('process-definitions', { filter: { processDefinitionId: 'rest_review' }, sort: [{ field: 'version', order: 'DESC' }], page: { from: 1, limit: 1 } });
      assert.equal(paged.page.totalItems, 2);
      assert.deepEqual(paged.items.map((x) => x.version), [1]);
      const byOps = await search('process-definitions', { filter: { processDefinitionId: { $in: ['rest_review', 'rest_job'] }, version: { $gte: 2 } } });
      assert.deepEqual(byOps.items.map((x) => [x.processDefinitionId, x.version]), [['rest_review', 2]]);
      await problem(post('/v2/process-definitions/search', { filter: { processDefinitionId: { $like: 'rest_*' } } }), 400, /\$like is not supported/);
    });

    it('POST /process-definitions/search: isLatestVersion', async () => {
      const latest = await search('process-definitions', { filter: { processDefinitionId: 'rest_review', isLatestVersion: true } });
      assert.deepEqual(latest.items.map((x) => x.version), [2]);
    });

    it('GET /process-definitions/{key} and /xml; unknown key → 404', async () => {
      const d = await ok(get(`/v2/process-definitions/${v1.processDefinitionKey}`));
      assert.equal(d.processDefinitionId, 'rest_review');
      assert.equal(d.version, 1);
      assert.equal(d.processDefinitionKey, v1.processDefinitionKey);
      const xml = await get(`/v2/process-definitions/${v2.processDefinitionKey}/xml`);
      assert.equal(xml.status, 200);
      assert.match(xml.type, /^text\/xml/);
      assert.equal(xml.text, reviewXml('Review the order'));
      await problem(get('/v2/process-definitions/123456789'), 404, /not found/);
      await problem(get('/v2/process-definitions/123456789/xml'), 404);
      await problem(get('/v2/process-definitions/abc'), 400);
    });
  });

  // ---- process instances -------------------------------------------------------------------------------

  describe('process instances', () => {
    let byId: any;

    it('POST /process-instances by id (latest version), with variables', async () => {
      byId = await start('rest_review', { orderId: 'o-1', total: 12.5, tags: ['a'], nothing: null });
      assertKeys(byId, 'processInstanceKey', 'processDefinitionKey');
      assert.equal(byId.processDefinitionId, 'rest_review');
      assert.equal(byId.processDefinitionVersion, 2);
      assert.equal(byId.tenantId, '<default>');
      assert.deepEqual(byId.variables, { orderId: 'o-1', total: 12.5, tags: ['a'], nothing: null });
    });

    it('POST /process-instances by key, and by id with a version', async () => {
      const defs = await search('process-definitions', { filter: { processDefinitionId: 'rest_review', version: 1 } });
      const key = defs.items[0].processDefinitionKey;
      const byKey = await ok(post('/v2/process-instances', { processDefinitionKey: key }));
      assert.equal(byKey.processDefinitionVersion, 1);
      assert.equal(byKey.processDefinitionKey, key);
      assert.deepEqual(byKey.variables, {});
      const v1 = await ok(post('/v2/process-instances', { processDefinitionId: 'rest_review', processDefinitionVersion: 1 }));
      assert.equal(v1.processDefinitionKey, key);
    });

    it('POST /process-instances: unknown process → 404, bad requests → 400', async () => {
      await problem(post('/v2/process-instances', { processDefinitionId: 'no_such_process' }), 404, /not found/);
      await problem(post('/v2/process-instances', { processDefinitionKey: '999999999' }), 404);
      await problem(post('/v2/process-instances', { processDefinitionId: 'rest_review', processDefinitionVersion: 99 }), 404);
      await problem(post('/v2/process-instances', { processDefinitionId: 'rest_review', variables: [1] }), 400, /body\/variables must be object/);
      await problem(post('/v2/process-instances', { processDefinitionId: 'rest_review', variables: { $set: 1 } }), 400, /keys starting with '\$'/);
    });

    it('GET /process-instances/{key}; unknown → 404', async () => {
      const pi = await instance(byId.processInstanceKey);
      assertKeys(pi, 'processInstanceKey', 'processDefinitionKey');
      assert.equal(pi.state, 'ACTIVE');
      assert.equal(pi.hasIncident, false);
      assert.equal(pi.processDefinitionId, 'rest_review');
      assert.equal(pi.processDefinitionName, 'rest_review'); // no name: Camunda shows the id
      assert.equal(pi.processDefinitionVersion, 2);
      assert.match(pi.startDate, ISO);
      assert.equal('endDate' in pi, false);
      assert.equal('parentProcessInstanceKey' in pi, false);
      await problem(get('/v2/process-instances/1'), 404, /Process instance with key '1' not found/);
    });

    it('POST /process-instances/search: by state, by key lists, by dates', async () => {
      const done = await start('rest_job');
      const [job] = (await ok(activate('rest-work'))).jobs;
      await ok(post(`/v2/jobs/${job.jobKey}/completion`, {}), 204);
      await stateBecomes(done.processInstanceKey, 'COMPLETED');

      const completed = await search('process-instances', { filter: { state: 'COMPLETED', processDefinitionId: 'rest_job' } });
      assert.deepEqual(completed.items.map((x) => x.processInstanceKey), [done.processInstanceKey]);
      assert.match(completed.items[0].endDate, ISO);
      const active = await search('process-instances', { filter: { state: 'ACTIVE', processDefinitionId: 'rest_review' } });
      assert.ok(active.items.some((x) => x.processInstanceKey === byId.processInstanceKey));
      assert.ok(active.items.every((x) => x.state === 'ACTIVE'));

      const both = await search('process-instances', { filter: { processInstanceKey: { $in: [done.processInstanceKey, byId.processInstanceKey] } }, sort: [{ field: 'processInstanceKey', order: 'ASC' }] });
      assert.deepEqual(both.items.map((x) => x.processInstanceKey), [done.processInstanceKey, byId.processInstanceKey].sort());
      const notDone = await search('process-instances', { filter: { processInstanceKey: { $in: [done.processInstanceKey, byId.processInstanceKey] }, state: { $neq: 'COMPLETED' } } });
      assert.deepEqual(notDone.items.map((x) => x.processInstanceKey), [byId.processInstanceKey]);
      const open = await search('process-instances', { filter: { processInstanceKey: { $in: [done.processInstanceKey, byId.processInstanceKey] }, endDate: { $exists: false } } });
      assert.deepEqual(open.items.map((x) => x.processInstanceKey), [byId.processInstanceKey]);

      const since = await search('process-instances', { filter: { startDate: { $gte: new Date(Date.now() - 60_000).toISOString() }, processDefinitionId: 'rest_job' } });
      assert.equal(since.page.totalItems, 1);
      const future = await search('process-instances', { filter: { startDate: { $gt: new Date(Date.now() + 60_000).toISOString() } } });
      assert.equal(future.page.totalItems, 0);
      const limited = await search('process-instances', { page: { limit: 1 } });
      assert.equal(limited.items.length, 1);
      assert.ok(limited.page.totalItems >= 2);
      await problem(post('/v2/process-instances/search', { filter: { state: 'RUNNING' } }), 400);
    });

    it('POST /process-instances/search by parentProcessInstanceKey: a call activity child', async () => {
      const parent = await start('rest_parent');
      const child = await eventually('the called instance', async () =>
        (await search('process-instances', { filter: { parentProcessInstanceKey: parent.processInstanceKey } })).items[0]);
      assertKeys(child, 'processInstanceKey', 'parentProcessInstanceKey', 'parentElementInstanceKey');
      assert.equal(child.processDefinitionId, 'rest_child');
      assert.equal(child.parentProcessInstanceKey, parent.processInstanceKey);
      const callElement = (await search('element-instances', { filter: { processInstanceKey: parent.processInstanceKey, elementId: 'call' } })).items[0];
      assert.equal(child.parentElementInstanceKey, callElement.elementInstanceKey);
      assert.equal(callElement.type, 'CALL_ACTIVITY');

      // Cancelling the child directly is refused; completing its task completes both.
      await problem(post(`/v2/process-instances/${child.processInstanceKey}/cancellation`), 409);
      const [task] = await eventually('the child task', async () => { const t = await tasksOf(child.processInstanceKey); return t.length ? t : undefined; });
      await ok(post(`/v2/user-tasks/${task.userTaskKey}/completion`, {}), 204);
      await stateBecomes(parent.processInstanceKey, 'COMPLETED');
    });

    it('POST /process-instances/{key}/cancellation → 204; again → 404', async () => {
      const pi = await start('rest_review');
      await ok(post(`/v2/process-instances/${pi.processInstanceKey}/cancellation`), 204);
      const after = await instance(pi.processInstanceKey);
      assert.equal(after.state, 'TERMINATED');
      assert.match(after.endDate, ISO);
      const [task] = await tasksOf(pi.processInstanceKey, 'CANCELED');
      assert.equal(task.elementId, 'review');
      await problem(post(`/v2/process-instances/${pi.processInstanceKey}/cancellation`, {}), 404);
      await problem(post('/v2/process-instances/42/cancellation'), 404);
    });

    it('GET /process-instances/{key}/history: the audit trail; unknown → 404', async () => {
      const pi = await start('rest_review', { a: 1 });
      const [task] = await tasksOf(pi.processInstanceKey);
      await ok(post(`/v2/user-tasks/${task.userTaskKey}/completion`, { variables: { approved: true } }), 204);
      const { items } = await ok(get(`/v2/process-instances/${pi.processInstanceKey}/history`));
      assert.ok(items.length > 0);
      for (const h of items) assert.ok(h.processInstanceKey === pi.processInstanceKey && typeof h.seq === 'number' && ISO.test(h.at), JSON.stringify(h));
      assert.deepEqual(items.map((h: any) => h.seq), [...items.map((h: any) => h.seq)].sort((a: number, b: number) => a - b));
      assert.deepEqual(items.filter((h: any) => h.event === 'ELEMENT_COMPLETED').map((h: any) => h.elementId), ['start', 'review', 'end', 'rest_review']);
      assert.ok(items.some((h: any) => h.event === 'VARIABLE_SET' && h.name === 'approved' && h.value === 'true'));
      await problem(get('/v2/process-instances/77/history'), 404);
    });

    it('GET /process-instances/{key}/history: user task completions and jobs are in the trail', async () => {
      const pi = await start('rest_review');
      const [task] = await tasksOf(pi.processInstanceKey);
      await ok(post(`/v2/user-tasks/${task.userTaskKey}/completion`, {}), 204);
      const job = await start('rest_job');
      const [j] = (await ok(activate('rest-work'))).jobs;
      assert.equal(j.processInstanceKey, job.processInstanceKey);
      await ok(post(`/v2/jobs/${j.jobKey}/completion`, {}), 204);
      const events = async (key: string) => (await ok(get(`/v2/process-instances/${key}/history`))).items.map((h: any) => `${h.event}:${h.elementId ?? ''}`);
      assert.ok((await events(pi.processInstanceKey)).includes('USER_TASK_COMPLETED:review'));
      assert.ok((await events(job.processInstanceKey)).includes('JOB_COMPLETED:work'));
    });
  });

  // ---- element instances --------------------------------------------------------------------------------

  describe('element instances', () => {
    it('POST /element-instances/search: by instance, state and element, with Camunda type names', async () => {
      const pi = await start('rest_review');
      const { items } = await search('element-instances', { filter: { processInstanceKey: pi.processInstanceKey }, sort: [{ field: 'startDate' }] });
      const byId = Object.fromEntries(items.map((e) => [e.elementId, e]));
      assert.equal(byId.start.state, 'COMPLETED');
      assert.equal(byId.start.type, 'START_EVENT');
      assert.equal(byId.review.state, 'ACTIVE');
      assert.equal(byId.review.type, 'USER_TASK');
      assert.equal(byId.review.elementName, 'Review the order');
      assert.equal(byId.start.elementName, 'start'); // unnamed: the id
      for (const e of items) {
        assertKeys(e, 'elementInstanceKey', 'processInstanceKey', 'processDefinitionKey');
        assert.match(e.startDate, ISO);
      }
      const active = await search('element-instances', { filter: { processInstanceKey: pi.processInstanceKey, state: 'ACTIVE' } });
      assert.ok(active.items.every((e) => e.state === 'ACTIVE'));
      assert.ok(active.items.some((e) => e.elementId === 'review'));
      assert.ok(!active.items.some((e) => e.elementId === 'start'));
      const one = await search('element-instances', { filter: { elementInstanceKey: byId.review.elementInstanceKey } });
      assert.equal(one.items.length, 1);
      const named = await search('element-instances', { filter: { processInstanceKey: pi.processInstanceKey, elementName: 'Review the order' } });
      assert.deepEqual(named.items.map((e) => e.elementId), ['review']);
      await problem(post('/v2/element-instances/search', { filter: { type: 'NOT_A_TYPE' } }), 400);
    });

    it('POST /element-instances/search: by type', async () => {
      const pi = await start('rest_review');
      const { items } = await search('element-instances', { filter: { processInstanceKey: pi.processInstanceKey, type: 'USER_TASK' } });
      assert.deepEqual(items.map((e) => e.elementId), ['review']);
    });
  });

  // ---- user tasks ------------------------------------------------------------------------------------------

  describe('user tasks', () => {
    let pi: any;
    let task: any;

    before(async () => {
      pi = await start('rest_review', { orderId: 'o-ut' });
      [task] = await tasksOf(pi.processInstanceKey);
    });

    it('POST /user-tasks/search by state and candidate group; GET /user-tasks/{key}', async () => {
      assertKeys(task, 'userTaskKey', 'elementInstanceKey', 'processInstanceKey', 'processDefinitionKey');
      assert.equal(task.state, 'CREATED');
      assert.equal(task.elementId, 'review');
      assert.equal(task.name, 'Review the order');
      assert.deepEqual(task.candidateGroups, ['sales', 'support']);
      assert.equal(task.priority, 70);
      assert.match(task.creationDate, ISO);
      assert.equal('assignee' in task, false);
      assert.equal('formLink' in task, false);

      const sales = await search('user-tasks', { filter: { candidateGroup: 'sales', processInstanceKey: pi.processInstanceKey } });
      assert.deepEqual(sales.items.map((t) => t.userTaskKey), [task.userTaskKey]);
      const hr = await search('user-tasks', { filter: { candidateGroup: 'hr', processInstanceKey: pi.processInstanceKey } });
      assert.equal(hr.page.totalItems, 0);
      const anyOf = await search('user-tasks', { filter: { candidateGroup: { $in: ['hr', 'support'] }, processInstanceKey: pi.processInstanceKey, priority: { $gte: 70 } } });
      assert.equal(anyOf.page.totalItems, 1);
      const recent = await search('user-tasks', { filter: { userTaskKey: task.userTaskKey, creationDate: { $lte: new Date(Date.now() + 1000).toISOString() } } });
      assert.equal(recent.page.totalItems, 1);

      const got = await ok(get(`/v2/user-tasks/${task.userTaskKey}`));
      assert.deepEqual(got, task);
      await problem(get('/v2/user-tasks/5'), 404);
    });

    it('assignment, search by assignee, override refused, unassignment', async () => {
      await ok(post(`/v2/user-tasks/${task.userTaskKey}/assignment`, { assignee: 'demo' }), 204);
      assert.equal((await ok(get(`/v2/user-tasks/${task.userTaskKey}`))).assignee, 'demo');
      const mine = await search('user-tasks', { filter: { assignee: 'demo', state: 'CREATED' } });
      assert.deepEqual(mine.items.map((t) => t.userTaskKey), [task.userTaskKey]);

      await problem(post(`/v2/user-tasks/${task.userTaskKey}/assignment`, { assignee: 'other', allowOverride: false }), 409, /already assigned to 'demo'/);
      await ok(post(`/v2/user-tasks/${task.userTaskKey}/assignment`, { assignee: 'other' }), 204);
      assert.equal((await ok(get(`/v2/user-tasks/${task.userTaskKey}`))).assignee, 'other');

      await ok(call('DELETE', `/v2/user-tasks/${task.userTaskKey}/assignee`), 204);
      const unassigned = await ok(get(`/v2/user-tasks/${task.userTaskKey}`));
      assert.equal('assignee' in unassigned, false);
      assert.equal((await search('user-tasks', { filter: { assignee: 'other' } })).page.totalItems, 0);
      const nobody = await search('user-tasks', { filter: { userTaskKey: task.userTaskKey, assignee: { $exists: false } } });
      assert.equal(nobody.page.totalItems, 1);

      await problem(post('/v2/user-tasks/5/assignment', { assignee: 'demo' }), 404);
      await problem(post(`/v2/user-tasks/${task.userTaskKey}/assignment`, {}), 400, /body\/assignee is required/);
    });

    it('GET /user-tasks/{key}/form: 204 without a form', async () => {
      const r = await get(`/v2/user-tasks/${task.userTaskKey}/form`);
      assert.equal(r.status, 204);
      assert.equal(r.text, '');
    });

    it('completion with variables → 204; the instance moves on; completing twice → 409', async () => {
      await ok(post(`/v2/user-tasks/${task.userTaskKey}/completion`, { variables: { approved: true, note: 'fine' } }), 204);
      const done = await ok(get(`/v2/user-tasks/${task.userTaskKey}`));
      assert.equal(done.state, 'COMPLETED');
      assert.match(done.completionDate, ISO);
      assert.equal((await instance(pi.processInstanceKey)).state, 'COMPLETED');
      const vars = await search('variables', { filter: { processInstanceKey: pi.processInstanceKey, name: 'approved' } });
      assert.equal(vars.items[0].value, 'true');

      await problem(post(`/v2/user-tasks/${task.userTaskKey}/completion`, {}), 409, /not open|already completed/);
      await problem(post(`/v2/user-tasks/${task.userTaskKey}/assignment`, { assignee: 'late' }), 409);
      await problem(post('/v2/user-tasks/5/completion', {}), 404);
      const completed = await search('user-tasks', { filter: { processInstanceKey: pi.processInstanceKey, state: 'COMPLETED' } });
      assert.deepEqual(completed.items.map((t) => t.userTaskKey), [task.userTaskKey]);
    });
  });

  // ---- jobs -----------------------------------------------------------------------------------------------------

  describe('jobs', () => {
    it('activation answers at once with what there is; completion → 204; again → 404', async () => {
      const pi = await start('rest_job', { x: 1, y: 'two' });
      const { jobs } = await ok(activate('rest-work', { fetchVariable: ['x'] }));
      assert.equal(jobs.length, 1);
      const job = jobs[0];
      assertKeys(job, 'jobKey', 'processInstanceKey', 'processDefinitionKey', 'elementInstanceKey');
      assert.equal(job.processInstanceKey, pi.processInstanceKey);
      assert.equal(job.type, 'rest-work');
      assert.equal(job.elementId, 'work');
      assert.equal(job.worker, 'rest-test');
      assert.equal(job.retries, 3);
      assert.equal(job.kind, 'BPMN_ELEMENT');
      assert.deepEqual(job.variables, { x: 1 });
      assert.ok(job.deadline > Date.now());
      assert.deepEqual((await ok(activate('rest-work'))).jobs, [], 'an activated job is not handed out twice');

      await ok(post(`/v2/jobs/${job.jobKey}/completion`, { variables: { result: 'ok' } }), 204);
      assert.equal((await instance(pi.processInstanceKey)).state, 'COMPLETED');
      await problem(post(`/v2/jobs/${job.jobKey}/completion`, {}), 404);
      await problem(post('/v2/jobs/5/failure', { retries: 1 }), 404);
      await problem(post('/v2/jobs/5/error', { errorCode: 'X' }), 404);
    });

    it('long polling: a job created while the request waits is returned', async () => {
      const waiting = activate('rest-poll', { requestTimeout: 10_000 });
      await new Promise((r) => setTimeout(r, 300));
      const pi = await start('rest_poll');
      const r = await waiting;
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.jobs.length, 1);
      assert.equal(r.json.jobs[0].processInstanceKey, pi.processInstanceKey);
      assert.ok(r.ms >= 250 && r.ms < 5_000, `answered after ${r.ms} ms`);
      await ok(post(`/v2/jobs/${r.json.jobs[0].jobKey}/completion`), 204);
    });

    it('long polling: requestTimeout is honoured when no job comes', async () => {
      const r = await activate('rest-nothing', { requestTimeout: 600 });
      assert.equal(r.status, 200);
      assert.deepEqual(r.json, { jobs: [] });
      assert.ok(r.ms >= 550 && r.ms < 3_000, `answered after ${r.ms} ms`);
      const now = await activate('rest-nothing', { requestTimeout: -1 });
      assert.ok(now.ms < 500, `answered after ${now.ms} ms`);
    });

    it('failure with retries and retryBackOff: the job comes back after the back-off', async () => {
      const pi = await start('rest_retry');
      const [job] = (await ok(activate('rest-retry'))).jobs;
      await ok(post(`/v2/jobs/${job.jobKey}/failure`, { retries: 2, errorMessage: 'try later', retryBackOff: 1_000 }), 204);
      assert.deepEqual((await ok(activate('rest-retry'))).jobs, [], 'not during the back-off');
      const r = await activate('rest-retry', { requestTimeout: 5_000 });
      assert.equal(r.status, 200);
      assert.equal(r.json.jobs.length, 1);
      assert.equal(r.json.jobs[0].jobKey, job.jobKey);
      assert.equal(r.json.jobs[0].retries, 2);
      assert.ok(r.ms >= 500, `back-off honoured (${r.ms} ms)`);
      assert.equal((await instance(pi.processInstanceKey)).hasIncident, false);
      await ok(post(`/v2/jobs/${job.jobKey}/completion`, {}), 204);
    });

    it('failure to 0 retries raises an incident; resolution makes the job activatable again', async () => {
      const pi = await start('rest_incident');
      const [job] = (await ok(activate('rest-incident'))).jobs;
      await ok(post(`/v2/jobs/${job.jobKey}/failure`, { retries: 0, errorMessage: 'card service down' }), 204);

      const incidents = await search('incidents', { filter: { processInstanceKey: pi.processInstanceKey } });
      assert.equal(incidents.page.totalItems, 1);
      const inc = incidents.items[0];
      assert.deepEqual(await ok(get(`/v2/incidents/${inc.incidentKey}`)), inc);
      assertKeys(inc, 'incidentKey', 'processInstanceKey', 'processDefinitionKey', 'elementInstanceKey', 'jobKey');
      assert.equal(inc.jobKey, job.jobKey);
      assert.equal(inc.errorType, 'JOB_NO_RETRIES');
      assert.equal(inc.errorMessage, 'card service down');
      assert.equal(inc.elementId, 'work');
      assert.equal(inc.state, 'ACTIVE');
      assert.match(inc.creationTime, ISO);
      assert.equal((await instance(pi.processInstanceKey)).hasIncident, true);
      const flagged = await search('process-instances', { filter: { hasIncident: true, processInstanceKey: pi.processInstanceKey } });
      assert.equal(flagged.page.totalItems, 1);
      const byType = await search('incidents', { filter: { errorType: 'JOB_NO_RETRIES', state: { $in: ['ACTIVE'] }, jobKey: job.jobKey } });
      assert.equal(byType.page.totalItems, 1);
      assert.deepEqual((await ok(activate('rest-incident'))).jobs, [], 'no retries left');

      await ok(post(`/v2/incidents/${inc.incidentKey}/resolution`), 204);
      const resolved = await search('incidents', { filter: { incidentKey: inc.incidentKey } });
      assert.equal(resolved.items[0].state, 'RESOLVED');
      assert.equal((await ok(get(`/v2/incidents/${inc.incidentKey}`))).state, 'RESOLVED');
      await problem(get('/v2/incidents/12'), 404, /Incident with key '12' not found/);
      await problem(get('/v2/incidents/twelve'), 400, /path\/incidentKey must be a numeric key/);
      const again = await ok(activate('rest-incident', { requestTimeout: 2_000 }));
      assert.equal(again.jobs.length, 1);
      assert.equal(again.jobs[0].jobKey, job.jobKey);
      assert.ok(again.jobs[0].retries >= 1);
      await ok(post(`/v2/jobs/${job.jobKey}/completion`, {}), 204);
      assert.equal((await instance(pi.processInstanceKey)).state, 'COMPLETED');
      await problem(post(`/v2/incidents/${inc.incidentKey}/resolution`), 404);
      await problem(post('/v2/incidents/12/resolution'), 404);
    });

    it('a thrown error is caught by the boundary event', async () => {
      const pi = await start('rest_charge');
      const [job] = (await ok(activate('rest-charge'))).jobs;
      await ok(post(`/v2/jobs/${job.jobKey}/error`, { errorCode: 'CARD_DECLINED', errorMessage: 'declined', variables: { reason: 'limit' } }), 204);
      assert.equal((await instance(pi.processInstanceKey)).state, 'COMPLETED');
      const { items } = await search('element-instances', { filter: { processInstanceKey: pi.processInstanceKey } });
      const states = Object.fromEntries(items.map((e) => [e.elementId, e.state]));
      assert.equal(states.charge, 'TERMINATED');
      assert.equal(states.declined, 'COMPLETED');
      assert.equal(states.end_declined, 'COMPLETED');
      assert.equal(states.end_ok, undefined);
      await problem(post(`/v2/jobs/${job.jobKey}/error`, { errorCode: 'CARD_DECLINED' }), 404);
    });
  });

  // ---- messages ---------------------------------------------------------------------------------------------------

  describe('messages', () => {
    it('publication correlates to a waiting instance', async () => {
      const pi = await start('rest_payment', { orderId: 'm-1' });
      const other = await start('rest_payment', { orderId: 'm-other' });
      const published = await ok(post('/v2/messages/publication', { name: 'paid', correlationKey: 'm-1', variables: { paidAmount: 5 } }));
      assertKeys(published, 'messageKey');
      assert.equal(published.tenantId, '<default>');
      await stateBecomes(pi.processInstanceKey, 'COMPLETED');
      assert.equal((await instance(other.processInstanceKey)).state, 'ACTIVE');
      const v = await search('variables', { filter: { processInstanceKey: pi.processInstanceKey, name: 'paidAmount' } });
      assert.equal(v.items[0]?.value, '5');
    });

    it('a message with timeToLive is buffered and correlates when the instance reaches the catch event', async () => {
      const pi = await start('rest_later', { orderId: 'm-2' });
      await ok(post('/v2/messages/publication', { name: 'go', correlationKey: 'm-2', timeToLive: 60_000, variables: { went: true } }));
      assert.equal((await instance(pi.processInstanceKey)).state, 'ACTIVE');
      const [task] = await tasksOf(pi.processInstanceKey);
      await ok(post(`/v2/user-tasks/${task.userTaskKey}/completion`), 204);
      await stateBecomes(pi.processInstanceKey, 'COMPLETED');
      const v = await search('variables', { filter: { processInstanceKey: pi.processInstanceKey, name: 'went' } });
      assert.equal(v.items[0]?.value, 'true');

      // Without a time to live nothing is kept for later.
      const late = await start('rest_later', { orderId: 'm-3' });
      await ok(post('/v2/messages/publication', { name: 'go', correlationKey: 'm-3' }));
      const [lateTask] = await tasksOf(late.processInstanceKey);
      await ok(post(`/v2/user-tasks/${lateTask.userTaskKey}/completion`), 204);
      await runtime.idle();
      assert.equal((await instance(late.processInstanceKey)).state, 'ACTIVE');
      await ok(post('/v2/messages/publication', { name: 'go', correlationKey: 'm-3' }));
      await stateBecomes(late.processInstanceKey, 'COMPLETED');
    });

    it('a duplicate messageId while the first lives → 409', async () => {
      await ok(post('/v2/messages/publication', { name: 'dup', correlationKey: 'd', messageId: 'msg-1', timeToLive: 60_000 }));
      const p = await problem(post('/v2/messages/publication', { name: 'dup', correlationKey: 'd', messageId: 'msg-1', timeToLive: 60_000 }), 409, /already published/);
      assert.equal(p.title, 'ALREADY_EXISTS');
      await ok(post('/v2/messages/publication', { name: 'dup', correlationKey: 'd', messageId: 'msg-2', timeToLive: 60_000 }));
    });

    it('correlation → the instance it reached; 404 when nothing waits', async () => {
      const pi = await start('rest_payment', { orderId: 'c-1' });
      const c = await ok(post('/v2/messages/correlation', { name: 'paid', correlationKey: 'c-1', variables: { via: 'correlation' } }));
      assertKeys(c, 'messageKey', 'processInstanceKey');
      assert.equal(c.processInstanceKey, pi.processInstanceKey);
      assert.equal(c.tenantId, '<default>');
      await stateBecomes(pi.processInstanceKey, 'COMPLETED');
      await problem(post('/v2/messages/correlation', { name: 'paid', correlationKey: 'c-1' }), 404);
      await problem(post('/v2/messages/correlation', { name: 'nobody-listens' }), 404);
      await problem(post('/v2/messages/correlation', { correlationKey: 'c-1' }), 400, /body\/name is required/);
    });
  });

  // ---- variables ----------------------------------------------------------------------------------------------------

  describe('user task variables', () => {
    let pi: any;
    let task: any;
    const notes = 'x'.repeat(9_000);
    const searchTask = (body: unknown, query = '') => post(`/v2/user-tasks/${task.userTaskKey}/variables/search${query}`, body);

    before(async () => {
      await ok(deploy(['scoped.bpmn', scopedXml]));
      pi = await start('rest_scoped', { orderId: 'o-7', total: 21, notes });
      [task] = await tasksOf(pi.processInstanceKey);
    });

    it('POST /user-tasks/{key}/variables/search: one item per name and scope, the task\'s own and every scope above it', async () => {
      const all = await ok(searchTask({ sort: [{ field: 'name' }, { field: 'value' }] }));
      assert.equal(all.page.totalItems, 6);
      assert.deepEqual(all.items.map((v: any) => [v.name, v.isTruncated ? '…' : v.value]), [
        ['notes', '…'], ['orderId', '"o-7"'], ['orderId', '"o-7-sub"'], ['region', '"east"'], ['total', '21'], ['total', '42'],
      ]);
      const scopes = new Set(all.items.map((v: any) => v.scopeKey));
      assert.equal(scopes.size, 3);
      assert.ok(scopes.has(pi.processInstanceKey));
      assert.ok(scopes.has(task.elementInstanceKey));
      for (const v of all.items) {
        assertKeys(v, 'variableKey', 'scopeKey', 'processInstanceKey');
        assert.equal(v.tenantId, '<default>');
        assert.deepEqual(Object.keys(v).sort(), ['isTruncated', 'name', 'processInstanceKey', 'scopeKey', 'tenantId', 'value', 'variableKey']);
      }
      // The same items the variable search has for those scopes.
      const same = await search('variables', { filter: { processInstanceKey: pi.processInstanceKey, scopeKey: { $in: [...scopes] } }, sort: [{ field: 'name' }, { field: 'value' }] });
      assert.deepEqual(all, same);
    });

    it('filter by name, sort and page; values truncated unless truncateValues=false', async () => {
      const totals = await ok(searchTask({ filter: { name: 'total' }, sort: [{ field: 'value', order: 'DESC' }] }));
      assert.deepEqual(totals.items.map((v: any) => v.value), ['42', '21']);
      const some = await ok(searchTask({ filter: { name: { $in: ['region', 'orderId'] } }, sort: [{ field: 'value' }], page: { from: 1, limit: 1 } }));
      assert.deepEqual([some.page.totalItems, some.items.map((v: any) => v.value)], [3, ['"o-7"']]);
      const cut = (await ok(searchTask({ filter: { name: 'notes' } }))).items[0];
      assert.equal(cut.isTruncated, true);
      assert.ok(cut.value.length < notes.length + 2);
      const full = (await ok(searchTask({ filter: { name: 'notes' } }, '?truncateValues=false'))).items[0];
      assert.deepEqual([full.isTruncated, JSON.parse(full.value)], [false, notes]);
    });

    it('unknown task → 404; bad requests → 400 naming the field', async () => {
      await problem(post('/v2/user-tasks/5/variables/search', {}), 404);
      await problem(post('/v2/user-tasks/five/variables/search', {}), 400, /path\/userTaskKey/);
      await problem(searchTask({ filter: { scopeKey: '1' } }), 400, /body\/filter\/scopeKey is not a supported filter field/);
      await problem(searchTask({ sort: [{ field: 'creationDate' }] }), 400, /body\/sort\/0\/field must be one of/);
      await problem(searchTask({ filter: { name: { $like: 'o*' } } }), 400, /body\/filter\/name\/\$like/);
      await problem(searchTask({ page: { limit: 0 } }), 400, /body\/page\/limit/);
      await problem(searchTask({}, '?truncateValues=maybe'), 400, /query\/truncateValues must be one of: true, false/);
    });
  });

  describe('variables', () => {
    it('POST /variables/search by processInstanceKey, scopeKey and name; values are JSON', async () => {
      const pi = await start('rest_review', { orderId: 'v-1', total: 99, customer: { name: 'Ada' } });
      const all = await search('variables', { filter: { processInstanceKey: pi.processInstanceKey }, sort: [{ field: 'name', order: 'ASC' }] });
      assert.deepEqual(all.items.map((v) => v.name), ['customer', 'orderId', 'total']);
      const byName = Object.fromEntries(all.items.map((v) => [v.name, v]));
      assert.equal(byName.orderId.value, '"v-1"');
      assert.equal(byName.total.value, '99');
      assert.deepEqual(JSON.parse(byName.customer.value), { name: 'Ada' });
      for (const v of all.items) {
        assertKeys(v, 'processInstanceKey', 'scopeKey');
        assert.equal(v.isTruncated, false);
        assert.equal(v.tenantId, '<default>');
      }
      const scoped = await search('variables', { filter: { scopeKey: pi.processInstanceKey } });
      assert.equal(scoped.page.totalItems, 3);
      const one = await search('variables', { filter: { processInstanceKey: pi.processInstanceKey, name: 'total' } });
      assert.deepEqual(one.items.map((v) => v.value), ['99']);
      const some = await search('variables', { filter: { processInstanceKey: pi.processInstanceKey, name: { $in: ['total', 'orderId'] }, value: { $neq: '99' } } });
      assert.deepEqual(some.items.map((v) => v.name), ['orderId']);
      const none = await search('variables', { filter: { processInstanceKey: '1' } });
      assert.equal(none.page.totalItems, 0);
    });

    it('variable keys are numeric strings', async () => {
      const pi = await start('rest_review', { orderId: 'v-2' });
      const { items } = await search('variables', { filter: { processInstanceKey: pi.processInstanceKey } });
      assertKeys(items[0], 'variableKey');
      const byKey = await search('variables', { filter: { variableKey: items[0].variableKey } });
      assert.equal(byKey.page.totalItems, 1);
    });

    it('a variable name with a dot is stored as it is', async () => {
      const r = await post('/v2/process-instances', { processDefinitionId: 'rest_review', variables: { 'a.b': 1 } });
      assert.equal(r.status, 200, r.text);
      const { items } = await search('variables', { filter: { processInstanceKey: r.json.processInstanceKey } });
      assert.deepEqual(items.map((v) => [v.name, v.value]), [['a.b', '1']]);
    });

    it('a nested key with a dot in a variable value is stored as it is', async () => {
      const r = await post('/v2/process-instances', { processDefinitionId: 'rest_review', variables: { nested: { 'x.y': true } } });
      assert.equal(r.status, 200, r.text);
      const { items } = await search('variables', { filter: { processInstanceKey: r.json.processInstanceKey } });
      assert.deepEqual(items.map((v) => [v.name, v.value]), [['nested', '{"x.y":true}']]);
    });
  });
});
