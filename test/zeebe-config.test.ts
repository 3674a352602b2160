// Choosing and configuring the Zeebe runtime: GRIDFLOW_RUNTIME=zeebe and the SDK's own environment
// variables, nothing of Gridflow's own for the cluster. The SDK reads its variables once, when it
// is loaded, so each case runs in a fresh process, as the platform starts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { createRuntime } from '../engine/index.ts';
import { testDatabase } from './helpers/database.ts';
import { startTestCluster, type TestCluster } from './helpers/zeebe-gateway.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// What web/main.ts does: open the database, createRuntime() from the environment.
const PROBE = `
import { createRuntime, openDatabase } from './engine/index.ts';
const db = await openDatabase();
let out;
try {
  const runtime = await createRuntime({ connection: db.connection });
  await runtime.start();
  const t = await runtime.topology();
  const defs = await runtime.searchProcessDefinitions({});
  out = { kind: runtime.kind, gatewayVersion: t.gatewayVersion, definitions: defs.page.totalItems };
  try { await runtime.publishMessage({ name: 'probe', correlationKey: 'probe' }); out.publish = 'ok'; }
  catch (e) { out.publish = { status: e.status, code: e.code }; }
  await runtime.stop();
} catch (e) { out = { failed: e.message }; }
await db.close();
console.log('RESULT ' + JSON.stringify(out));
process.exit(0);
`;

function probe(env: Record<string, string>): Promise<any> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', PROBE], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (!line) return reject(new Error(`no result (${err?.message}):\n${stdout}\n${stderr}`));
      resolve(JSON.parse(line.slice(7)));
    });
  });
}

describe('ZeebeRuntime: chosen by GRIDFLOW_RUNTIME, configured by the SDK\'s environment variables', function () {
  this.timeout(60_000);
  let cluster: TestCluster;
  let env: Record<string, string>;

  before(async () => {
    cluster = await startTestCluster('zeebe_config_gw');
    env = {
      MONGODB_URI: (await testDatabase('zeebe_config_rt')).uri, GRIDFLOW_RUNTIME: 'zeebe',
      ZEEBE_GRPC_ADDRESS: String(cluster.config.ZEEBE_GRPC_ADDRESS), ZEEBE_REST_ADDRESS: cluster.restAddress, CAMUNDA_AUTH_STRATEGY: 'NONE',
      ZEEBE_CLIENT_LOG_LEVEL: 'NONE', CAMUNDA_LOG_LEVEL: 'none', ZEEBE_GRPC_CLIENT_MAX_RETRY_TIMEOUT_SECONDS: '1',
    };
  });
  after(async () => { await cluster?.stop(); });
  beforeEach(() => { cluster.gateway.requests.length = 0; cluster.gateway.clearFaults(); });

  it('GRIDFLOW_RUNTIME=zeebe with ZEEBE_GRPC_ADDRESS and ZEEBE_REST_ADDRESS: the platform\'s runtime talks to that cluster', async () => {
    const out = await probe(env);
    assert.deepEqual(out, { kind: 'zeebe', gatewayVersion: '8.8.0-gridflow', definitions: 0, publish: 'ok' });
    assert.ok(cluster.gateway.calls('Topology').length >= 1);
    assert.ok(cluster.restCalls.some((c) => c.path === '/v2/process-definitions/search'));
  });

  it('without ZEEBE_GRPC_CLIENT_MAX_RETRIES a refused command is retried six times, then fails (the SDK alone retries for ever)', async () => {
    cluster.gateway.fail('PublishMessage', grpc.status.UNAVAILABLE, 100);
    const out = await probe(env);
    assert.deepEqual(out.publish, { status: 503, code: 'UNAVAILABLE' });
    assert.equal(cluster.gateway.calls('PublishMessage').length, 7);
  });

  it('ZEEBE_GRPC_CLIENT_MAX_RETRIES is the SDK\'s and wins', async () => {
    cluster.gateway.fail('PublishMessage', grpc.status.RESOURCE_EXHAUSTED, 100);
    const out = await probe({ ...env, ZEEBE_GRPC_CLIENT_MAX_RETRIES: '2' });
    assert.deepEqual(out.publish, { status: 429, code: 'RESOURCE_EXHAUSTED' });
    assert.equal(cluster.gateway.calls('PublishMessage').length, 3);
  });

  it('refuses an unknown runtime and a malformed setting, naming them', async () => {
    const connection = (await testDatabase('zeebe_config_bad')).connection;
    await assert.rejects(createRuntime({ connection, kind: 'camunda7' }), /GRIDFLOW_RUNTIME=camunda7: expected 'embedded' or 'zeebe'/);
    assert.deepEqual(await probe({ ...env, GRIDFLOW_ZEEBE_USER_TASK_LEASE_MS: 'ten minutes' }), { failed: 'GRIDFLOW_ZEEBE_USER_TASK_LEASE_MS=ten minutes: expected a number of milliseconds' });
  });
});
