// Moving an embedded installation's deployments to a cluster (scripts/migrate-to-zeebe.ts): every
// form and process version arrives, oldest first and numbered alike, deployment-bound forms travel
// with their diagrams, a second run changes nothing, running instances are counted and stay.
// The cluster is the test cluster (test gateway + Gridflow's REST server over a fresh engine).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmbeddedRuntime } from '../engine/embedded/embedded-runtime.ts';
import { ZeebeRuntime } from '../engine/zeebe/zeebe-runtime.ts';
import { migrate } from '../scripts/migrate-to-zeebe.ts';
import { bpmn, flow, userTask } from './helpers/bpmn.ts';
import { testDatabase, type TestDatabase } from './helpers/database.ts';
import { testRuntime } from './helpers/runtime.ts';
import { startTestCluster, type TestCluster } from './helpers/zeebe-gateway.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const formV = (label: string) => JSON.stringify({ id: 'permit_form', type: 'default', components: [{ type: 'textfield', key: 'licence', label }] });
const permit = (task: string, binding: string) => bpmn('permit', `<bpmn:startEvent id="s"/>${flow('f1', 's', task)}${userTask(task, `<zeebe:formDefinition formId="permit_form" bindingType="${binding}"/>`)}${flow('f2', task, 'e')}<bpmn:endEvent id="e"/>`);
const notice = bpmn('notice', `<bpmn:startEvent id="s"/>${flow('f1', 's', 'read')}${userTask('read')}${flow('f2', 'read', 'e')}<bpmn:endEvent id="e"/>`);

async function definitions(r: { searchProcessDefinitions: EmbeddedRuntime['searchProcessDefinitions'] }) {
  return (await r.searchProcessDefinitions({ page: { limit: 100 } })).items.map((d) => `${d.processDefinitionId} v${d.version}`).sort();
}

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/migrate-to-zeebe.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

describe('migrate-to-zeebe: an embedded installation\'s deployments to a cluster', function () {
  this.timeout(90_000);
  let source: EmbeddedRuntime;
  let sourceDb: TestDatabase;
  const clusters: TestCluster[] = [];
  const runtimes: ZeebeRuntime[] = [];
  let running: string;

  before(async () => {
    const src = await testRuntime('migrate_source');
    source = src.runtime; sourceDb = src.db;
    await source.deploy([{ name: 'permit_form.form', content: formV('Licence no.') }]);
    await source.deploy([{ name: 'permit.bpmn', content: permit('apply', 'latest') }, { name: 'notice.bpmn', content: notice }]);
    running = (await source.createProcessInstance({ processDefinitionId: 'permit' })).processInstanceKey;
    await source.deploy([{ name: 'permit_form.form', content: formV('Licence number') }, { name: 'permit.bpmn', content: permit('apply2', 'deployment') }]);
  });
  after(async () => {
    for (const r of runtimes) await r.stop();
    for (const c of clusters) await c.stop();
    await source?.stop();
  });

  async function cluster(name: string) {
    const c = await startTestCluster(name);
    const r = new ZeebeRuntime({ connection: (await testDatabase(`${name}_rt`)).connection, config: c.config, consistencyWaitMs: 0, jobBasedUserTasks: false });
    await r.start();
    clusters.push(c); runtimes.push(r);
    return { c, r };
  }

  it('moves every version, numbered alike, the XML unchanged; counts what still runs on the embedded side', async () => {
    const { c, r } = await cluster('migrate_target');
    const lines: string[] = [];
    const result = await migrate(source, r, { log: (l) => lines.push(l) });
    assert.deepEqual(await definitions(c.backend), ['notice v1', 'permit v1', 'permit v2']);
    assert.deepEqual((await c.backend.searchForms({ formId: 'permit_form' })).map((f) => f.version), [2, 1]);
    for (const d of (await source.searchProcessDefinitions({})).items) {
      const there = (await c.backend.searchProcessDefinitions({ filter: { processDefinitionId: d.processDefinitionId, version: d.version } })).items[0];
      assert.equal(await c.backend.getProcessDefinitionXml(there.processDefinitionKey), await source.getProcessDefinitionXml(d.processDefinitionKey));
    }
    assert.equal(result.runningOnEmbedded, 1);
    assert.deepEqual(result.renumbered, []);
    assert.ok(lines.some((l) => /process permit v2 → v2 .* with form permit_form/.test(l)), lines.join('\n'));
    assert.equal((await source.getProcessInstance(running)).state, 'ACTIVE', 'the running instance stays where it is');

    // New instances start on the cluster, on the latest version, with its form.
    const pik = (await r.createProcessInstance({ processDefinitionId: 'permit' })).processInstanceKey;
    const [task] = (await r.searchUserTasks({ filter: { processInstanceKey: pik } })).items;
    assert.equal(task.elementId, 'apply2');
    assert.equal(JSON.parse((await r.getUserTaskForm(task.userTaskKey))!.schema).components[0].label, 'Licence number');

    // A second run finds everything on the cluster: nothing is deployed (an old version deployed
    // again would become the newest there).
    const deploysBefore = c.gateway.calls('DeployResource').length;
    const again = await migrate(source, r);
    assert.deepEqual(await definitions(c.backend), ['notice v1', 'permit v1', 'permit v2']);
    assert.deepEqual(again.moved.map((m) => m.to), result.moved.map((m) => m.to));
    assert.ok(again.moved.every((m) => m.skipped));
    assert.equal(c.gateway.calls('DeployResource').length, deploysBefore);
  });

  it('--latest-only moves the latest versions; a dry run deploys nothing', async () => {
    const { c, r } = await cluster('migrate_latest');
    const dry = await migrate(source, r, { dryRun: true });
    assert.equal(c.gateway.calls('DeployResource').length, 0);
    assert.deepEqual(dry.moved.map((m) => `${m.kind} ${m.id} v${m.from}`), ['form permit_form v1', 'form permit_form v2', 'process notice v1', 'process permit v1', 'process permit v2']);
    await migrate(source, r, { latestOnly: true });
    assert.deepEqual(await definitions(c.backend), ['notice v1', 'permit v1']);
    assert.equal(await c.backend.getProcessDefinitionXml((await c.backend.searchProcessDefinitions({ filter: { processDefinitionId: 'permit' } })).items[0].processDefinitionKey), permit('apply2', 'deployment'));
  });

  it('the command: reads MONGODB_URI, deploys to the cluster the SDK\'s variables name, reports', async () => {
    const { c } = await cluster('migrate_cli');
    const env = { MONGODB_URI: sourceDb.uri, ZEEBE_GRPC_ADDRESS: String(c.config.ZEEBE_GRPC_ADDRESS), ZEEBE_REST_ADDRESS: c.restAddress, CAMUNDA_AUTH_STRATEGY: 'NONE', ZEEBE_CLIENT_LOG_LEVEL: 'NONE', CAMUNDA_LOG_LEVEL: 'none' };
    const bad = await cli(['--nonsense'], env);
    assert.equal(bad.code, 2, bad.out);
    const run = await cli([], env);
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, /deployed: 2 form version\(s\), 3 process definition version\(s\)/);
    assert.match(run.out, /1 instance\(s\) still run on the embedded installation/);
    assert.deepEqual(await definitions(c.backend), ['notice v1', 'permit v1', 'permit v2']);
  });
});
