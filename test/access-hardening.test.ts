// Hostile input: security headers (helmet, the Content-Security-Policy meant for bpmn-js and
// form-js) on every part of the app, body size limits on every route, oversized credentials.

import assert from 'node:assert/strict';
import { DEMO_PASSWORD } from '../web/identity/bootstrap.ts';
import { CONTENT_SECURITY_POLICY } from '../web/server.ts';
import { ANONYMOUS, basic, startSecureApp, type SecureApp } from './helpers/secure-app.ts';

describe('access: hostile input and security headers', function () {
  this.timeout(30_000);
  let app: SecureApp;
  const admin = basic('admin', DEMO_PASSWORD);

  before(async () => {
    app = await startSecureApp('access_hardening', { app: { jsonLimit: '64kb', apiJsonLimit: '16kb' } });
  });

  after(() => app.close());

  it('every response carries the security headers and the documented CSP', async () => {
    const expectedCsp = Object.entries(CONTENT_SECURITY_POLICY).map(([k, v]) => `${k} ${v.join(' ')}`).join(';');
    for (const [as, method, path] of [[admin, 'GET', '/v2/topology'], [ANONYMOUS, 'GET', '/v2/topology'], [ANONYMOUS, 'GET', '/api/session'], [ANONYMOUS, 'GET', '/oauth/jwks']] as const) {
      const r = await app.call(as, method, path);
      assert.equal(r.headers.get('content-security-policy'), expectedCsp, path);
      assert.match(r.headers.get('content-security-policy')!, /script-src 'self';/);
      assert.match(r.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(r.headers.get('x-frame-options'), 'SAMEORIGIN');
      assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
      assert.match(r.headers.get('strict-transport-security') ?? '', /max-age=/);
      assert.equal(r.headers.get('x-powered-by'), null);
    }
  });

  it('bodies over the limits are 413 problems on /v2, /api and /oauth', async () => {
    const big = 'x'.repeat(70 * 1024);
    const v2 = await app.call(admin, 'POST', '/v2/process-instances', { processDefinitionId: 'p', variables: { big } });
    assert.equal(v2.status, 413);
    assert.match(v2.type, /problem\+json/);
    const login = await app.call(ANONYMOUS, 'POST', '/api/login', { username: 'admin', password: big.slice(0, 20 * 1024) });
    assert.equal(login.status, 413);
    assert.match(login.type, /problem\+json/);
    const token = await app.call(ANONYMOUS, 'POST', '/oauth/token', new URLSearchParams({ grant_type: 'client_credentials', client_id: 'x', client_secret: big.slice(0, 8 * 1024) }));
    assert.equal(token.status, 413);
  });

  it('an unauthenticated caller cannot make the server read a large body', async () => {
    const r = await app.call(ANONYMOUS, 'POST', '/v2/process-instances', { processDefinitionId: 'p', variables: { big: 'y'.repeat(60 * 1024) } });
    assert.equal(r.status, 401, 'refused before the body is parsed');
  });

  it('oversized or malformed credentials are refused without a 500', async () => {
    const long = await app.call({ headers: { authorization: `Basic ${'A'.repeat(4000)}` } }, 'GET', '/v2/topology');
    assert.equal(long.status, 401);
    const noColon = await app.call({ headers: { authorization: `Basic ${Buffer.from('justaname').toString('base64')}` } }, 'GET', '/v2/topology');
    assert.equal(noColon.status, 401);
    const hugePassword = await app.call(ANONYMOUS, 'POST', '/api/login', { username: 'admin', password: 'p'.repeat(300) });
    assert.equal(hugePassword.status, 400, 'longer than any acceptable password: refused before hashing');
    const weirdName = await app.call(ANONYMOUS, 'POST', '/api/login', { username: '{"$gt":""}', password: 'whatever-1234' });
    assert.equal(weirdName.status, 401);
    const objectName = await app.call(ANONYMOUS, 'POST', '/api/login', { username: { $gt: '' }, password: 'whatever-1234' });
    assert.equal(objectName.status, 400);
  });

  it('unknown paths are 404s with security headers and no stack traces', async () => {
    const r = await app.call(admin, 'GET', '/api/nothing-here');
    assert.equal(r.status, 404);
    assert.match(r.type, /problem\+json/);
    const outside = await app.call(ANONYMOUS, 'GET', '/nowhere');
    assert.equal(outside.status, 404);
    assert.match(outside.type, /problem\+json/, 'problem+json outside /v2 and /api too');
    assert.equal(outside.headers.get('x-content-type-options'), 'nosniff');
    assert.match(outside.headers.get('content-security-policy') ?? '', /object-src 'none'/);
    assert.doesNotMatch(outside.text, /at .*\.ts:\d+/);
  });
});
