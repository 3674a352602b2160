// Identity: password hashing and policy, sessions (cookie flags, server-side storage, logout),
// CSRF, lockout and rate limiting, HTTP Basic, the OAuth 2.0 client credentials flow (tokens
// checked with jose against the published key), first start in demo and production mode, and
// that no password reaches the logs or the audit trail.

import assert from 'node:assert/strict';
import { createLocalJWKSet, importJWK, jwtVerify, SignJWT, generateKeyPair } from 'jose';
import { hashPassword, passwordProblems, verifyPassword } from '../web/identity/passwords.ts';
import { DEMO_PASSWORD, DEMO_USERS, DEMO_WORKER, bootstrap, BootstrapError, resolveMode } from '../web/identity/bootstrap.ts';
import { openAuth } from '../web/access/setup.ts';
import { sha256 } from '../web/identity/sessions.ts';
import { bpmn, flow, serviceTask } from './helpers/bpmn.ts';
import { testDatabase } from './helpers/database.ts';
import { ANONYMOUS, basic, bearer, deployment, passwordOf, startSecureApp, type SecureApp } from './helpers/secure-app.ts';

const jobXml = bpmn('id_job', `
  <bpmn:startEvent id="start"/>${flow('f1', 'start', 'work')}
  ${serviceTask('work', 'id-work')}${flow('f2', 'work', 'end')}
  <bpmn:endEvent id="end"/>`);

describe('identity: passwords', () => {
  it('hashes with argon2id (19 MiB, 2 passes, 1 lane), salted, and verifies', async () => {
    const a = await hashPassword('correct-horse-battery-7');
    const b = await hashPassword('correct-horse-battery-7');
    assert.match(a, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    assert.notEqual(a, b, 'each hash has its own salt');
    assert.equal(await verifyPassword(a, 'correct-horse-battery-7'), true);
    assert.equal(await verifyPassword(a, 'correct-horse-battery-8'), false);
    assert.equal(await verifyPassword('not a hash', 'x'), false);
  });

  it('the policy: 12..128 characters, 5 different ones, not common, not the name', () => {
    assert.deepEqual(passwordProblems('correct-horse-battery-7', { username: 'li.wei' }), []);
    assert.deepEqual(passwordProblems(DEMO_PASSWORD, { username: 'admin' }), []);
    assert.ok(passwordProblems('short-1').some((p) => /at least 12/.test(p)));
    assert.ok(passwordProblems('x'.repeat(129)).some((p) => /at most 128/.test(p)));
    assert.ok(passwordProblems('abababababababab').some((p) => /5 different/.test(p)));
    assert.ok(passwordProblems('password1234').some((p) => /well-known/.test(p)));
    assert.ok(passwordProblems('zhangwei-is-great', { username: 'zhangwei' }).some((p) => /username/.test(p)));
    assert.ok(passwordProblems('tab\there-is-a-long-one').some((p) => /control/.test(p)));
  });
});

describe('identity: sessions, CSRF, Basic, lockout, OAuth', function () {
  this.timeout(60_000);
  let app: SecureApp;
  const logged: string[] = [];
  const originals = { log: console.log, error: console.error, warn: console.warn };

  before(async () => {
    // Everything written to the console during these tests is checked for passwords at the end.
    for (const k of ['log', 'error', 'warn'] as const) console[k] = (...args: unknown[]) => { logged.push(args.map(String).join(' ')); originals[k](...args); };
    app = await startSecureApp('identity_auth', {
      config: { lockout: { maxFailures: 3, lockMs: 1_500 }, failureLimit: { max: 12, windowMs: 60_000 } },
      app: { trustProxy: 'loopback' },
    });
  });

  after(async () => {
    Object.assign(console, originals);
    await app.close();
  });

  beforeEach(() => app.auth.identity.failures.reset());

  it('demo mode made one login per role and the demo worker client', async () => {
    const users = await app.auth.identity.store.listUsers();
    assert.deepEqual(users.map((u) => u.roles[0]).sort(), ['administrator', 'cadre', 'committee', 'department-officer', 'grid-leader', 'mentor']);
    assert.ok(users.every((u) => u.demo && u.passwordHash.startsWith('$argon2id$')));
    assert.ok(await app.auth.identity.store.client(DEMO_WORKER.clientId));
  });

  it('GET /api/session tells the sign-in page about demo mode and its logins', async () => {
    const r = await app.call(ANONYMOUS, 'GET', '/api/session');
    assert.equal(r.status, 200);
    assert.equal(r.json.authenticated, false);
    assert.equal(r.json.mode, 'demo');
    assert.deepEqual(r.json.demo.logins.map((l: any) => l.username).sort(), DEMO_USERS.map((u) => u.username).sort());
    assert.ok(r.json.demo.logins.every((l: any) => l.password === DEMO_PASSWORD));
    assert.equal(r.json.demo.workerClient.clientId, DEMO_WORKER.clientId);
    assert.match(r.json.demo.notice, /demo/i);
  });

  it('sign-in sets an httpOnly SameSite=Lax session cookie; the session is stored by the hash of its token', async () => {
    const r = await app.call(ANONYMOUS, 'POST', '/api/login', { username: 'Cadre', password: DEMO_PASSWORD });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.user.username, 'cadre');
    assert.equal(r.json.user.passwordHash, undefined);
    assert.match(r.json.csrfToken, /^[A-Za-z0-9_-]{43}$/);
    const cookie = r.headers.get('set-cookie')!;
    assert.match(cookie, /^gridflow_session=[A-Za-z0-9_-]{43};/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.match(cookie, /Path=\//);
    assert.doesNotMatch(cookie, /Secure/, 'plain HTTP without a proxy saying https');
    const token = cookie.split(';')[0]!.split('=')[1]!;
    const sessions = await app.db.connection.collection('sessions').find({}).toArray();
    assert.ok(sessions.some((s) => s._id === (sha256(token) as never)), 'stored as SHA-256 of the token');
    assert.ok(sessions.every((s) => String(s._id) !== token), 'never the token itself');
    const me = await app.call({ headers: { cookie: `gridflow_session=${token}` } }, 'GET', '/api/session');
    assert.equal(me.json.authenticated, true);
    assert.equal(me.json.user.username, 'cadre');
    assert.deepEqual(me.json.grids, ['3']);
    assert.equal(me.json.csrfToken, r.json.csrfToken);
  });

  it('behind a TLS proxy (X-Forwarded-Proto: https, trust proxy) the cookie is Secure and __Host- prefixed', async () => {
    const r = await app.call(ANONYMOUS, 'POST', '/api/login', { username: 'cadre', password: DEMO_PASSWORD }, { headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(r.status, 200);
    const cookie = r.headers.get('set-cookie')!;
    assert.match(cookie, /^__Host-gridflow_session=/);
    assert.match(cookie, /Secure/);
    assert.match(cookie, /HttpOnly/);
  });

  it('GRIDFLOW_SECURE_COOKIES (secureCookies: true) makes the cookie Secure without a proxy', async () => {
    const other = await startSecureApp('identity_secure_cookie', { config: { secureCookies: true } });
    try {
      const r = await other.call(ANONYMOUS, 'POST', '/api/login', { username: 'cadre', password: DEMO_PASSWORD });
      assert.match(r.headers.get('set-cookie')!, /^__Host-gridflow_session=.*Secure/);
    } finally {
      await other.close();
    }
  });

  it('CSRF: a session-authenticated state change needs the session token in X-CSRF-Token; Basic/Bearer calls do not', async () => {
    const cadre = await app.login('cadre', DEMO_PASSWORD);
    const body = { processDefinitionId: 'nope' };
    const missing = await app.call(cadre, 'POST', '/v2/process-instances', body, { csrf: false });
    assert.equal(missing.status, 403);
    assert.match(missing.type, /problem\+json/);
    assert.match(missing.json.detail, /CSRF token missing or wrong/);
    const wrong = await app.call(cadre, 'POST', '/v2/process-instances', body, { headers: { 'x-csrf-token': 'x'.repeat(43) } });
    assert.equal(wrong.status, 403);
    const right = await app.call(cadre, 'POST', '/v2/process-instances', body);
    assert.equal(right.status, 404, right.text); // past CSRF and permission: there is no such process
    const read = await app.call(cadre, 'POST', '/v2/user-tasks/search', {}, { csrf: false });
    assert.equal(read.status, 403, 'a POST search is a POST: it needs the token too');
    const get = await app.call(cadre, 'GET', '/v2/topology');
    assert.equal(get.status, 200);
    const viaBasic = await app.call(basic('cadre', DEMO_PASSWORD), 'POST', '/v2/user-tasks/search', {});
    assert.equal(viaBasic.status, 200);
    // Logging out is a state change too.
    assert.equal((await app.call(cadre, 'POST', '/api/logout', undefined, { csrf: false })).status, 403);
  });

  it('logout ends the session on the server: the cookie no longer works', async () => {
    const s = await app.login('mentor', DEMO_PASSWORD);
    assert.equal((await app.call(s, 'GET', '/v2/topology')).status, 200);
    const out = await app.call(s, 'POST', '/api/logout');
    assert.equal(out.status, 204, out.text);
    assert.match(out.headers.get('set-cookie') ?? '', /gridflow_session=;/);
    assert.equal((await app.call(s, 'GET', '/v2/topology')).status, 401);
    assert.equal((await app.call(s, 'GET', '/api/session')).json.authenticated, false);
  });

  it('unauthenticated or unknown callers get 401 problem+json with WWW-Authenticate', async () => {
    for (const caller of [ANONYMOUS, basic('cadre', 'wrong-password-123'), basic('nobody', 'whatever-1234'), bearer('not.a.jwt'), { headers: { authorization: 'Digest abc' } }, { headers: { cookie: 'gridflow_session=forged-and-unknown-token-of-43-characters-xx' } }]) {
      const r = await app.call(caller, 'GET', '/v2/topology');
      assert.equal(r.status, 401, JSON.stringify(caller));
      assert.match(r.type, /^application\/problem\+json/);
      assert.equal(r.json.title, 'UNAUTHORIZED');
      assert.match(r.headers.get('www-authenticate') ?? '', /Basic realm="gridflow".*Bearer/);
    }
    assert.equal((await app.call(ANONYMOUS, 'GET', '/api/users')).status, 401);
  });

  it('HTTP Basic works for users and machine clients; the worker client may not deploy (403 with the reason)', async () => {
    assert.equal((await app.call(basic('admin', DEMO_PASSWORD), 'GET', '/v2/topology')).status, 200);
    const worker = basic(DEMO_WORKER.clientId, DEMO_WORKER.secret);
    assert.equal((await app.call(worker, 'POST', '/v2/jobs/activation', { type: 'id-work', timeout: 1000, maxJobsToActivate: 1, requestTimeout: -1 })).status, 200);
    const denied = await app.call(worker, 'POST', '/v2/deployments', deployment(['job.bpmn', jobXml]));
    assert.equal(denied.status, 403);
    assert.match(denied.type, /problem\+json/);
    assert.match(denied.json.detail, /client 'demo-worker' lacks the permission 'deploy'/);
  });

  it('too many wrong passwords lock the account for a while, even for the right password; the lock ends by itself', async () => {
    await app.user('locky', ['cadre'], ['grid-3']);
    for (let i = 0; i < 3; i++) {
      const r = await app.call(ANONYMOUS, 'POST', '/api/login', { username: 'locky', password: `wrong-password-${i}` });
      assert.equal(r.status, 401);
      assert.equal(r.json.detail, 'Invalid username or password', 'does not say which part was wrong');
    }
    const locked = await app.call(ANONYMOUS, 'POST', '/api/login', { username: 'locky', password: passwordOf('locky') });
    assert.equal(locked.status, 401);
    assert.match(locked.json.detail, /locked/);
    assert.equal((await app.call(basic('locky', passwordOf('locky')), 'GET', '/v2/topology')).status, 401, 'Basic is locked out too');
    const trail = await app.auth.trail.list(1, 1000);
    assert.ok(trail.some((e) => e.action === 'auth.lockout' && e.target === 'user/locky'));
    assert.ok(trail.some((e) => e.action === 'auth.sign-in' && e.outcome === 'failure' && e.actor?.id === 'locky'));
    await new Promise((r) => setTimeout(r, 1_600));
    const ok = await app.call(ANONYMOUS, 'POST', '/api/login', { username: 'locky', password: passwordOf('locky') });
    assert.equal(ok.status, 200, ok.text);
  });

  it('too many failures from one address: 429 with Retry-After, before any password is checked', async () => {
    for (let i = 0; i < 12; i++) await app.call(ANONYMOUS, 'POST', '/api/login', { username: `ghost${i}`, password: 'wrong-password-x' });
    const r = await app.call(ANONYMOUS, 'POST', '/api/login', { username: 'admin', password: DEMO_PASSWORD });
    assert.equal(r.status, 429);
    assert.match(r.type, /problem\+json/);
    assert.ok(Number(r.headers.get('retry-after')) > 0);
    assert.equal((await app.call(basic('admin', 'nope-nope-nope'), 'GET', '/v2/topology')).status, 429);
  });

  it('a cross-site sign-in (foreign Origin) and non-JSON sign-in bodies are refused', async () => {
    const foreign = await app.call(ANONYMOUS, 'POST', '/api/login', { username: 'admin', password: DEMO_PASSWORD }, { headers: { origin: 'https://evil.example' } });
    assert.equal(foreign.status, 403);
    const form = await app.call(ANONYMOUS, 'POST', '/api/login', 'username=admin&password=gridflow-demo', { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(form.status, 415);
  });

  it('changing one\'s password needs the current one, ends sessions and clears the demo flag', async () => {
    await app.user('changer', ['mentor']);
    const s = await app.login('changer', passwordOf('changer'));
    const bad = await app.call(s, 'POST', '/api/me/password', { currentPassword: 'wrong-password-1', newPassword: 'another-good-pass-9' });
    assert.equal(bad.status, 401);
    const weak = await app.call(s, 'POST', '/api/me/password', { currentPassword: passwordOf('changer'), newPassword: 'short' });
    assert.equal(weak.status, 400);
    assert.match(weak.json.detail, /at least 12/);
    const ok = await app.call(s, 'POST', '/api/me/password', { currentPassword: passwordOf('changer'), newPassword: 'another-good-pass-9' });
    assert.equal(ok.status, 204, ok.text);
    assert.equal((await app.call(s, 'GET', '/v2/topology')).status, 401, 'the old session ended');
    await app.login('changer', 'another-good-pass-9');
  });

  describe('OAuth 2.0 client credentials', () => {
    const form = (fields: Record<string, string>) => new URLSearchParams(fields);

    it('POST /oauth/token issues a short-lived ES256 JWT that verifies against /oauth/jwks and authenticates /v2 calls', async () => {
      const r = await app.call(ANONYMOUS, 'POST', '/oauth/token', form({ grant_type: 'client_credentials', client_id: DEMO_WORKER.clientId, client_secret: DEMO_WORKER.secret, audience: 'zeebe-api' }));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.token_type, 'Bearer');
      assert.equal(r.json.expires_in, 600);
      assert.equal(r.headers.get('cache-control'), 'no-store');
      const jwks = (await app.call(ANONYMOUS, 'GET', '/oauth/jwks')).json;
      assert.equal(jwks.keys.length, 1);
      assert.equal(jwks.keys[0].d, undefined, 'the published key is public only');
      const { payload, protectedHeader } = await jwtVerify(r.json.access_token, createLocalJWKSet(jwks), { issuer: 'urn:gridflow', audience: 'zeebe-api' });
      assert.equal(protectedHeader.alg, 'ES256');
      assert.equal(payload.sub, DEMO_WORKER.clientId);
      assert.equal(payload.scope, 'worker');
      assert.equal(payload.exp! - payload.iat!, 600);
      assert.ok(payload.jti);
      const worker = bearer(r.json.access_token);
      assert.equal((await app.call(worker, 'POST', '/v2/jobs/activation', { type: 'id-work', timeout: 1000, maxJobsToActivate: 1, requestTimeout: -1 })).status, 200);
      const denied = await app.call(worker, 'POST', '/v2/user-tasks/search', {});
      assert.equal(denied.status, 403);
      assert.match(denied.json.detail, /lacks the permission 'tasks.read'/);
      const trail = await app.auth.trail.list(1, 1000);
      assert.ok(trail.some((e) => e.action === 'auth.token' && e.outcome === 'success' && e.actor?.id === DEMO_WORKER.clientId));
    });

    it('client_secret_basic works too; the signing key is shared through the database', async () => {
      const r = await app.call(basic(DEMO_WORKER.clientId, DEMO_WORKER.secret), 'POST', '/oauth/token', form({ grant_type: 'client_credentials' }));
      assert.equal(r.status, 200, r.text);
      // A second process on the same database accepts it.
      const second = await openAuth(app.db.connection, { mode: 'demo' });
      assert.equal((await second.identity.tokens.verify(r.json.access_token)).sub, DEMO_WORKER.clientId);
    });

    it('refuses wrong secrets, unknown clients, other grants and audiences (RFC 6749 errors)', async () => {
      const wrong = await app.call(ANONYMOUS, 'POST', '/oauth/token', form({ grant_type: 'client_credentials', client_id: DEMO_WORKER.clientId, client_secret: 'not-the-secret-at-all' }));
      assert.equal(wrong.status, 401);
      assert.equal(wrong.json.error, 'invalid_client');
      const unknown = await app.call(ANONYMOUS, 'POST', '/oauth/token', form({ grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'not-the-secret-at-all' }));
      assert.equal(unknown.status, 401);
      assert.equal(unknown.json.error, 'invalid_client');
      const grant = await app.call(ANONYMOUS, 'POST', '/oauth/token', form({ grant_type: 'password', username: 'admin', password: DEMO_PASSWORD }));
      assert.equal(grant.status, 400);
      assert.equal(grant.json.error, 'unsupported_grant_type');
      const aud = await app.call(ANONYMOUS, 'POST', '/oauth/token', form({ grant_type: 'client_credentials', client_id: DEMO_WORKER.clientId, client_secret: DEMO_WORKER.secret, audience: 'someone-else' }));
      assert.equal(aud.status, 400);
      assert.equal(aud.json.error, 'invalid_target');
      const users = await app.call(ANONYMOUS, 'POST', '/oauth/token', form({ grant_type: 'client_credentials', client_id: 'admin', client_secret: DEMO_PASSWORD }));
      assert.equal(users.status, 401, 'people do not get tokens: they sign in');
    });

    it('expired, forged and altered tokens are 401', async () => {
      const keyDoc: any = await app.db.connection.collection('identity_keys').findOne({ _id: 'oauth-signing-key' as never });
      const key = await importJWK(keyDoc.privateJwk, 'ES256');
      const claims = { scope: 'worker' };
      const expired = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: keyDoc.kid, typ: 'at+jwt' }).setIssuer('urn:gridflow').setSubject(DEMO_WORKER.clientId)
        .setAudience('zeebe-api').setIssuedAt(Math.floor(Date.now() / 1000) - 3600).setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(key);
      const forgedKey = (await generateKeyPair('ES256')).privateKey;
      const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: keyDoc.kid, typ: 'at+jwt' }).setIssuer('urn:gridflow').setSubject(DEMO_WORKER.clientId)
        .setAudience('zeebe-api').setIssuedAt().setExpirationTime('5m').sign(forgedKey);
      const good = (await app.call(ANONYMOUS, 'POST', '/oauth/token', form({ grant_type: 'client_credentials', client_id: DEMO_WORKER.clientId, client_secret: DEMO_WORKER.secret }))).json.access_token as string;
      const [h, p, s] = good.split('.');
      const body = JSON.parse(Buffer.from(p!, 'base64url').toString());
      const altered = `${h}.${Buffer.from(JSON.stringify({ ...body, sub: 'admin' })).toString('base64url')}.${s}`;
      for (const t of [expired, forged, altered]) {
        const r = await app.call(bearer(t), 'GET', '/v2/topology');
        assert.equal(r.status, 401);
        assert.match(r.json.detail, /invalid or expired/);
      }
      assert.equal((await app.call(bearer(good), 'GET', '/v2/topology')).status, 200);
    });

    it('a disabled client\'s token stops working', async () => {
      const admin = basic('admin', DEMO_PASSWORD);
      const created = await app.call(admin, 'POST', '/api/clients', { clientId: 'erp-sync', roles: ['worker'], description: 'ERP integration' });
      assert.equal(created.status, 201, created.text);
      assert.match(created.json.clientSecret, /^[A-Za-z0-9_-]{32}$/);
      const token = (await app.call(ANONYMOUS, 'POST', '/oauth/token', form({ grant_type: 'client_credentials', client_id: 'erp-sync', client_secret: created.json.clientSecret }))).json.access_token;
      assert.equal((await app.call(bearer(token), 'GET', '/v2/topology')).status, 200);
      assert.equal((await app.call(admin, 'PATCH', '/api/clients/erp-sync', { disabled: true })).status, 200);
      app.auth.identity.forgetCredentials();
      assert.equal((await app.call(bearer(token), 'GET', '/v2/topology')).status, 401);
    });
  });

  describe('afterwards', () => {
    it('no password or secret appears in the logs or the audit trail', async () => {
      const trail = JSON.stringify(await app.auth.trail.list(1, 1000));
      const stored = JSON.stringify(await app.db.connection.collection('users').find({}).toArray());
      for (const secret of [DEMO_PASSWORD, DEMO_WORKER.secret, passwordOf('x'), 'another-good-pass-9', 'wrong-password-0', 'not-the-secret-at-all']) {
        assert.ok(!logged.some((l) => l.includes(secret)), `logs contain ${secret}`);
        assert.ok(!trail.includes(secret), `audit trail contains ${secret}`);
        assert.ok(!stored.includes(secret), `users collection contains ${secret}`);
      }
    });
  });
});

describe('identity: first start', () => {
  it('production mode refuses to start without GRIDFLOW_ADMIN_USER/PASSWORD, or with a weak password', async () => {
    const db = await testDatabase('identity_production_refused');
    assert.equal(await resolveMode(db.connection, { GRIDFLOW_MODE: 'production' }), 'production');
    const auth = await openAuth(db.connection, { mode: 'production' });
    await assert.rejects(bootstrap(auth.identity, {}), (e: Error) => e instanceof BootstrapError && /GRIDFLOW_ADMIN_USER and GRIDFLOW_ADMIN_PASSWORD/.test(e.message));
    await assert.rejects(bootstrap(auth.identity, { GRIDFLOW_ADMIN_USER: 'root', GRIDFLOW_ADMIN_PASSWORD: 'root12345678' }), (e: Error) => e instanceof BootstrapError && /password/.test(e.message));
    assert.equal(await auth.identity.store.countUsers(), 0);
    await assert.rejects(resolveMode(db.connection, { GRIDFLOW_MODE: 'staging' }), /must be 'demo' or 'production'/);
  });

  it('production mode: the first administrator from the environment, no demo logins, no default passwords', async () => {
    const app = await startSecureApp('identity_production', { demo: false });
    try {
      const users = await app.auth.identity.store.listUsers();
      assert.deepEqual(users.map((u) => [u._id, u.roles, u.demo]), [['root', ['administrator'], false]]);
      assert.equal(await app.auth.identity.store.client(DEMO_WORKER.clientId), null);
      const session = await app.call(ANONYMOUS, 'GET', '/api/session');
      assert.equal(session.json.mode, 'production');
      assert.equal(session.json.demo, undefined);
      assert.equal((await app.call(basic('admin', DEMO_PASSWORD), 'GET', '/v2/topology')).status, 401);
      assert.equal((await app.call(basic('root', passwordOf('root')), 'GET', '/v2/topology')).status, 200);
      const trail = await app.auth.trail.list();
      assert.equal(trail[0]!.action, 'user.create');
      assert.deepEqual(trail[0]!.actor, { kind: 'system', id: 'bootstrap' });
    } finally {
      await app.close();
    }
  });

  it('a demo database started in production mode refuses the demo logins and the demo worker', async () => {
    const db = await testDatabase('identity_demo_then_production');
    assert.equal(await resolveMode(db.connection, {}), 'demo', 'an empty database starts in demo mode');
    const demo = await openAuth(db.connection, { mode: 'demo' });
    await bootstrap(demo.identity, {});
    assert.equal(await resolveMode(db.connection, {}), 'demo', 'remembered');
    assert.equal(await resolveMode(db.connection, { GRIDFLOW_MODE: 'production' }), 'production');
    const prod = await openAuth(db.connection, { mode: 'production' });
    await assert.rejects(prod.identity.checkPassword('admin', DEMO_PASSWORD, null, 'password'), /Demo accounts cannot sign in in production mode/);
    const worker = (await prod.identity.store.client(DEMO_WORKER.clientId))!;
    await assert.rejects(prod.identity.checkClientSecret(worker, DEMO_WORKER.secret, null, 'token'), /demo worker client cannot be used in production mode/);
    // Once an administrator gives the account a real password, it is an ordinary account.
    await prod.identity.store.setPassword('admin', 'a-real-strong-secret-42');
    assert.equal((await prod.identity.checkPassword('admin', 'a-real-strong-secret-42', null, 'password'))._id, 'admin');
  });
});
