// The HTTP call plugin inside processes, against a local HTTP server: FEEL request fields, a
// bearer token from a secret, result mapping, retry on 5xx and network trouble, BPMN errors on
// listed status codes, time-outs.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { bpmn, flow } from './helpers/bpmn.ts';
import { freePort } from './helpers/platform.ts';
import { startSecureApp, type SecureApp } from './helpers/secure-app.ts';
import { createPluginsFeature } from '../plugins/host/feature.ts';
import { until } from './helpers/until.ts';

const TOKEN = 'stats-bureau-token-0042';
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function callTask(inputs: Record<string, string>, headers: Record<string, string> = {}, retries = 3) {
  const io = Object.entries(inputs).map(([k, v]) => `<zeebe:input source="${esc(v)}" target="${k}"/>`).join('');
  const hs = Object.entries(headers).map(([k, v]) => `<zeebe:header key="${k}" value="${esc(v)}"/>`).join('');
  return `<bpmn:serviceTask id="call" name="查询统计局系统"><bpmn:extensionElements><zeebe:taskDefinition type="gridflow.http.call" retries="${retries}"/>
    <zeebe:ioMapping>${io}</zeebe:ioMapping>${hs ? `<zeebe:taskHeaders>${hs}</zeebe:taskHeaders>` : ''}</bpmn:extensionElements></bpmn:serviceTask>`;
}

const diagram = (id: string, task: string) => bpmn(id, `<bpmn:startEvent id="s"/>${flow('f1', 's', 'call')}${task}${flow('f2', 'call', 'done')}<bpmn:endEvent id="done"/>
  <bpmn:boundaryEvent id="notFound" attachedToRef="call"><bpmn:errorEventDefinition errorRef="Err404"/></bpmn:boundaryEvent>${flow('f3', 'notFound', 'missing')}<bpmn:endEvent id="missing"/>`,
'<bpmn:error id="Err404" name="not found" errorCode="HTTP_404"/>');

describe('plugin: HTTP call', function () {
  this.timeout(60_000);
  let app: SecureApp;
  let server: http.Server;
  let base: string;
  const seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  let flaky = 0;

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        const url = new URL(req.url!, 'http://x');
        if (url.pathname === '/enterprises/check') {
          if (req.headers.authorization !== `Bearer ${TOKEN}`) { res.writeHead(401).end(); return; }
          const sent = JSON.parse(body || '{}');
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ uscc: sent.uscc, enrolled: sent.revenue >= 2000, category: '规上工业' }));
        } else if (url.pathname === '/flaky') {
          flaky++;
          if (flaky < 3) res.writeHead(503).end('busy');
          else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ attempt: flaky }));
        } else if (url.pathname === '/slow') {
          setTimeout(() => { if (!res.writableEnded) res.writeHead(200).end('late'); }, 3_000);
        } else if (url.pathname === '/bad-request') {
          res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"uscc required"}');
        } else {
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no such enterprise"}');
        }
      });
    }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    app = await startSecureApp('plugin_http', {
      features: [createPluginsFeature({ env: { ...process.env, GRIDFLOW_SECRET_STATS_TOKEN: TOKEN } })],
    });
    // Retries come quickly in this test.
    const settings = await app.call({ headers: { authorization: `Basic ${Buffer.from('admin:gridflow-demo').toString('base64')}` } }, 'PUT', '/api/plugins/http-call/settings', { defaultTimeoutMs: 1000, allowedHosts: [], retryBackOffMs: 0 });
    assert.equal(settings.status, 200, settings.text);
  });
  after(async () => {
    await app?.close();
    server?.closeAllConnections();
    server?.close();
  });

  async function run(id: string, task: string, variables: Record<string, unknown> = {}) {
    await app.runtime.deploy([{ name: `${id}.bpmn`, content: diagram(id, task) }]);
    return (await app.runtime.createProcessInstance({ processDefinitionId: id, variables })).processInstanceKey;
  }
  const ended = (pik: string) => until(async () => {
    const pi = await app.runtime.getProcessInstance(pik);
    return pi.state === 'COMPLETED' && pi;
  });
  const vars = async (pik: string) => Object.fromEntries((await app.runtime.searchVariables({ filter: { processInstanceKey: pik } })).items.map((v) => [v.name, JSON.parse(v.value)]));
  const incidentOf = (pik: string) => until(async () => (await app.runtime.searchIncidents({ filter: { processInstanceKey: pik } })).items[0]);

  it('POSTs a FEEL body with a bearer token from a secret and maps the result with FEEL', async () => {
    const pik = await run('http_ok', callTask({
      method: 'POST',
      url: `="${base}/enterprises/" + "check"`,
      headers: '={"X-Dept": "stats", "X-Case": caseNumber}',
      body: '={uscc: enterprise.uscc, revenue: enterprise.revenue}',
      authType: 'bearer',
      authToken: '{{secrets.STATS_TOKEN}}',
    }, { resultExpression: '={enrolled: response.body.enrolled, category: response.body.category, httpStatus: response.status}' }),
    { caseNumber: 'GF-2026-0001', enterprise: { uscc: '91320500MA1XXXXX0X', revenue: 2600 } });
    await ended(pik);
    const v = await vars(pik);
    assert.equal(v.enrolled, true);
    assert.equal(v.category, '规上工业');
    assert.equal(v.httpStatus, 200);
    const req = seen.find((s) => s.url === '/enterprises/check')!;
    assert.equal(req.method, 'POST');
    assert.equal(req.headers['x-dept'], 'stats');
    assert.equal(req.headers['x-case'], 'GF-2026-0001');
    assert.deepEqual(JSON.parse(req.body), { uscc: '91320500MA1XXXXX0X', revenue: 2600 });
    const stored = JSON.stringify({ v: await app.runtime.searchVariables({ filter: { processInstanceKey: pik } }), h: await app.runtime.history(pik) });
    assert.ok(!stored.includes(TOKEN), 'the token is nowhere in variables or history');
  });

  it('retries a 5xx answer and completes when the service recovers', async () => {
    const pik = await run('http_flaky', callTask({ url: `${base}/flaky` }, { resultVariable: 'reply' }));
    await ended(pik);
    assert.deepEqual((await vars(pik)).reply.body, { attempt: 3 });
    const failures = (await app.runtime.history(pik)).filter((h) => h.event === 'JOB_FAILED');
    assert.equal(failures.length, 2);
    assert.match(failures[0]!.detail!, /GET http:\/\/127\.0\.0\.1:\d+\/flaky answered 503/);
  });

  it('a listed status code raises the BPMN error HTTP_<status>, caught by the boundary event', async () => {
    const pik = await run('http_404', callTask({ url: `${base}/enterprises/none`, errorStatusCodes: '404, 409' }));
    await ended(pik);
    const h = await app.runtime.history(pik);
    assert.ok(h.some((e) => e.event === 'ELEMENT_COMPLETED' && e.elementId === 'missing'));
  });

  it('an unlisted 4xx is an incident at once, with the status and a hint', async () => {
    const pik = await run('http_400', callTask({ url: `${base}/bad-request` }));
    const incident = await incidentOf(pik);
    assert.match(incident.errorMessage, /answered 400; not retried \(list the status in errorStatusCodes/);
  });

  it('a time-out and a refused connection are retried, then an incident says why', async () => {
    const slow = await run('http_slow', callTask({ url: `${base}/slow`, timeoutMs: '300' }, {}, 2));
    assert.match((await incidentOf(slow)).errorMessage, /\/slow failed: no answer within 300 ms/);
    const refused = await run('http_refused', callTask({ url: `http://127.0.0.1:${await freePort()}/nothing` }, {}, 2));
    assert.match((await incidentOf(refused)).errorMessage, /failed: ECONNREFUSED/);
    assert.equal((await app.runtime.history(refused)).filter((h) => h.event === 'JOB_FAILED').length, 1);
  });

  it('a host outside the allowed hosts is refused', async () => {
    const admin = { headers: { authorization: `Basic ${Buffer.from('admin:gridflow-demo').toString('base64')}` } };
    assert.equal((await app.call(admin, 'PUT', '/api/plugins/http-call/settings', { allowedHosts: ['stats.example.gov.cn'], retryBackOffMs: 0 })).status, 200);
    const pik = await run('http_host', callTask({ url: `${base}/flaky` }));
    assert.match((await incidentOf(pik)).errorMessage, /host '127\.0\.0\.1' is not in the plugin's allowed hosts/);
    await app.call(admin, 'PUT', '/api/plugins/http-call/settings', { defaultTimeoutMs: 1000, allowedHosts: [], retryBackOffMs: 0 });
  });
});
