// Misbehaving plugins: a handler that throws, never resolves, busy-loops, returns something that
// is not JSON or too much of it, or leaks a secret produces a job failure with a readable message
// (an incident once retries run out), and the platform keeps serving everyone else meanwhile.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bpmn, flow, serviceTask } from './helpers/bpmn.ts';
import { basic, startSecureApp, type SecureApp } from './helpers/secure-app.ts';
import { createPluginsFeature } from '../plugins/host/feature.ts';
import { until } from './helpers/until.ts';

const SECRET = 'tok-9f8e7d6c5b4a';

const HANDLERS = `
export async function throws() { throw new Error('the department system refused: quota exceeded'); }
export function hangs() { return new Promise(() => {}); }
export function busy() { for (;;) {} }
export function fn() { return { callback: () => 1 }; }
export function big() { return { n: 10n }; }
export function list() { return [1, 2, 3]; }
export function huge() { return { blob: 'x'.repeat(400 * 1024) }; }
export function leak(job, ctx) { return { echoed: ctx.secrets.API_TOKEN }; }
export function leakPlaceholder(job) { return { echoed: job.variables.auth }; }
export function leakMessage(job, ctx) { ctx.logger.info('using token', ctx.secrets.API_TOKEN); throw new Error('login failed with ' + ctx.secrets.API_TOKEN); }
export function exits() { process.exit(3); }
export function echo(job, ctx) { return { echoed: job.variables.input, setting: ctx.settings.greeting ?? null, threadEnv: Object.keys(process.env).filter((k) => k.startsWith('GRIDFLOW')).length }; }
export function patient(job, ctx) { return new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve({ stoppedCleanly: true }))); }
`;

const TYPES = ['throws', 'hangs', 'busy', 'fn', 'big', 'list', 'huge', 'leak', 'leakPlaceholder', 'leakMessage', 'exits', 'echo', 'patient'];

function misbehavingPlugin(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gridflow-plugin-'));
  writeFileSync(path.join(dir, 'handlers.mjs'), HANDLERS);
  writeFileSync(path.join(dir, 'syntax.mjs'), 'export default (job => {');
  writeFileSync(path.join(dir, 'plugin.json'), JSON.stringify({
    id: 'misbehaving', version: '1.0.0', name: { zh: '捣乱插件', en: 'Misbehaving plugin' },
    jobTypes: [
      ...TYPES.map((t) => ({ type: `bad.${t}`, handler: 'handlers.mjs', export: t, timeoutMs: t === 'patient' ? 300 : t === 'busy' ? 3000 : 700, concurrency: 2, retryBackOffMs: 0 })),
      { type: 'bad.slowRetry', handler: 'handlers.mjs', export: 'throws', retryBackOffMs: 60_000 },
      { type: 'bad.syntax', handler: 'syntax.mjs', retryBackOffMs: 0 },
      { type: 'bad.noExport', handler: 'handlers.mjs', export: 'nothingHere', retryBackOffMs: 0 },
    ],
    templates: [], secrets: ['API_TOKEN'],
  }));
  return dir;
}

const oneTask = (type: string, retries = 1) => bpmn(`p_${type}`, `<bpmn:startEvent id="s"/>${flow('f1', 's', 'work')}
  ${serviceTask('work', `bad.${type}`).replace('retries="3"', `retries="${retries}"`)}${flow('f2', 'work', 'e')}<bpmn:endEvent id="e"/>`);

describe('plugins: misbehaving handlers are isolated', function () {
  this.timeout(60_000);
  let app: SecureApp;
  const lines: string[] = [];

  before(async () => {
    app = await startSecureApp('plugin_isolation', {
      features: [createPluginsFeature({ builtins: false, extra: [misbehavingPlugin()], env: { ...process.env, GRIDFLOW_SECRET_API_TOKEN: SECRET }, log: (l) => lines.push(l) })],
    });
  });
  after(async () => { await app?.close(); });

  async function run(type: string, variables: Record<string, unknown> = {}, retries = 1) {
    await app.runtime.deploy([{ name: `${type}.bpmn`, content: oneTask(type, retries) }]);
    const { processInstanceKey } = await app.runtime.createProcessInstance({ processDefinitionId: `p_${type}`, variables });
    return processInstanceKey;
  }
  const incidentOf = (pik: string) => until(async () => (await app.runtime.searchIncidents({ filter: { processInstanceKey: pik } })).items[0]);
  async function everythingStored(pik: string) {
    const vars = await app.runtime.searchVariables({ filter: { processInstanceKey: pik } });
    const history = await app.runtime.history(pik);
    const incidents = await app.runtime.searchIncidents({ filter: { processInstanceKey: pik } });
    return JSON.stringify({ vars, history, incidents });
  }

  const cases: Array<[string, RegExp]> = [
    ['throws', /Plugin 'misbehaving' \(job type 'bad\.throws'\): the handler failed: the department system refused: quota exceeded/],
    ['hangs', /did not finish within 700 ms; its thread was stopped/],
    ['fn', /returned variables that are not JSON: 'callback' is a function/],
    ['big', /returned variables that are not JSON: 'n' is a bigint/],
    ['list', /returned an array; a handler returns an object of variables or nothing/],
    ['huge', /returned \d+ characters of variables, more than the 262144 allowed/],
    ['exits', /its worker thread failed/],
    ['syntax', /bad\.syntax'\): the handler failed: .*(Unexpected|SyntaxError|expected)/i],
    ['noExport', /the module exports no function 'nothingHere'/],
  ];
  for (const [type, message] of cases) {
    it(`${type}: an incident with a readable message`, async () => {
      const pik = await run(type);
      const incident = await incidentOf(pik);
      assert.equal(incident.errorType, 'JOB_NO_RETRIES');
      assert.match(incident.errorMessage, message);
    });
  }

  it('busy-loops: the platform answers quickly while it spins, then the thread is stopped', async () => {
    const pik = await run('busy');
    await until(async () => app.runtime.searchElementInstances({ filter: { processInstanceKey: pik, elementId: 'work', state: 'ACTIVE' } }).then((r) => r.items.length > 0));
    await new Promise((r) => setTimeout(r, 300)); // the handler is spinning in its thread now
    const admin = basic('admin', 'gridflow-demo');
    for (let i = 0; i < 5; i++) {
      const t0 = Date.now();
      const r = await app.call(admin, 'GET', '/v2/topology');
      assert.equal(r.status, 200);
      assert.ok(Date.now() - t0 < 1_000, `topology took ${Date.now() - t0} ms`);
    }
    assert.equal((await app.runtime.searchIncidents({ filter: { processInstanceKey: pik } })).items.length, 0, 'the handler was still spinning while the platform answered');
    const incident = await incidentOf(pik);
    assert.match(incident.errorMessage, /bad\.busy'\): did not finish within 3000 ms; its thread was stopped/);
  });

  it('a failure with retries left backs off, then the job runs again', async () => {
    const pik = await run('throws', {}, 3);
    const history = await until(async () => {
      const h = await app.runtime.history(pik);
      return h.filter((e) => e.event === 'JOB_FAILED').length >= 2 && h;
    });
    const failed = history.filter((e) => e.event === 'JOB_FAILED');
    assert.match(failed[0]!.detail!, /quota exceeded \(retries left: 2\)/);
    const incident = await incidentOf(pik);
    assert.match(incident.errorMessage, /quota exceeded/);
  });

  it("the job type's back-off holds the job until it is due", async () => {
    const pik = await run('slowRetry', {}, 2);
    await until(async () => (await app.runtime.history(pik)).some((e) => e.event === 'JOB_FAILED'));
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal((await app.runtime.searchIncidents({ filter: { processInstanceKey: pik } })).items.length, 0, 'not retried before the back-off');
    app.clock.advance(61_000);
    const incident = await incidentOf(pik);
    assert.match(incident.errorMessage, /bad\.slowRetry'\): the handler failed/);
  });

  it('the signal is aborted when time is up, so a cooperative handler ends cleanly', async () => {
    const pik = await run('patient');
    await until(async () => (await app.runtime.getProcessInstance(pik)).state === 'COMPLETED');
    const vars = await app.runtime.searchVariables({ filter: { processInstanceKey: pik, name: 'stoppedCleanly' } });
    assert.equal(vars.items[0]?.value, 'true');
  });

  it('a secret in the result is refused: an incident naming the secret, never its value', async () => {
    const pik = await run('leak');
    const incident = await incidentOf(pik);
    assert.match(incident.errorMessage, /put the value of secret 'API_TOKEN' into its result; the result was discarded/);
    assert.ok(!(await everythingStored(pik)).includes(SECRET));
  });

  it('{{secrets.NAME}} in variables reaches the handler resolved, and echoing it back is refused', async () => {
    const pik = await run('leakPlaceholder', { auth: 'Bearer {{secrets.API_TOKEN}}' });
    const incident = await incidentOf(pik);
    assert.match(incident.errorMessage, /secret 'API_TOKEN'/);
    const stored = await everythingStored(pik);
    assert.ok(!stored.includes(SECRET));
    assert.ok(stored.includes('{{secrets.API_TOKEN}}'), 'the variable keeps its placeholder');
  });

  it('a secret in an error message or a log line is masked', async () => {
    const pik = await run('leakMessage');
    const incident = await incidentOf(pik);
    assert.match(incident.errorMessage, /login failed with \*\*\*\*/);
    assert.ok(!(await everythingStored(pik)).includes(SECRET));
    await until(async () => lines.some((l) => /\[plugin misbehaving\] info: using token \*\*\*\*/.test(l)));
    assert.ok(lines.every((l) => !l.includes(SECRET)));
  });

  it('an unknown secret fails the job naming the environment variable to set', async () => {
    const pik = await run('echo', { input: '{{secrets.NOT_SET_ANYWHERE}}' });
    const incident = await incidentOf(pik);
    assert.match(incident.errorMessage, /secret 'NOT_SET_ANYWHERE' is not set \(environment variable GRIDFLOW_SECRET_NOT_SET_ANYWHERE\)/);
  });

  it('a well-behaved handler completes its job; its thread sees no GRIDFLOW_ environment', async () => {
    const pik = await run('echo', { input: 'hello' });
    await until(async () => (await app.runtime.getProcessInstance(pik)).state === 'COMPLETED');
    const vars = Object.fromEntries((await app.runtime.searchVariables({ filter: { processInstanceKey: pik } })).items.map((v) => [v.name, JSON.parse(v.value)]));
    assert.equal(vars.echoed, 'hello');
    assert.equal(vars.threadEnv, 0);
  });
});
