// Camunda's own TypeScript client (@camunda8/orchestration-cluster-api 8.8) against the real
// platform: `node --import tsx web/main.ts` as a child process on a fresh test database, the
// client validating every request and response against Camunda's 8.8 spec. One order runs
// from start to end: a job worker charges, a user completes the approval task, a message ships it.
// The clients connect with Camunda's standard settings to the platform's demo logins (README):
// the demo administrator over HTTP Basic, the demo worker client with OAuth client credentials.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { bpmn, flow, serviceTask, userTask } from './helpers/bpmn.ts';
import { testDatabase } from './helpers/database.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STARTUP_MS = 90_000;

const orderXml = bpmn('client_order', `
  <bpmn:startEvent id="start"/>${flow('f1', 'start', 'charge')}
  ${serviceTask('charge', 'client-charge')}${flow('f2', 'charge', 'approve')}
  ${userTask('approve', '<zeebe:assignmentDefinition candidateGroups="sales"/>', 'Approve order')}${flow('f3', 'approve', 'shipped')}
  <bpmn:intermediateCatchEvent id="shipped"><bpmn:messageEventDefinition messageRef="Msg_shipped"/></bpmn:intermediateCatchEvent>${flow('f4', 'shipped', 'end')}
  <bpmn:endEvent id="end"/>`,
'<bpmn:message id="Msg_shipped" name="order-shipped"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Starts the platform; resolves once it says it is up, rejects with its output if it exits first. */
function startPlatform(env: Record<string, string>, output: string[]): { child: ChildProcess; up: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'web/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const up = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`platform not up after ${STARTUP_MS} ms:\n${output.join('')}`)), STARTUP_MS);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.join('').includes('Gridflow is up on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`platform exited (${code ?? signal}) before it was up:\n${output.join('')}`));
    });
  });
  return { child, up };
}

const failingXml = bpmn('client_failing', `
  <bpmn:startEvent id="start"/>${flow('f1', 'start', 'work')}
  ${serviceTask('work', 'client-failing')}${flow('f2', 'work', 'end')}
  <bpmn:endEvent id="end"/>`);

async function stopPlatform(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

describe('Camunda 8.8 client against the platform (child process)', function () {
  this.timeout(STARTUP_MS + 60_000);
  let child: ChildProcess | undefined;
  const output: string[] = [];
  let camunda: ReturnType<typeof createCamundaClient>;
  let worker: ReturnType<typeof createCamundaClient>;

  before(async () => {
    const db = await testDatabase('camunda_client');
    const port = await freePort();
    // The demo zone and its in-flight programmes stay out: the searches below count this test's instances.
    const started = startPlatform({ PORT: String(port), MONGODB_URI: db.uri, GRIDFLOW_DEMO_SEED: 'false', GRIDFLOW_DEMO_FLOWS: 'false' }, output);
    child = started.child;
    await started.up;
    const common = {
      CAMUNDA_REST_ADDRESS: `http://127.0.0.1:${port}`,
      CAMUNDA_SDK_VALIDATION: 'req:strict,res:strict',
      CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: 1,
      CAMUNDA_SDK_LOG_LEVEL: 'silent',
    };
    camunda = createCamundaClient({
      config: { ...common, CAMUNDA_AUTH_STRATEGY: 'BASIC', CAMUNDA_BASIC_AUTH_USERNAME: 'admin', CAMUNDA_BASIC_AUTH_PASSWORD: 'gridflow-demo' } as never,
    });
    worker = createCamundaClient({
      config: {
        ...common,
        CAMUNDA_AUTH_STRATEGY: 'OAUTH',
        CAMUNDA_OAUTH_URL: `http://127.0.0.1:${port}/oauth/token`,
        CAMUNDA_CLIENT_ID: 'demo-worker',
        CAMUNDA_CLIENT_SECRET: 'demo-worker-secret',
        CAMUNDA_TOKEN_AUDIENCE: 'zeebe-api',
      } as never,
    });
  });

  after(async () => {
    camunda?.stopAllWorkers();
    worker?.stopAllWorkers();
    if (child) await stopPlatform(child);
  });

  it('deploys, starts, works a job, completes a user task, correlates a message: the instance completes', async () => {
    const deployment = await camunda.createDeployment({ resources: [new File([orderXml], 'client-order.bpmn')] });
    assert.equal(deployment.processes.length, 1);
    assert.equal(deployment.processes[0]!.processDefinitionId, 'client_order');
    assert.equal(deployment.processes[0]!.processDefinitionVersion, 1);

    const created = await camunda.createProcessInstance({ processDefinitionId: 'client_order' as never, variables: { orderId: 'order-1', amount: 42 } });
    const processInstanceKey = created.processInstanceKey;
    assert.match(String(processInstanceKey), /^[0-9]+$/);

    // The client's own job worker (as the worker client, with a Bearer token): long polls
    // /v2/jobs/activation and completes the job.
    const charged: Array<Record<string, unknown>> = [];
    worker.createJobWorker({
      jobType: 'client-charge',
      maxParallelJobs: 2,
      jobTimeoutMs: 30_000,
      pollTimeoutMs: 2_000,
      workerName: 'client-test',
      jobHandler: (job) => {
        charged.push(job.variables as Record<string, unknown>);
        return job.complete({ charged: true });
      },
    });

    const tasks = await camunda.searchUserTasks(
      { filter: { processInstanceKey, state: 'CREATED' } },
      { consistency: { waitUpToMs: 20_000, pollIntervalMs: 100 } },
    );
    assert.deepEqual(charged, [{ orderId: 'order-1', amount: 42 }]);
    assert.equal(tasks.items.length, 1);
    const task = tasks.items[0]!;
    assert.equal(task.elementId, 'approve');
    assert.equal(task.name, 'Approve order');
    assert.deepEqual(task.candidateGroups, ['sales']);
    const byGroup = await camunda.searchUserTasks({ filter: { candidateGroup: 'sales', state: 'CREATED' } }, { consistency: { waitUpToMs: 0 } });
    assert.ok(byGroup.items.some((t) => t.userTaskKey === task.userTaskKey));

    const seen = await camunda.searchUserTaskVariables({ userTaskKey: task.userTaskKey, sort: [{ field: 'name' }] }, { consistency: { waitUpToMs: 0 } });
    assert.deepEqual(seen.items.map((v) => [v.name, v.value]), [['amount', '42'], ['charged', 'true'], ['orderId', '"order-1"']]);
    await camunda.assignUserTask({ userTaskKey: task.userTaskKey, assignee: 'admin' });
    await camunda.completeUserTask({ userTaskKey: task.userTaskKey, variables: { approved: true } });
    const running = await camunda.getProcessInstance({ processInstanceKey }, { consistency: { waitUpToMs: 0 } });
    assert.equal(running.state, 'ACTIVE', 'waits for the shipment message');

    const published = await worker.publishMessage({ name: 'order-shipped', correlationKey: 'order-1', timeToLive: 60_000, variables: { carrier: 'post' } });
    assert.match(String(published.messageKey), /^[0-9]+$/);

    const done = await camunda.getProcessInstance(
      { processInstanceKey },
      { consistency: { waitUpToMs: 20_000, pollIntervalMs: 100, predicate: (pi) => pi.state === 'COMPLETED' } },
    );
    assert.equal(done.state, 'COMPLETED');
    assert.equal(done.hasIncident, false);
    const found = await camunda.searchProcessInstances({ filter: { processDefinitionId: 'client_order', state: 'COMPLETED' } }, { consistency: { waitUpToMs: 0 } });
    assert.deepEqual(found.items.map((pi) => pi.processInstanceKey), [processInstanceKey]);
  });

  it("advanced filters as the client sends them: $in, $neq, $exists, date ranges", async () => {
    const now = { consistency: { waitUpToMs: 0 } };
    const byIn = await camunda.searchProcessInstances({ filter: { state: { $in: ['COMPLETED', 'TERMINATED'] }, processDefinitionId: { $eq: 'client_order' } } }, now);
    assert.equal(byIn.items.length, 1);
    const none = await camunda.searchProcessInstances({ filter: { processDefinitionId: { $neq: 'client_order' }, endDate: { $exists: true } } }, now);
    assert.equal(none.items.length, 0);
    const recent = await camunda.searchProcessInstances({ filter: { startDate: { $gte: new Date(Date.now() - 3_600_000).toISOString() } } }, now);
    assert.equal(recent.items.length, 1);
    await assert.rejects(camunda.searchProcessInstances({ filter: { processDefinitionId: { $like: 'client*' } } }, now), (e: { status?: number; detail?: string }) => {
      assert.equal(e.status, 400);
      assert.match(String(e.detail), /\$like is not supported by Gridflow yet/);
      return true;
    });
  });

  it('variable search passes the client response validation', async () => {
    const vars = await camunda.searchVariables({ filter: { name: 'orderId' } }, { consistency: { waitUpToMs: 0 } });
    assert.equal(vars.items.length, 1);
  });

  it('an incident read by key passes the client response validation', async () => {
    await camunda.createDeployment({ resources: [new File([failingXml], 'client-failing.bpmn')] });
    const { processInstanceKey } = await camunda.createProcessInstance({ processDefinitionId: 'client_failing' as never });
    const { jobs } = await worker.activateJobs({ type: 'client-failing', timeout: 30_000, maxJobsToActivate: 1, worker: 'client-test', requestTimeout: 5_000 });
    await worker.failJob({ jobKey: jobs[0]!.jobKey, retries: 0, errorMessage: 'ledger offline' });
    const found = await camunda.searchIncidents({ filter: { processInstanceKey } }, { consistency: { waitUpToMs: 0 } });
    const incident = await camunda.getIncident({ incidentKey: found.items![0]!.incidentKey! }, { consistency: { waitUpToMs: 0 } });
    assert.deepEqual([incident.errorType, incident.errorMessage, incident.processInstanceKey], ['JOB_NO_RETRIES', 'ledger offline', processInstanceKey]);
  });
});
