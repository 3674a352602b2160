// The runtime scenarios on ZeebeRuntime: always through the test gateway and Gridflow's REST
// server (the client side of the runtime, end to end, over an embedded engine), and on a real
// Camunda 8 cluster when one is configured with the SDK's variables (docs/zeebe.md):
//   ZEEBE_GRPC_ADDRESS=grpc://localhost:26500 ZEEBE_REST_ADDRESS=http://localhost:8080 CAMUNDA_AUTH_STRATEGY=NONE \
//   npx mocha --no-config --node-option import=tsx --require test/helpers/database.ts --timeout 60000 --exit test/zeebe-scenarios.test.ts
import { clusterAddress, clusterHarness, gatewayHarness } from './scenarios/harness.ts';
import { runScenarios } from './scenarios/suite.ts';

runScenarios('ZeebeRuntime through the test gateway', gatewayHarness);

const address = clusterAddress();
runScenarios(address ? `ZeebeRuntime on the cluster at ${address}` : 'ZeebeRuntime on a Camunda 8 cluster', clusterHarness, {
  ...(address ? {} : { pending: 'no cluster configured (set ZEEBE_GRPC_ADDRESS and ZEEBE_REST_ADDRESS)' }),
  timeout: 120_000,
});
