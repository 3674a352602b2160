// The gRPC contract: what ZeebeRuntime sends to a Zeebe gateway, decoded by a server built from
// the gateway protocol the SDK ships (test/helpers/zeebe-gateway.ts), and how it reads the
// gateway's error codes: UNAVAILABLE and RESOURCE_EXHAUSTED are retried by the SDK, then surface
// as 503 and 429; NOT_FOUND, INVALID_ARGUMENT and FAILED_PRECONDITION are final at once.
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { RuntimeError, type ActivatedJob } from '../engine/runtime.ts';
import { ZeebeRuntime } from '../engine/zeebe/zeebe-runtime.ts';
import { bpmn, flow, serviceTask, userTask } from './helpers/bpmn.ts';
import { testDatabase } from './helpers/database.ts';
import { startTestCluster, type TestCluster } from './helpers/zeebe-gateway.ts';
import { eventually } from './scenarios/harness.ts';

const order = bpmn('contract_order', `<bpmn:startEvent id="s"/>${flow('f1', 's', 'charge')}${serviceTask('charge', 'contract-charge')}${flow('f2', 'charge', 'approve')}
  ${userTask('approve')}${flow('f3', 'approve', 'e')}<bpmn:endEvent id="e"/>`);

const isRuntimeError = (status: number, code: string) => (err: unknown) => {
  assert.ok(err instanceof RuntimeError, `a RuntimeError, got ${err}`);
  assert.equal(err.status, status);
  assert.equal(err.code, code);
  return true;
};

describe('ZeebeRuntime gRPC contract (test gateway from zeebe.proto)', function () {
  this.timeout(30_000);
  let cluster: TestCluster;
  let runtime: ZeebeRuntime;
  let definitionKey: string;

  before(async () => {
    cluster = await startTestCluster('zeebe_grpc_gw');
    const db = await testDatabase('zeebe_grpc_rt');
    runtime = new ZeebeRuntime({ connection: db.connection, config: cluster.config, consistencyWaitMs: 0, jobBasedUserTasks: false });
    await runtime.start();
  });
  after(async () => {
    const t0 = Date.now();
    await runtime?.stop();
    if (process.env.GRIDFLOW_TEST_DEBUG) console.log('runtime stopped in', Date.now() - t0);
    await cluster?.stop();
  });
  beforeEach(() => { cluster.gateway.requests.length = 0; cluster.gateway.clearFaults(); });

  it('deploys: one DeployResource with each resource\'s name and exact bytes', async () => {
    const form = JSON.stringify({ id: 'contract_form', type: 'default', components: [] });
    const d = await runtime.deploy([{ name: 'contract-order.bpmn', content: order }, { name: 'contract.form', content: Buffer.from(form) }]);
    const [req] = cluster.gateway.calls('DeployResource');
    assert.equal(cluster.gateway.calls('DeployResource').length, 1);
    assert.deepEqual(req.resources.map((r: any) => r.name), ['contract-order.bpmn', 'contract.form']);
    assert.equal(Buffer.from(req.resources[0].content).toString('utf8'), order);
    assert.equal(Buffer.from(req.resources[1].content).toString('utf8'), form);
    const process = d.deployments.find((i) => 'processDefinition' in i) as any;
    assert.equal(process.processDefinition.processDefinitionId, 'contract_order');
    assert.equal(process.processDefinition.processDefinitionVersion, 1);
    assert.match(process.processDefinition.processDefinitionKey, /^\d+$/);
    assert.ok(d.deployments.some((i) => 'form' in i && i.form.formId === 'contract_form'));
    definitionKey = process.processDefinition.processDefinitionKey;
    assert.deepEqual(d.warnings, ["Element 'charge' of process 'contract_order' uses job type 'contract-charge', which no in-process handler serves; an external worker must."]);
  });

  it('creates by id (latest version: -1) with variables as JSON text; by key through the definition\'s id and version', async () => {
    const byId = await runtime.createProcessInstance({ processDefinitionId: 'contract_order', variables: { amount: 42, company: '园区科技' } });
    const byKey = await runtime.createProcessInstance({ processDefinitionKey: definitionKey, variables: {} });
    const [first, second] = cluster.gateway.calls('CreateProcessInstance');
    assert.equal(first.bpmnProcessId, 'contract_order');
    assert.equal(first.version, -1);
    assert.deepEqual(JSON.parse(first.variables), { amount: 42, company: '园区科技' });
    assert.equal(second.bpmnProcessId, 'contract_order');
    assert.equal(second.version, 1);
    assert.equal(byId.processDefinitionKey, definitionKey);
    assert.equal(byKey.processDefinitionKey, definitionKey);
    assert.match(byId.processInstanceKey, /^\d+$/);
  });

  it('activates, completes, fails and throws errors with the exact job requests', async () => {
    let pik = (await runtime.createProcessInstance({ processDefinitionId: 'contract_order', variables: { amount: 7 } })).processInstanceKey;
    const take = async () => {
      const jobs = await eventually(() => runtime.activateJobs({ type: 'contract-charge', worker: 'billing', timeout: 45_000, maxJobsToActivate: 5, fetchVariable: ['amount'], requestTimeout: 300 }), (j) => j.some((x) => x.processInstanceKey === pik), 'the charge job');
      return jobs.find((x) => x.processInstanceKey === pik)!;
    };
    const job = await take();
    const activation = cluster.gateway.calls('ActivateJobs')[0];
    assert.equal(activation.type, 'contract-charge');
    assert.equal(activation.worker, 'billing');
    assert.equal(activation.timeout, '45000');
    assert.equal(activation.maxJobsToActivate, 5);
    assert.deepEqual(activation.fetchVariable, ['amount']);
    assert.equal(activation.requestTimeout, '300');
    assert.deepEqual(job.variables, { amount: 7 });
    assert.equal(job.elementId, 'charge');
    assert.equal(job.retries, 3);

    await runtime.failJob(job.jobKey, { retries: 2, errorMessage: 'bank offline', retryBackOff: 0 });
    assert.deepEqual(pick(cluster.gateway.calls('FailJob')[0], ['jobKey', 'retries', 'errorMessage', 'retryBackOff']), { jobKey: job.jobKey, retries: 2, errorMessage: 'bank offline', retryBackOff: '0' });
    const again = await take();
    await runtime.throwJobError(again.jobKey, { errorCode: 'NO_FUNDS', errorMessage: 'insufficient funds', variables: { reason: 'funds' } });
    const thrown = cluster.gateway.calls('ThrowError')[0];
    assert.deepEqual(pick(thrown, ['jobKey', 'errorCode', 'errorMessage']), { jobKey: job.jobKey, errorCode: 'NO_FUNDS', errorMessage: 'insufficient funds' });
    assert.deepEqual(JSON.parse(thrown.variables), { reason: 'funds' });

    // Uncaught: an incident, whose resolution needs no retries (ResolveIncident alone).
    const [incident] = await eventually(async () => (await runtime.searchIncidents({ filter: { processInstanceKey: pik } })).items, (i) => i.length === 1, 'the incident');
    assert.equal(incident.errorType, 'UNHANDLED_ERROR_EVENT');
    await runtime.resolveIncident(incident.incidentKey);
    const order = cluster.gateway.requests.filter((r) => ['UpdateJobRetries', 'ResolveIncident'].includes(r.method));
    assert.deepEqual(order.map((r) => r.method), ['ResolveIncident']);
    assert.equal(order[0].request.incidentKey, incident.incidentKey);

    pik = (await runtime.createProcessInstance({ processDefinitionId: 'contract_order', variables: { amount: 8 } })).processInstanceKey;
    const last = await take();
    await runtime.completeJob(last.jobKey, { charged: true, receipt: { no: 'R-1' } });
    const completed = cluster.gateway.calls('CompleteJob').at(-1);
    assert.equal(completed.jobKey, last.jobKey);
    assert.deepEqual(JSON.parse(completed.variables), { charged: true, receipt: { no: 'R-1' } });
  });

  it('resolving an incident of a job without retries: UpdateJobRetries(1), then ResolveIncident', async () => {
    const pik = (await runtime.createProcessInstance({ processDefinitionId: 'contract_order', variables: {} })).processInstanceKey;
    const job = (await eventually(() => runtime.activateJobs({ type: 'contract-charge', timeout: 10_000, maxJobsToActivate: 5, requestTimeout: 300 }), (j) => j.some((x) => x.processInstanceKey === pik), 'job')).find((x) => x.processInstanceKey === pik)!;
    await runtime.failJob(job.jobKey, { retries: 0, errorMessage: 'gave up' });
    const [incident] = await eventually(async () => (await runtime.searchIncidents({ filter: { processInstanceKey: pik } })).items, (i) => i.length === 1, 'the incident');
    assert.equal(incident.errorType, 'JOB_NO_RETRIES');
    await runtime.resolveIncident(incident.incidentKey);
    const order = cluster.gateway.requests.filter((r) => ['UpdateJobRetries', 'ResolveIncident'].includes(r.method));
    assert.deepEqual(order.map((r) => r.method), ['UpdateJobRetries', 'ResolveIncident']);
    assert.deepEqual(pick(order[0].request, ['jobKey', 'retries']), { jobKey: job.jobKey, retries: 1 });
  });

  it('publishes with name, correlation key, time-to-live, message id and variables; cancels by key', async () => {
    const m = await runtime.publishMessage({ name: 'contract-paid', correlationKey: 'order-9', timeToLive: 60_000, messageId: 'pay-9', variables: { paid: true } });
    const [req] = cluster.gateway.calls('PublishMessage');
    assert.deepEqual(pick(req, ['name', 'correlationKey', 'timeToLive', 'messageId']), { name: 'contract-paid', correlationKey: 'order-9', timeToLive: '60000', messageId: 'pay-9' });
    assert.deepEqual(JSON.parse(req.variables), { paid: true });
    assert.match(m.messageKey, /^\d+$/);
    const pik = (await runtime.createProcessInstance({ processDefinitionId: 'contract_order' })).processInstanceKey;
    await runtime.cancelProcessInstance(pik);
    assert.equal(cluster.gateway.calls('CancelProcessInstance')[0].processInstanceKey, pik);
  });

  it('UNAVAILABLE and RESOURCE_EXHAUSTED are retried by the SDK: the command goes through, resent unchanged', async () => {
    cluster.gateway.fail('CreateProcessInstance', grpc.status.UNAVAILABLE, 1);
    cluster.gateway.fail('CreateProcessInstance', grpc.status.RESOURCE_EXHAUSTED, 1);
    const created = await runtime.createProcessInstance({ processDefinitionId: 'contract_order', variables: { n: 1 } });
    const attempts = cluster.gateway.calls('CreateProcessInstance');
    assert.equal(attempts.length, 3);
    assert.deepEqual(attempts[1], attempts[0]);
    assert.deepEqual(attempts[2], attempts[0]);
    assert.match(created.processInstanceKey, /^\d+$/);
    assert.equal((await runtime.searchProcessInstances({ filter: { processInstanceKey: created.processInstanceKey } })).items.length, 1, 'created once');
  });

  it('retries run out: UNAVAILABLE surfaces as 503, RESOURCE_EXHAUSTED as 429 (1 try + 3 retries)', async () => {
    cluster.gateway.fail('PublishMessage', grpc.status.UNAVAILABLE, 10);
    await assert.rejects(runtime.publishMessage({ name: 'never', correlationKey: 'x' }), isRuntimeError(503, 'UNAVAILABLE'));
    assert.equal(cluster.gateway.calls('PublishMessage').length, 4);
    cluster.gateway.clearFaults();
    cluster.gateway.requests.length = 0;
    cluster.gateway.fail('PublishMessage', grpc.status.RESOURCE_EXHAUSTED, 10);
    await assert.rejects(runtime.publishMessage({ name: 'never', correlationKey: 'x' }), isRuntimeError(429, 'RESOURCE_EXHAUSTED'));
    assert.equal(cluster.gateway.calls('PublishMessage').length, 4);
  });

  it('NOT_FOUND, INVALID_ARGUMENT and FAILED_PRECONDITION are final: one request, mapped to 404, 400 and 409', async () => {
    await assert.rejects(runtime.completeJob('2251799813999999', {}), isRuntimeError(404, 'NOT_FOUND'));
    assert.equal(cluster.gateway.calls('CompleteJob').length, 1);
    await assert.rejects(runtime.deploy([{ name: 'broken.bpmn', content: '<bpmn:definitions' }]), (err: unknown) => isRuntimeError(400, 'INVALID_ARGUMENT')(err) && /broken|XML|parse|unparsable/i.test((err as Error).message));
    assert.equal(cluster.gateway.calls('DeployResource').length, 1);
    cluster.gateway.fail('CancelProcessInstance', grpc.status.FAILED_PRECONDITION, 1, "Command 'CANCEL' rejected with code 'INVALID_STATE'");
    await assert.rejects(runtime.cancelProcessInstance('2251799813000001'), isRuntimeError(409, 'INVALID_STATE'));
    assert.equal(cluster.gateway.calls('CancelProcessInstance').length, 1);
    cluster.gateway.fail('Topology', grpc.status.INVALID_ARGUMENT, 1, 'bad request');
    await assert.rejects(runtime.topology(), isRuntimeError(400, 'INVALID_ARGUMENT'));
  });

  describe('job workers (registerJobHandler on the SDK\'s ZBWorker)', () => {
    const type = 'contract-worker';
    const xml = bpmn('contract_worker', `<bpmn:startEvent id="s"/>${flow('f1', 's', 'w')}${serviceTask('w', type)}${flow('f2', 'w', 'e')}<bpmn:endEvent id="e"/>`);
    before(async () => { await runtime.deploy([{ name: 'contract-worker.bpmn', content: xml }]); });

    it('polls with the handler\'s timeout and capacity, never holding more than maxJobsActive jobs', async () => {
      let inHand = 0, most = 0;
      const release: Array<() => void> = [];
      const stop = runtime.registerJobHandler(type, async () => {
        inHand++; most = Math.max(most, inHand);
        await new Promise<void>((r) => release.push(r));
        inHand--;
        return { complete: {} };
      }, { timeout: 12_345, maxJobsActive: 2 });
      try {
        const piks = [];
        for (let i = 0; i < 5; i++) piks.push((await runtime.createProcessInstance({ processDefinitionId: 'contract_worker' })).processInstanceKey);
        for (let done = 0; done < 5;) {
          await eventually(async () => release.length, (n) => n > 0, 'a job in hand');
          await new Promise((r) => setTimeout(r, 100));
          const now = release.splice(0);
          done += now.length;
          now.forEach((r) => r());
        }
        for (const pik of piks) await eventually(() => runtime.getProcessInstance(pik), (p) => p.state === 'COMPLETED', 'completed');
        assert.ok(most <= 2, `at most 2 in hand, saw ${most}`);
        const polls = cluster.gateway.calls('ActivateJobs').filter((r) => r.type === type);
        assert.ok(polls.length > 0);
        for (const p of polls) {
          assert.equal(p.timeout, '12345');
          assert.ok(p.maxJobsToActivate >= 1 && p.maxJobsToActivate <= 2, `asks for at most its free capacity, asked ${p.maxJobsToActivate}`);
        }
      } finally { stop(); }
    });

    it('answers with the outcome contract: fail with retries and back-off, BPMN error with variables', async () => {
      const seen: ActivatedJob[] = [];
      const stop = runtime.registerJobHandler(type, (job) => {
        seen.push(job);
        return seen.length === 1
          ? { fail: { retries: 1, errorMessage: 'registry timeout', retryBackOff: 0 } }
          : { error: { errorCode: 'NOT_LISTED', errorMessage: 'not in registry', variables: { listed: false } } };
      });
      try {
        const pik = (await runtime.createProcessInstance({ processDefinitionId: 'contract_worker' })).processInstanceKey;
        await eventually(async () => cluster.gateway.calls('ThrowError').length, (n) => n === 1, 'the BPMN error');
        const fail = cluster.gateway.calls('FailJob').at(-1);
        assert.deepEqual(pick(fail, ['retries', 'errorMessage', 'retryBackOff']), { retries: 1, errorMessage: 'registry timeout', retryBackOff: '0' });
        const thrown = cluster.gateway.calls('ThrowError')[0];
        assert.deepEqual(pick(thrown, ['errorCode', 'errorMessage']), { errorCode: 'NOT_LISTED', errorMessage: 'not in registry' });
        assert.deepEqual(JSON.parse(thrown.variables), { listed: false });
        assert.equal(seen[1].retries, 1);
        await eventually(async () => (await runtime.searchIncidents({ filter: { processInstanceKey: pik } })).items.length, (n) => n === 1, 'an incident: nothing catches NOT_LISTED');
      } finally { stop(); }
    });

    it('RESOURCE_EXHAUSTED on activation: the worker backs off, then carries on', async () => {
      cluster.gateway.fail('ActivateJobs', grpc.status.RESOURCE_EXHAUSTED, 2);
      const stop = runtime.registerJobHandler(type, () => ({ complete: { ok: true } }));
      try {
        const pik = (await runtime.createProcessInstance({ processDefinitionId: 'contract_worker' })).processInstanceKey;
        await eventually(() => runtime.getProcessInstance(pik), (p) => p.state === 'COMPLETED', 'completed after the back-pressure', 20_000);
        const polls = cluster.gateway.requests.filter((r) => r.method === 'ActivateJobs' && r.request.type === type);
        assert.ok(polls.length >= 3, 'polled again after two refusals');
        assert.ok(polls[1].at - polls[0].at >= 900, `backed off after the first refusal (${polls[1].at - polls[0].at} ms)`);
        assert.ok(polls[2].at - polls[1].at >= 900, `and after the second (${polls[2].at - polls[1].at} ms)`);
      } finally { stop(); }
    });
  });
});

function pick(o: any, keys: string[]) { return Object.fromEntries(keys.map((k) => [k, o[k]])); }
