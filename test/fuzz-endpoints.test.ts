// Property-based fuzzing of every endpoint of the access matrix (test/access-matrix.test.ts, its
// rows copied below: method, path, a valid sample body), called as an administrator (and the
// worker client for the job endpoints and a few others) on the secured app. For each endpoint,
// fast-check generates hostile payloads (anything, raw JSON, deep nesting, huge strings, wrong
// types, `$`-operator keys, `__proto__` and constructor.prototype shapes), mutations of the valid
// sample body (fields dropped, added, retyped), junk path parameters and odd query strings.
// Properties, per request: never a 5xx; the answer is JSON or problem+json (or empty 204); no
// prototype pollution in the server's process; and a refused request (4xx) changes nothing: the
// number of documents in every collection of the test database is the same before and after.
// After each endpoint's batch, the server still answers a health call.
// Each run draws a new seed (a failure prints it): FUZZ_SEED=<seed> replays one, FUZZ_RUNS=<n> sets
// the runs per endpoint (70 by default: about 4,000 requests, about a minute on 2 cores).

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEMO_PASSWORD, DEMO_WORKER } from '../web/identity/bootstrap.ts';
import { bpmn, flow } from './helpers/bpmn.ts';
import { basic, deployment, startSecureApp, type Caller, type SecureApp } from './helpers/secure-app.ts';
import {
  fingerprint, fingerprintDiff, hostileKey, hostileRawJson, hostileValue, deepMutations, junkSegment, mutations, oddQuery, rawCall,
  withJunkParams, type FuzzRequest, type RawReply,
} from './helpers/fuzz.ts';

const ADMIN: Caller = basic('admin', DEMO_PASSWORD);
const WORKER: Caller = basic(DEMO_WORKER.clientId, DEMO_WORKER.secret);

const tinyXml = bpmn('fuzz_tiny', `<bpmn:startEvent id="start"/>${flow('f1', 'start', 'end')}<bpmn:endEvent id="end"/>`);

type As = 'administrator' | 'worker' | 'self' | 'anonymous';

interface Row {
  method: string;
  /** The path with `{}` for each parameter; `params` are the matrix's values. */
  template: string;
  params?: string[];
  body?: () => unknown;
  as: As;
  /** Collections a refused call may write to by design (the audit trail of failed credentials). */
  refusalWrites?: string[];
  /** A fuller valid body to mutate than the matrix's minimal one. */
  fuzzSample?: () => Record<string, unknown>;
  /** Path parameters whose percent-encoding is malformed are left out (see the bug below). */
  wellEncodedParams?: boolean;
  /** A long poll: a request the client gives up on is not a hang of the server. */
  longPoll?: boolean;
}

const AUDITED = ['audit', 'audit_head'];

// The key generator's reservations (engine/embedded/keys.ts: a block of 1000 keys per process, taken
// lazily). A refused command may draw a key first (a correlation that finds no subscription does):
// a gap in the key sequence, not a record anyone can read, so it is not counted as a change.
const KEY_RESERVATIONS = ['key_blocks'];

const SEARCH = () => ({ filter: {}, sort: [], page: { from: 0, limit: 10 } });

// The access matrix's rows (method, path, sample body), each with the caller that fuzzes it.
const ROWS: Row[] = [
  { method: 'GET', template: '/v2/topology', as: 'administrator' },
  { method: 'POST', template: '/v2/deployments', body: () => deployment(['tiny.bpmn', tinyXml]), as: 'administrator' },
  { method: 'POST', template: '/v2/process-definitions/search', body: () => ({}), fuzzSample: SEARCH, as: 'administrator' },
  { method: 'GET', template: '/v2/process-definitions/{}', params: ['1'], as: 'administrator' },
  { method: 'GET', template: '/v2/process-definitions/{}/xml', params: ['1'], as: 'administrator' },
  { method: 'POST', template: '/v2/process-instances', body: () => ({ processDefinitionId: 'matrix_none', variables: { gridId: 3 } }), as: 'administrator' },
  { method: 'POST', template: '/v2/process-instances/search', body: () => ({}), fuzzSample: SEARCH, as: 'administrator' },
  { method: 'GET', template: '/v2/process-instances/{}', params: ['1'], as: 'administrator' },
  { method: 'POST', template: '/v2/process-instances/{}/cancellation', params: ['1'], body: () => ({}), as: 'administrator' },
  { method: 'GET', template: '/v2/process-instances/{}/history', params: ['1'], as: 'administrator' },
  { method: 'POST', template: '/v2/element-instances/search', body: () => ({}), fuzzSample: SEARCH, as: 'administrator' },
  { method: 'POST', template: '/v2/user-tasks/search', body: () => ({}), fuzzSample: SEARCH, as: 'administrator' },
  { method: 'GET', template: '/v2/user-tasks/{}', params: ['1'], as: 'administrator' },
  { method: 'POST', template: '/v2/user-tasks/{}/assignment', params: ['1'], body: () => ({ assignee: 'cadre' }), as: 'administrator' },
  { method: 'DELETE', template: '/v2/user-tasks/{}/assignee', params: ['1'], as: 'administrator' },
  { method: 'POST', template: '/v2/user-tasks/{}/completion', params: ['1'], body: () => ({}), as: 'administrator' },
  { method: 'GET', template: '/v2/user-tasks/{}/form', params: ['1'], as: 'administrator' },
  { method: 'POST', template: '/v2/jobs/activation', body: () => ({ type: 'matrix-none', timeout: 1000, maxJobsToActivate: 1, requestTimeout: -1 }), as: 'worker', longPoll: true },
  { method: 'POST', template: '/v2/jobs/{}/completion', params: ['1'], body: () => ({}), as: 'worker' },
  { method: 'POST', template: '/v2/jobs/{}/failure', params: ['1'], body: () => ({ retries: 0 }), as: 'worker' },
  { method: 'POST', template: '/v2/jobs/{}/error', params: ['1'], body: () => ({ errorCode: 'E' }), as: 'worker' },
  { method: 'POST', template: '/v2/messages/publication', body: () => ({ name: 'matrix-none', correlationKey: 'k', timeToLive: 0 }), as: 'administrator' },
  { method: 'POST', template: '/v2/messages/correlation', body: () => ({ name: 'matrix-none', correlationKey: 'k' }), as: 'administrator' },
  { method: 'POST', template: '/v2/variables/search', body: () => ({}), fuzzSample: SEARCH, as: 'administrator' },
  { method: 'POST', template: '/v2/incidents/search', body: () => ({}), fuzzSample: SEARCH, as: 'administrator' },
  { method: 'POST', template: '/v2/incidents/{}/resolution', params: ['1'], body: () => ({}), as: 'administrator' },

  { method: 'GET', template: '/api/session', as: 'administrator' },
  { method: 'POST', template: '/api/logout', as: 'administrator' },
  // A wrong current password is a failed sign-in (audited, counted towards the lockout): fuzzed as
  // an administrator of its own, so the one the other calls use is never locked.
  { method: 'POST', template: '/api/me/password', body: () => ({}), fuzzSample: () => ({ currentPassword: 'wrong-horse-battery-7', newPassword: 'another-horse-battery-9' }), as: 'self', refusalWrites: AUDITED },
  { method: 'GET', template: '/api/forms', as: 'administrator' },
  { method: 'GET', template: '/api/forms/{}/versions', params: ['nothing'], as: 'administrator' },
  { method: 'GET', template: '/api/forms/{}', params: ['nothing'], as: 'administrator' },
  { method: 'GET', template: '/api/forms/{}/versions/{}', params: ['nothing', '1'], as: 'administrator' },
  { method: 'POST', template: '/api/forms', body: () => ({}), as: 'administrator' },
  { method: 'POST', template: '/api/forms/preview', body: () => ({ schema: { components: [] } }), as: 'administrator' },
  // bug: a malformed percent-encoding in the key (/api/user-tasks/%zz/completion) answers Express's
  // default HTML error page, URIError stack trace included, even to an anonymous caller (the route
  // is registered on the app, outside /api's problem handler). The regression case below is
  // skipped until it is fixed; the fuzzing of this row leaves such keys out so it keeps running.
  { method: 'POST', template: '/api/user-tasks/{}/completion', params: ['1'], body: () => ({}), as: 'administrator', wellEncodedParams: true },
  { method: 'GET', template: '/api/users', as: 'administrator' },
  { method: 'POST', template: '/api/users', body: () => ({}), fuzzSample: () => ({ username: 'fuzz-made', displayName: 'Fuzz', password: 'correct-horse-battery-7', roles: ['cadre'], groups: ['grid-3'] }), as: 'administrator' },
  { method: 'GET', template: '/api/users/{}', params: ['admin'], as: 'administrator' },
  { method: 'PATCH', template: '/api/users/{}', params: ['nobody'], body: () => ({ displayName: 'Nobody' }), as: 'administrator' },
  { method: 'POST', template: '/api/users/{}/password', params: ['nobody'], body: () => ({ password: 'correct-horse-battery-7' }), as: 'administrator' },
  { method: 'GET', template: '/api/groups', as: 'administrator' },
  { method: 'POST', template: '/api/groups', body: () => ({}), fuzzSample: () => ({ name: 'fuzz-group', displayName: 'Fuzz', description: 'made by the fuzz test' }), as: 'administrator' },
  { method: 'GET', template: '/api/clients', as: 'administrator' },
  { method: 'POST', template: '/api/clients', body: () => ({}), fuzzSample: () => ({ clientId: 'fuzz-client', roles: ['worker'], description: 'made by the fuzz test' }), as: 'administrator' },
  { method: 'PATCH', template: '/api/clients/{}', params: ['nobody'], body: () => ({ disabled: true }), as: 'administrator' },
  { method: 'GET', template: '/api/audit', as: 'administrator' },
  { method: 'GET', template: '/api/audit/verify', as: 'administrator' },
  // Failed client credentials are audited by design.
  { method: 'POST', template: '/oauth/token', body: () => new URLSearchParams({ grant_type: 'none' }), as: 'administrator', refusalWrites: AUDITED },
  { method: 'GET', template: '/oauth/jwks', as: 'administrator' },
];

// A few endpoints again as the worker client (refused or allowed, the same properties hold).
const WORKER_ROWS: Row[] = ROWS
  .filter((r) => ['/v2/messages/publication', '/v2/topology', '/v2/process-instances/search', '/api/users', '/v2/deployments'].includes(r.template))
  .map((r) => ({ ...r, as: 'worker' as const }));

// bug: with no credentials at all, the body is still read and checked before the credentials: an
// anonymous caller gets 413 or 400 instead of 401 on /api (express.json is the router's first
// middleware) and 400 on /v2 for a body with `__proto__` keys, contrary to docs/security.md
// ("Credentials are checked before any body is read"). So no anonymous rows are fuzzed; the
// skipped regression case below states the expected behaviour.
const ANONYMOUS_ROWS: Row[] = [];

const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 70);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

const CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/merge-patch+json', ''];

const decodable = (s: string) => {
  try { decodeURIComponent(s); return true; } catch { return false; }
};

/** The requests fuzzed against one row. */
function requests(row: Row): fc.Arbitrary<FuzzRequest> {
  const params = row.params ?? [];
  const validPath = withJunkParams(row.template, params);
  const segment = row.wellEncodedParams === true ? junkSegment.filter(decodable) : junkSegment;
  const junkPath = fc.array(segment, { minLength: params.length, maxLength: params.length })
    .map((junk) => ({ path: withJunkParams(row.template, junk), label: `path ${junk.join(',')}` }));
  const query = oddQuery.map((q) => ({ path: validPath + q, label: `query ${q.slice(0, 60)}` }));
  const sample = row.body?.();
  const choices: Array<fc.Arbitrary<FuzzRequest>> = [];

  // Paths and query strings, with the valid sample body.
  const withSample = (p: { path: string; label: string }): FuzzRequest =>
    sample instanceof FormData || sample instanceof URLSearchParams ? { ...p, body: row.body!() } : { ...p, body: sample };
  if (params.length > 0) choices.push(junkPath.map(withSample));
  choices.push(query.map(withSample));

  if (row.method !== 'GET') {
    // Any JSON-encodable value, raw JSON texts, wrong content types.
    choices.push(hostileValue.map((body) => ({ path: validPath, body, label: 'value' })));
    choices.push(fc.anything({ maxDepth: 4, withNullPrototype: true, withObjectString: true }).map((body) => ({ path: validPath, body, label: 'anything' })));
    choices.push(hostileRawJson.map((body) => ({ path: validPath, body, raw: true, label: `raw ${body.slice(0, 60)}` })));
    choices.push(fc.tuple(fc.constantFrom(...CONTENT_TYPES), fc.string({ maxLength: 200 }))
      .map(([contentType, body]) => ({ path: validPath, body, raw: true, contentType, label: `${contentType || '(empty type)'} body` })));
    choices.push(fc.string({ maxLength: 100 }).map((body) => ({ path: validPath, body, raw: true, contentType: null, label: 'no content type' })));
  }
  if (sample !== undefined && typeof sample === 'object' && !(sample instanceof FormData) && !(sample instanceof URLSearchParams)) {
    const m = mutations(sample as Record<string, unknown>);
    choices.push(m.map((body) => ({ path: validPath, body, label: 'mutation' })));
  }
  if (row.fuzzSample !== undefined) {
    const full = row.fuzzSample();
    choices.push(fc.constant({ path: validPath, body: full, label: 'full sample' }));
    choices.push(mutations(full).map((body) => ({ path: validPath, body, label: 'mutation of the full sample' })));
    choices.push(deepMutations(full).map((body) => ({ path: validPath, body, label: 'deep mutation of the full sample' })));
  }
  if (row.template === '/v2/deployments') {
    // Multipart with odd file names, odd contents, too many or no files.
    const file = fc.tuple(fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('a.bpmn', '../../etc/passwd', 'x.form', 'x.dmn', '.bpmn', 'a'.repeat(300) + '.bpmn', '__proto__')),
      fc.oneof(fc.string({ maxLength: 300 }), fc.constantFrom(tinyXml.replace('fuzz_tiny', '$where'), tinyXml.replace('fuzz_tiny', '__proto__'), '<x/>', '{"components":[]}', '{"__proto__":{"polluted":"yes"}}', '')));
    choices.push(fc.array(file, { maxLength: 4 }).map((files) => {
      const form = new FormData();
      for (const [name, content] of files) form.append('resources', new Blob([content]), name);
      return { path: validPath, body: form, label: `multipart ${files.length} files` };
    }));
    choices.push(fc.dictionary(hostileKey, fc.string({ maxLength: 20 }), { maxKeys: 4 }).map((fields) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append('resources', new Blob([tinyXml]), 'tiny.bpmn');
      return { path: validPath, body: form, label: 'multipart with odd fields' };
    }));
  }
  if (row.template === '/oauth/token') {
    choices.push(fc.dictionary(fc.oneof(hostileKey, fc.constantFrom('grant_type', 'client_id', 'client_secret', 'audience')),
      fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('client_credentials', DEMO_WORKER.clientId, 'gridflow-api', 'x'.repeat(5000))), { maxKeys: 25 })
      .map((d) => ({ path: validPath, body: new URLSearchParams(d), label: 'form fields' })));
  }
  return fc.oneof(...choices);
}

describe('fuzz: every endpoint of the access matrix with generated requests', function () {
  this.timeout(180_000);
  let app: SecureApp;
  let callers: Record<As, Caller>;
  let total = 0;
  let refusedChecked = 0;
  const statuses = new Map<string, number>();
  const started = Date.now();

  before(async () => {
    // Failure limits per address off: a fuzzed password or token request must not lock out the
    // address every other request of this file comes from.
    app = await startSecureApp('fuzz_endpoints', { config: { failureLimit: { max: 1_000_000 }, loginLimit: { max: 1_000_000 } } });
    callers = { administrator: ADMIN, worker: WORKER, anonymous: { headers: {} }, self: await app.user('fuzz-self', ['administrator']) };
    // The fingerprint sees the platform's collections (identity, audit, runtime).
    const collections = Object.keys(await fingerprint(app.db.connection));
    assert.ok(collections.length >= 5 && collections.includes('audit'), `collections: ${collections.join(', ')}`);
  });

  after(async () => {
    console.log(`      fuzz: ${total} generated requests against ${ROWS.length + WORKER_ROWS.length + ANONYMOUS_ROWS.length} endpoint batches in ${((Date.now() - started) / 1000).toFixed(1)} s; ${refusedChecked} refused with the database unchanged`);
    console.log(`      fuzz: answers ${[...statuses].sort(([a], [b]) => a.localeCompare(b)).map(([s, n]) => `${s}×${n}`).join(' ')}`);
    await app?.close();
  });

  afterEach(() => {
    assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined, 'Object.prototype polluted');
  });

  async function health() {
    const topology = await rawCall(app.base, ADMIN.headers, 'GET', '/v2/topology', undefined);
    assert.equal(topology.status, 200, `health: GET /v2/topology → ${topology.status} ${topology.text.slice(0, 200)}`);
    const session = await rawCall(app.base, {}, 'GET', '/api/session', undefined);
    assert.equal(session.status, 200, `health: GET /api/session → ${session.status}`);
  }

  function check(row: Row, req: FuzzRequest, r: RawReply, diff: string[]) {
    const label = `${row.as} ${row.method} ${req.path.slice(0, 120)} [${req.label}] → ${r.status} ${r.text.slice(0, 200)}`;
    if (r.timedOut === true) {
      statuses.set('long poll', (statuses.get('long poll') ?? 0) + 1);
      assert.ok(row.longPoll, `${label}: no answer within 5 s`);
      return;
    }
    assert.ok(r.status < 500, `${label}: server error`);
    assert.ok(r.status >= 200, `${label}: odd status`);
    if (r.status !== 204 && r.status !== 304) {
      assert.match(r.type, /^application\/(problem\+)?json/, `${label}: not JSON (${r.type})`);
      assert.notEqual(r.json, undefined, `${label}: unparseable JSON`);
    }
    statuses.set(String(r.status), (statuses.get(String(r.status)) ?? 0) + 1);
    if (r.status >= 400) refusedChecked++;
    if (row.as === 'anonymous') assert.equal(r.status, 401, `${label}: expected 401`);
    if (r.status >= 400) assert.deepEqual(diff, [], `${label}: refused, yet the database changed`);
    assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined, `${label}: Object.prototype polluted`);
  }

  // Was a bug (Express's HTML error page with a stack trace); now problem+json.
  it('POST /api/user-tasks/%zz/completion answers problem+json, not an HTML stack trace', async () => {
    for (const as of [ADMIN, { headers: {} }]) {
      const r = await rawCall(app.base, as.headers, 'POST', '/api/user-tasks/%zz/completion', {});
      assert.ok(r.status === 400 || r.status === 401, `→ ${r.status}`);
      assert.match(r.type, /^application\/problem\+json/, `${r.type}: ${r.text.slice(0, 200)}`);
      assert.doesNotMatch(r.text, /URIError|at decodeURIComponent/);
    }
  });

  // Was a bug (the body of an anonymous request was read before its credentials).
  it('an anonymous request with an oversized, malformed or __proto__ body answers 401, not 413 or 400', async () => {
    const bodies = [JSON.stringify({ big: 'y'.repeat(100_000) }), '{', '{"__proto__":{"__proto__":1}}'];
    for (const path of ['/api/users', '/v2/process-instances/search']) {
      for (const body of bodies) {
        const r = await rawCall(app.base, {}, 'POST', path, body, { raw: true });
        assert.equal(r.status, 401, `${path} ${body.slice(0, 20)} → ${r.status} ${r.text.slice(0, 200)}`);
      }
    }
  });

  for (const row of [...ROWS, ...WORKER_ROWS, ...ANONYMOUS_ROWS]) {
    it(`${row.as}: ${row.method} ${row.template}`, async () => {
      const caller = callers[row.as];
      const ignore = new Set([...KEY_RESERVATIONS, ...(row.refusalWrites ?? [])]);
      const r0 = row.as === 'anonymous' ? await rawCall(app.base, {}, row.method, withJunkParams(row.template, row.params ?? []), undefined) : undefined;
      if (r0 !== undefined) assert.equal(r0.status, 401);
      let last = await fingerprint(app.db.connection, ignore);
      await fc.assert(fc.asyncProperty(requests(row), async (req) => {
        total++;
        const r = await rawCall(app.base, caller.headers, row.method, req.path, req.body, { raw: req.raw, contentType: req.contentType, timeoutMs: row.longPoll ? 5_000 : 20_000 });
        const now = await fingerprint(app.db.connection, ignore);
        const diff = fingerprintDiff(last, now);
        last = now;
        check(row, req, r, diff);
      }), { numRuns: NUM_RUNS, seed: SEED, endOnFailure: true });
      await health();
    });
  }
});
