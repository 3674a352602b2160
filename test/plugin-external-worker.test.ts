// The example external worker (plugins/examples/external-worker/worker.mjs) as its own process,
// written with Camunda's client, serving a job type no plugin handles: deployment warns that an
// external worker must serve it, the worker completes the job, and a bad USCC becomes the BPMN
// error the diagram catches. Once against the platform of test/helpers/platform.ts (API
// unprotected, the worker sending Basic credentials), once against a platform with its identity
// on, the worker signing in as the demo worker client with OAuth client credentials.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bpmn, flow, serviceTask } from './helpers/bpmn.ts';
import { testDatabase } from './helpers/database.ts';
import { Client, freePort, killAllPlatforms, Platform } from './helpers/platform.ts';
import { until as pollUntil } from './helpers/until.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORKER = path.join(ROOT, 'plugins/examples/external-worker/worker.mjs');

const diagram = bpmn('market_credit', `<bpmn:startEvent id="s"/>${flow('f1', 's', 'check')}
  ${serviceTask('check', 'dept-market.credit-check')}${flow('f2', 'check', 'done')}<bpmn:endEvent id="done"/>
  <bpmn:boundaryEvent id="invalid" attachedToRef="check"><bpmn:errorEventDefinition errorRef="ErrUscc"/></bpmn:boundaryEvent>${flow('f3', 'invalid', 'rejected')}<bpmn:endEvent id="rejected"/>`,
'<bpmn:error id="ErrUscc" name="invalid uscc" errorCode="INVALID_USCC"/>');

interface Running { child: ChildProcess; output: string[] }

function startChild(args: string[], env: Record<string, string>, ready: RegExp, timeoutMs = 90_000): Promise<Running> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after ${timeoutMs} ms:\n${output.join('')}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (ready.test(output.join(''))) { clearTimeout(timer); resolve({ child, output }); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited (${code}):\n${output.join('')}`)); });
  });
}

async function stopChild(r: Running | undefined) {
  if (!r || r.child.exitCode !== null || r.child.signalCode !== null) return;
  const exited = new Promise((resolve) => r.child.once('exit', resolve));
  r.child.kill('SIGTERM');
  const t = setTimeout(() => r.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(t);
}

const until = <T>(fn: () => Promise<T | undefined | null | false>, ms = 30_000) => pollUntil(fn, ms, 100);

/** Deploy, then run a good and a bad USCC through the worker with `client`. */
async function exercise(client: Client, worker: Running) {
  const deployed = await client.deploy('market-credit.bpmn', diagram);
  assert.ok(deployed.warnings?.some((w: string) => /uses job type 'dept-market\.credit-check', which no in-process handler serves; an external worker must/.test(w)), JSON.stringify(deployed));
  const good = await client.createInstance('market_credit', { enterprise: { uscc: '91320594MA27Q8LN0C' }, gridId: 3 });
  const bad = await client.createInstance('market_credit', { enterprise: { uscc: '91320594MA27Q8LN0X' }, gridId: 3 });
  await until(async () => (await client.getInstance(good.processInstanceKey)).state === 'COMPLETED');
  const check = (await client.searchVariables({ processInstanceKey: good.processInstanceKey, name: 'creditCheck' }))[0]!.value as any;
  assert.equal(check.name, '苏州启明新材料科技有限公司');
  assert.equal(check.abnormalOperation, true);
  await until(async () => (await client.getInstance(bad.processInstanceKey)).state === 'COMPLETED');
  assert.ok((await client.history(bad.processInstanceKey)).some((h) => h.event === 'ELEMENT_COMPLETED' && h.elementId === 'rejected'));
  assert.match(worker.output.join(''), /credit check 91320594MA27Q8LN0C: 存续/);
}

describe('plugins: the example external worker', function () {
  this.timeout(240_000);
  let worker: Running | undefined;
  after(async () => {
    await stopChild(worker);
    await killAllPlatforms();
  });

  it('serves its job type against the platform of the test helper', async () => {
    const db = await testDatabase('plugin_external_worker');
    const platform = await Platform.start({ uri: db.uri, name: 'plugins' });
    worker = await startChild([WORKER], { CAMUNDA_REST_ADDRESS: platform.baseUrl, CAMUNDA_AUTH_STRATEGY: 'BASIC' }, /polling/);
    await exercise(platform.client, worker);
    await stopChild(worker);
    await platform.stop();
  });

  it('signs in as the demo worker client with OAuth against a platform with its identity on', async () => {
    const db = await testDatabase('plugin_external_worker_oauth');
    const port = await freePort();
    const platform = await startChild(['--import', 'tsx', 'web/main.ts'], { PORT: String(port), MONGODB_URI: db.uri, GRIDFLOW_UNPROTECTED_API: 'false' }, /Gridflow is up on/);
    try {
      const base = `http://127.0.0.1:${port}`;
      worker = await startChild([WORKER], { CAMUNDA_REST_ADDRESS: base }, /polling/);
      // The administrator deploys and starts over HTTP Basic; the worker has no other rights.
      const admin = new Client(base);
      const authorization = `Basic ${Buffer.from('admin:gridflow-demo').toString('base64')}`;
      const original = globalThis.fetch;
      globalThis.fetch = ((input: any, init: any = {}) => original(input, { ...init, headers: { ...(init.headers ?? {}), authorization } })) as typeof fetch;
      try {
        await exercise(admin, worker);
      } finally {
        globalThis.fetch = original;
      }
      await stopChild(worker);
    } finally {
      await stopChild(platform);
    }
  });
});
