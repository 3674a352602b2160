// Choosing and configuring the Zeebe runtime: GRIDFLOW_RUNTIME=zeebe, the SDK's own environment
// variables (no configuration of Gridflow's own for the cluster), Gridflow's knobs checked.
import assert from 'node:assert/strict';
import { createRuntime } from '../engine/index.ts';
import { testDatabase } from './helpers/database.ts';
import { startTestCluster, type TestCluster } from './helpers/zeebe-gateway.ts';

const SDK_VARS = ['ZEEBE_GRPC_ADDRESS', 'ZEEBE_REST_ADDRESS', 'CAMUNDA_AUTH_STRATEGY', 'ZEEBE_CLIENT_LOG_LEVEL', 'CAMUNDA_LOG_LEVEL', 'GRIDFLOW_RUNTIME', 'GRIDFLOW_ZEEBE_USER_TASK_LEASE_MS'];

describe('ZeebeRuntime: chosen by GRIDFLOW_RUNTIME, configured by the SDK\'s environment variables', function () {
  this.timeout(30_000);
  let cluster: TestCluster;
  const saved: Record<string, string | undefined> = {};

  before(async () => { cluster = await startTestCluster('zeebe_config_gw'); for (const k of SDK_VARS) saved[k] = process.env[k]; });
  afterEach(() => { for (const k of SDK_VARS) { if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k]; } });
  after(async () => { await cluster?.stop(); });

  it('GRIDFLOW_RUNTIME=zeebe with ZEEBE_GRPC_ADDRESS and ZEEBE_REST_ADDRESS: the runtime talks to that cluster', async () => {
    Object.assign(process.env, { GRIDFLOW_RUNTIME: 'zeebe', ZEEBE_GRPC_ADDRESS: cluster.config.ZEEBE_GRPC_ADDRESS, ZEEBE_REST_ADDRESS: cluster.restAddress, CAMUNDA_AUTH_STRATEGY: 'NONE', ZEEBE_CLIENT_LOG_LEVEL: 'NONE', CAMUNDA_LOG_LEVEL: 'none' });
    const runtime = await createRuntime({ connection: (await testDatabase('zeebe_config_rt')).connection });
    try {
      assert.equal(runtime.kind, 'zeebe');
      await runtime.start();
      const topology = await runtime.topology();
      assert.equal(topology.gatewayVersion, '8.8.0-gridflow');
      assert.equal(topology.brokers[0].partitions[0].role, 'leader');
      assert.equal(cluster.gateway.calls('Topology').length >= 1, true);
      assert.equal((await runtime.searchProcessDefinitions({})).page.totalItems, 0);
      assert.ok(cluster.restCalls.some((c) => c.path === '/v2/process-definitions/search'));
    } finally { await runtime.stop(); }
  });

  it('refuses an unknown runtime and a malformed setting, naming them', async () => {
    const connection = (await testDatabase('zeebe_config_bad')).connection;
    await assert.rejects(createRuntime({ connection, kind: 'camunda7' }), /GRIDFLOW_RUNTIME=camunda7: expected 'embedded' or 'zeebe'/);
    process.env.GRIDFLOW_ZEEBE_USER_TASK_LEASE_MS = 'ten minutes';
    await assert.rejects(createRuntime({ connection, kind: 'zeebe' }), /GRIDFLOW_ZEEBE_USER_TASK_LEASE_MS=ten minutes: expected a number of milliseconds/);
  });
});
