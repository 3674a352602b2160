// Gridflow's identity API: sign-in and sessions (/api/login, /api/logout, /api/session), one's own
// password, users, groups and machine clients (administrators), and the OAuth 2.0 token endpoint
// for machines (/oauth/token, /oauth/jwks).

import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { actorOf, authenticateRequests, principalOf, requirePermission, type AuditRecord } from '../../engine/rest/access.ts';
import { HttpProblem, invalidArgument, notFoundHandler, problemErrorHandler } from '../../engine/rest/problem.ts';
import { closedObject, nonEmptyString, validate } from '../../engine/rest/validation.ts';
import { ROLE_LABELS } from '../access/policy.ts';
import { DEMO_PASSWORD, DEMO_USERS, DEMO_WORKER } from './bootstrap.ts';
import { randomSecret, sessionToken, type Identity } from './identity.ts';
import { PASSWORD_MAX, PASSWORD_MIN } from './passwords.ts';
import { CLIENT_ROLES, IdentityError, publicClient, publicUser, USER_ROLES, type ClientRole, type UserRole } from './store.ts';

const usernameSchema = nonEmptyString(64);
const passwordSchema = { type: 'string', minLength: 1, maxLength: PASSWORD_MAX * 2 } as const;
const rolesSchema = { type: 'array', maxItems: USER_ROLES.length, items: { enum: [...USER_ROLES] } } as const;
const groupsSchema = { type: 'array', maxItems: 50, items: nonEmptyString(64) } as const;
const nameParams = closedObject({ name: nonEmptyString(64) }, ['name']);

/** Identity errors as problems. */
function wrap(fn: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return async (req, res) => {
    try {
      await fn(req, res);
    } catch (err) {
      if (err instanceof IdentityError) throw new HttpProblem(err.status, err.status === 404 ? 'NOT_FOUND' : err.status === 409 ? 'ALREADY_EXISTS' : 'INVALID_ARGUMENT', err.message);
      throw err;
    }
  };
}

/** Refuses a cross-site sign-in (login CSRF): an Origin header, when sent, must be this host. */
const sameOrigin: RequestHandler = (req, _res, next) => {
  const origin = req.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    let host: string;
    try { host = new URL(origin).host; } catch { host = ''; }
    if (host !== req.headers.host) throw new HttpProblem(403, 'FORBIDDEN', 'Cross-origin sign-in refused');
  }
  next();
};

const requireJson: RequestHandler = (req, _res, next) => {
  if (!req.is('application/json')) throw new HttpProblem(415, 'UNSUPPORTED_MEDIA_TYPE', 'body must be application/json');
  next();
};

export function identityRoutes(identity: Identity): Router {
  const router = express.Router();
  const authenticated = authenticateRequests(identity);
  const audit = (req: Request, res: Response, record: Omit<AuditRecord, 'actor'>) =>
    identity.audit({ actor: actorOf(principalOf(res)), outcome: 'success', ...record }, req);

  // ---- sessions ---------------------------------------------------------------------------------

  router.post('/login', sameOrigin, requireJson, validate({ bodyRequired: true, body: closedObject({ username: usernameSchema, password: passwordSchema }, ['username', 'password']) }), wrap(async (req, res) => {
    const b = req.body as { username: string; password: string };
    const { token, csrf, user, session } = await identity.signIn(b.username, b.password, req);
    identity.setSessionCookie(req, res, token);
    res.setHeader('Cache-Control', 'no-store');
    res.status(200).json({ user: publicUser(user), csrfToken: csrf, expiresAt: identity.sessions.expiresAt(session).toISOString() });
  }));

  router.post('/logout', authenticated, requirePermission('authenticated'), validate({}), wrap(async (req, res) => {
    const p = principalOf(res);
    const token = sessionToken(req);
    if (p.via !== 'session' || token === null) throw invalidArgument('logout ends a browser session; this request was not made with one');
    await identity.sessions.destroy(token);
    identity.clearSessionCookie(req, res);
    await audit(req, res, { action: 'auth.sign-out' });
    res.status(204).end();
  }));

  // What the sign-in page needs: who is signed in (with the CSRF token), and in demo mode the demo logins to show.
  router.get('/session', validate({}), wrap(async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const token = sessionToken(req);
    const found = token === null ? null : await identity.sessionPrincipal(token);
    const demo = identity.mode === 'demo' ? await demoInfo(identity) : undefined;
    if (found === null) {
      if (token !== null) identity.clearSessionCookie(req, res);
      res.json({ authenticated: false, mode: identity.mode, ...(demo && { demo }) });
      return;
    }
    res.json({
      authenticated: true, mode: identity.mode, ...(demo && { demo }),
      user: publicUser(found.user), permissions: [...found.principal.permissions].sort(), grids: found.principal.grids,
      csrfToken: found.session.csrf, expiresAt: identity.sessions.expiresAt(found.session).toISOString(),
    });
  }));

  // One's own password: the current one is required, whatever the credentials of the request.
  router.post('/me/password', authenticated, requirePermission('authenticated'), requireJson,
    validate({ bodyRequired: true, body: closedObject({ currentPassword: passwordSchema, newPassword: passwordSchema }, ['currentPassword', 'newPassword']) }),
    wrap(async (req, res) => {
      const p = principalOf(res);
      if (p.kind !== 'user') throw new HttpProblem(403, 'FORBIDDEN', 'machine clients have secrets, not passwords');
      const b = req.body as { currentPassword: string; newPassword: string };
      await identity.checkPassword(p.id, b.currentPassword, req, 'password');
      await identity.store.setPassword(p.id, b.newPassword);
      identity.forgetCredentials();
      await audit(req, res, { action: 'user.password-change', target: `user/${p.id}`, detail: { by: 'self' } });
      // Every session of the user ended with the change (this one too): sign in again.
      identity.clearSessionCookie(req, res);
      res.status(204).end();
    }));

  // ---- users, groups, clients (administrators) -------------------------------------------------------

  const admin = [authenticated, requirePermission('users.manage')];

  router.get('/users', ...admin, validate({}), wrap(async (_req, res) => {
    res.json({ items: (await identity.store.listUsers()).map(publicUser) });
  }));

  router.post('/users', ...admin, requireJson, validate({
    bodyRequired: true,
    body: closedObject({ username: usernameSchema, displayName: nonEmptyString(128), password: passwordSchema, roles: rolesSchema, groups: groupsSchema }, ['username', 'password', 'roles']),
  }), wrap(async (req, res) => {
    const b = req.body as { username: string; displayName?: string; password: string; roles: UserRole[]; groups?: string[] };
    const u = await identity.store.createUser(b);
    await audit(req, res, { action: 'user.create', target: `user/${u._id}`, after: { displayName: u.displayName, roles: u.roles, groups: u.groups } });
    res.status(201).json(publicUser(u));
  }));

  router.get('/users/:name', ...admin, validate({ params: nameParams }), wrap(async (req, res) => {
    const u = await identity.store.user(String(req.params.name), true);
    if (u === null) throw new IdentityError(404, `no user '${String(req.params.name)}'`);
    res.json(publicUser(u));
  }));

  router.patch('/users/:name', ...admin, requireJson, validate({
    params: nameParams, bodyRequired: true,
    body: { ...closedObject({ displayName: nonEmptyString(128), roles: rolesSchema, groups: groupsSchema, disabled: { type: 'boolean' }, unlock: { type: 'boolean' } }), minProperties: 1 },
  }), wrap(async (req, res) => {
    const name = String(req.params.name);
    const b = req.body as { displayName?: string; roles?: UserRole[]; groups?: string[]; disabled?: boolean; unlock?: boolean };
    const p = principalOf(res);
    if (p.kind === 'user' && p.id === name.toLowerCase() && (b.disabled === true || (b.roles !== undefined && !b.roles.includes('administrator')))) {
      throw new HttpProblem(409, 'INVALID_STATE', 'administrators cannot disable themselves or take away their own administrator role');
    }
    const { unlock, ...patch } = b;
    const { before, after } = await identity.store.updateUser(name, patch);
    if (unlock === true) await identity.store.clearFailures('user', { ...after, failedLogins: 1 });
    identity.forgetCredentials();
    const pick = (u: typeof before) => ({ displayName: u.displayName, roles: u.roles, groups: u.groups, disabled: u.disabled });
    await audit(req, res, { action: 'user.update', target: `user/${before._id}`, before: pick(before), after: { ...pick(after), ...(unlock === true && { unlocked: true }) } });
    res.json(publicUser(after));
  }));

  // An administrator sets someone's password (e.g. a forgotten one); that user's sessions end.
  router.post('/users/:name/password', ...admin, requireJson, validate({ params: nameParams, bodyRequired: true, body: closedObject({ password: passwordSchema }, ['password']) }), wrap(async (req, res) => {
    const u = await identity.store.setPassword(String(req.params.name), (req.body as { password: string }).password);
    identity.forgetCredentials();
    await audit(req, res, { action: 'user.password-reset', target: `user/${u._id}` });
    res.status(204).end();
  }));

  router.get('/groups', ...admin, validate({}), wrap(async (_req, res) => {
    res.json({ items: (await identity.store.listGroups()).map((g) => ({ name: g._id, displayName: g.displayName, description: g.description })) });
  }));

  router.post('/groups', ...admin, requireJson, validate({ bodyRequired: true, body: closedObject({ name: nonEmptyString(64), displayName: nonEmptyString(128), description: { type: 'string', maxLength: 500 } }, ['name']) }), wrap(async (req, res) => {
    const b = req.body as { name: string; displayName?: string; description?: string };
    const g = await identity.store.createGroup(b.name, b.displayName, b.description);
    await audit(req, res, { action: 'group.create', target: `group/${g._id}`, after: { displayName: g.displayName } });
    res.status(201).json({ name: g._id, displayName: g.displayName, description: g.description });
  }));

  router.get('/clients', ...admin, validate({}), wrap(async (_req, res) => {
    res.json({ items: (await identity.store.listClients()).map(publicClient) });
  }));

  // The secret is generated here and shown once.
  router.post('/clients', ...admin, requireJson, validate({
    bodyRequired: true,
    body: closedObject({ clientId: nonEmptyString(64), roles: { type: 'array', minItems: 1, maxItems: 5, items: { enum: [...CLIENT_ROLES] } }, description: { type: 'string', maxLength: 500 } }, ['clientId', 'roles']),
  }), wrap(async (req, res) => {
    const b = req.body as { clientId: string; roles: ClientRole[]; description?: string };
    const secret = randomSecret();
    const c = await identity.store.createClient(b.clientId, secret, b.roles, b.description ?? '');
    await audit(req, res, { action: 'client.create', target: `client/${c._id}`, after: { roles: c.roles } });
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json({ ...publicClient(c), clientSecret: secret });
  }));

  router.patch('/clients/:name', ...admin, requireJson, validate({
    params: nameParams, bodyRequired: true,
    body: { ...closedObject({ disabled: { type: 'boolean' }, roles: { type: 'array', maxItems: 5, items: { enum: [...CLIENT_ROLES] } }, description: { type: 'string', maxLength: 500 } }), minProperties: 1 },
  }), wrap(async (req, res) => {
    const { before, after } = await identity.store.updateClient(String(req.params.name), req.body as { disabled?: boolean; roles?: ClientRole[] });
    identity.forgetCredentials();
    await audit(req, res, { action: 'client.update', target: `client/${before._id}`, before: { roles: before.roles, disabled: before.disabled }, after: { roles: after.roles, disabled: after.disabled } });
    res.json(publicClient(after));
  }));

  return router;
}

async function demoInfo(identity: Identity): Promise<object> {
  const logins = [];
  for (const d of DEMO_USERS) {
    const u = await identity.store.user(d.username);
    if (u !== null && u.demo && !u.disabled) logins.push({ username: d.username, password: DEMO_PASSWORD, role: d.role, roleLabel: ROLE_LABELS[d.role], groups: u.groups });
  }
  const client = await identity.store.client(DEMO_WORKER.clientId);
  return {
    notice: 'Demo mode: these demo logins are documented in the README and must not be used for real data. Start with GRIDFLOW_MODE=production for real use.',
    logins,
    ...(client !== null && client.demo && !client.disabled && { workerClient: { clientId: DEMO_WORKER.clientId, clientSecret: DEMO_WORKER.secret, authentication: 'HTTP Basic or OAuth client credentials (POST /oauth/token)' } }),
    passwordPolicy: { minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX },
  };
}

// ---- OAuth 2.0 (RFC 6749 client credentials) ------------------------------------------------------------

function oauthError(res: Response, status: number, error: string, description: string): void {
  if (status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="gridflow"');
  res.setHeader('Cache-Control', 'no-store');
  res.status(status).json({ error, error_description: description });
}

export function oauthRoutes(identity: Identity): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 20 }));
  router.use(express.json({ limit: '4kb' }));

  // Form fields are strings (RFC 6749 §4.4); which are required is checked below, so that the
  // answers are OAuth errors (unsupported_grant_type, invalid_client) as clients expect.
  const tokenField = { type: 'string', maxLength: 1024 };
  router.post('/token', validate({ body: { type: 'object', properties: { grant_type: tokenField, client_id: tokenField, client_secret: tokenField, audience: tokenField, scope: tokenField, resource: tokenField }, additionalProperties: tokenField, maxProperties: 20 } }), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    let clientId = str(body.client_id);
    let secret = str(body.client_secret);
    const header = req.headers.authorization;
    if (typeof header === 'string' && /^basic\s+/i.test(header)) {
      const decoded = Buffer.from(header.replace(/^basic\s+/i, ''), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        clientId = decodeURIComponent(decoded.slice(0, colon));
        secret = decodeURIComponent(decoded.slice(colon + 1));
      }
    }
    const grant = str(body.grant_type);
    if (grant !== 'client_credentials') {
      oauthError(res, 400, 'unsupported_grant_type', 'only grant_type=client_credentials is supported');
      return;
    }
    if (clientId === undefined || secret === undefined || clientId.length > 64 || secret.length > 256) {
      oauthError(res, 401, 'invalid_client', 'client_id and client_secret are required');
      return;
    }
    const audience = str(body.audience) ?? identity.tokens.audiences[0]!;
    if (!identity.tokens.audiences.includes(audience)) {
      oauthError(res, 400, 'invalid_target', `unknown audience; this server issues tokens for: ${identity.tokens.audiences.join(', ')}`);
      return;
    }
    try {
      const client = await identity.store.client(clientId.trim().toLowerCase(), true);
      if (client === null) await identity.unknownClient(clientId, secret, req);
      const c = await identity.checkClientSecret(client!, secret, req, 'token');
      const token = await identity.tokens.issue(c._id, audience, c.roles);
      await identity.audit({ action: 'auth.token', actor: { kind: 'client', id: c._id }, outcome: 'success', detail: { audience, expiresIn: token.expires_in } }, req);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Pragma', 'no-cache');
      res.json(token);
    } catch (err) {
      if (err instanceof HttpProblem && err.status === 429) {
        const retry = (err as { retryAfter?: number }).retryAfter;
        if (retry !== undefined) res.setHeader('Retry-After', String(retry));
        oauthError(res, 429, 'slow_down', err.message);
        return;
      }
      if (err instanceof HttpProblem && err.status === 401) {
        oauthError(res, 401, 'invalid_client', err.message);
        return;
      }
      throw err;
    }
  });

  router.get('/jwks', validate({}), (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(identity.tokens.jwks());
  });

  router.use(notFoundHandler);
  router.use(problemErrorHandler());

  return router;
}
