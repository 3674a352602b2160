// The plugin contract is runtime-neutral: the same plugin, loaded by the same host, serves its job
// types on ZeebeRuntime (Zeebe job workers over gRPC, here against the test gateway of
// test/helpers/zeebe-gateway.ts) exactly as on the embedded runtime: completion with variables,
// a secret resolved in the job only, a BPMN error caught by a boundary event, a failure with
// retries ending in an incident with the plugin's message.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ZeebeRuntime } from '../engine/zeebe/zeebe-runtime.ts';
import { bpmn, flow, serviceTask } from './helpers/bpmn.ts';
import { testDatabase } from './helpers/database.ts';
import { startTestCluster, type TestCluster } from './helpers/zeebe-gateway.ts';
import { PluginHost } from '../plugins/host/host.ts';
import { until as pollUntil } from './helpers/until.ts';

const SECRET = 'zeebe-secret-5150';

function plugin(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gridflow-zeebe-plugin-'));
  writeFileSync(path.join(dir, 'handlers.mjs'), `
export function greet(job) { return { greeting: 'hello ' + job.variables.who, authorised: job.variables.auth.length > 10 }; }
export function refuse() { const e = new Error('no such permit'); e.name = 'BpmnError'; e.errorCode = 'PERMIT_MISSING'; throw e; }
export function broken() { throw new Error('register offline'); }`);
  writeFileSync(path.join(dir, 'plugin.json'), JSON.stringify({
    id: 'neutral', version: '1.0.0', name: { zh: '运行时无关', en: 'Runtime-neutral' }, templates: [],
    jobTypes: ['greet', 'refuse', 'broken'].map((t) => ({ type: `neutral.${t}`, handler: 'handlers.mjs', export: t, timeoutMs: 5000, retryBackOffMs: 0 })),
  }));
  return dir;
}

const diagram = (id: string, type: string) => bpmn(id, `<bpmn:startEvent id="s"/>${flow('f1', 's', 'work')}
  ${serviceTask('work', type).replace('retries="3"', 'retries="2"')}${flow('f2', 'work', 'done')}<bpmn:endEvent id="done"/>
  <bpmn:boundaryEvent id="missing" attachedToRef="work"><bpmn:errorEventDefinition errorRef="E"/></bpmn:boundaryEvent>${flow('f3', 'missing', 'refused')}<bpmn:endEvent id="refused"/>`,
'<bpmn:error id="E" name="permit missing" errorCode="PERMIT_MISSING"/>');

const until = <T>(fn: () => Promise<T | undefined | null | false>, ms = 20_000) => pollUntil(fn, ms, 100);

describe('plugins on ZeebeRuntime (runtime-neutral contract)', function () {
  this.timeout(60_000);
  let cluster: TestCluster;
  let runtime: ZeebeRuntime;
  let host: PluginHost;

  before(async () => {
    cluster = await startTestCluster('plugin_zeebe_gw');
    const db = await testDatabase('plugin_zeebe_rt');
    runtime = new ZeebeRuntime({ connection: db.connection, config: cluster.config, consistencyWaitMs: 0, jobBasedUserTasks: false });
    await runtime.start();
    host = new PluginHost({ runtime, connection: db.connection, builtins: false, extra: [plugin()], env: { ...process.env, GRIDFLOW_SECRET_PERMIT_TOKEN: SECRET }, log: () => {} });
    await host.start();
    await runtime.deploy([
      { name: 'greet.bpmn', content: diagram('z_greet', 'neutral.greet') },
      { name: 'refuse.bpmn', content: diagram('z_refuse', 'neutral.refuse') },
      { name: 'broken.bpmn', content: diagram('z_broken', 'neutral.broken') },
    ]);
  });
  after(async () => {
    await host?.stop();
    await runtime?.stop();
    await cluster?.stop();
  });

  const start = async (id: string, variables: Record<string, unknown> = {}) => (await runtime.createProcessInstance({ processDefinitionId: id, variables })).processInstanceKey;
  const completed = (pik: string) => until(async () => (await cluster.backend.getProcessInstance(pik)).state === 'COMPLETED');

  it('a handler completes its job as a Zeebe job worker; the secret reaches it, not the variables', async () => {
    const pik = await start('z_greet', { who: '统计局', auth: 'Bearer {{secrets.PERMIT_TOKEN}}' });
    await completed(pik);
    const vars = Object.fromEntries((await cluster.backend.searchVariables({ filter: { processInstanceKey: pik } })).items.map((v) => [v.name, JSON.parse(v.value)]));
    assert.equal(vars.greeting, 'hello 统计局');
    assert.equal(vars.authorised, true);
    assert.equal(vars.auth, 'Bearer {{secrets.PERMIT_TOKEN}}');
    assert.ok(!JSON.stringify(vars).includes(SECRET));
    assert.ok(cluster.gateway.calls('CompleteJob').length > 0, 'completed over gRPC');
  });

  it('a BPMN error thrown by a handler is caught by the boundary event', async () => {
    const pik = await start('z_refuse');
    await completed(pik);
    assert.ok((await cluster.backend.history(pik)).some((h) => h.event === 'ELEMENT_COMPLETED' && h.elementId === 'refused'));
  });

  it('a failing handler: retries, then an incident with the plugin\'s message', async () => {
    const pik = await start('z_broken');
    const incident = await until(async () => (await cluster.backend.searchIncidents({ filter: { processInstanceKey: pik } })).items[0]);
    assert.match(incident.errorMessage, /Plugin 'neutral' \(job type 'neutral\.broken'\): the handler failed: register offline/);
    assert.equal(cluster.gateway.calls('FailJob').length >= 2, true);
  });
});
