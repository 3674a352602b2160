// Who is calling. People sign in with a password and get a session cookie (CSRF-protected);
// machines send HTTP Basic credentials or an OAuth 2.0 Bearer token from POST /oauth/token, the
// way Camunda 8's clients do. Failed attempts are limited per address and lock the account for a
// while after too many in a row. Every sign-in and failure goes to the audit trail.

import { createHash, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type mongoose from 'mongoose';
import { forbidden, unauthorized, type AuditRecord, type Principal, type UserInfo, type V2Access } from '../../engine/rest/access.ts';
import { HttpProblem } from '../../engine/rest/problem.ts';
import { principalForClient, principalForUser } from '../access/policy.ts';
import { verifyNothing, verifyPassword } from './passwords.ts';
import { sameSecret, SessionStore, type SessionDoc, type SessionLimits } from './sessions.ts';
import { IdentityStore, normalizeName, type ClientDoc, type UserDoc } from './store.ts';
import { AttemptLimiter } from './throttle.ts';
import { TokenService, type TokenOptions } from './tokens.ts';

export type Mode = 'demo' | 'production';

export interface IdentityConfig {
  mode: Mode;
  /** Secure cookies: always, never, or 'auto' (when the request came over TLS: req.secure, which honours trust proxy). */
  secureCookies?: boolean | 'auto';
  /** Consecutive failures that lock an account (default 5), and for how long (default 15 minutes). */
  lockout?: { maxFailures?: number; lockMs?: number };
  /** Failed attempts one address may make in a window (default 20 in 10 minutes), then 429. */
  failureLimit?: { max?: number; windowMs?: number };
  /** Sign-in attempts (POST /api/login) one address may make in a window (default 30 a minute). */
  loginLimit?: { max?: number; windowMs?: number };
  sessions?: SessionLimits;
  tokens?: TokenOptions;
}

export type AuditFn = (record: AuditRecord, req: Request | null) => Promise<void>;

export const SESSION_COOKIE = 'gridflow_session';
export const SECURE_SESSION_COOKIE = '__Host-gridflow_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const BASIC_CACHE_MS = 60_000;

/** The client's address, as Express sees it (honours trust proxy). */
export const ipOf = (req: Request | null) => (req?.ip ?? req?.socket?.remoteAddress ?? 'unknown').slice(0, 64);

export class Identity implements V2Access {
  readonly sessions: SessionStore;
  readonly failures: AttemptLimiter;
  readonly logins: AttemptLimiter;
  private readonly basicCache = new Map<string, { kind: 'user' | 'client'; id: string; until: number }>();
  private readonly maxFailures: number;
  private readonly lockMs: number;

  private constructor(
    readonly store: IdentityStore,
    readonly tokens: TokenService,
    readonly config: IdentityConfig,
    private readonly auditFn: AuditFn,
    connection: mongoose.Connection,
  ) {
    this.sessions = new SessionStore(connection, config.sessions);
    this.failures = new AttemptLimiter(config.failureLimit?.max ?? 20, config.failureLimit?.windowMs ?? 10 * 60_000);
    this.logins = new AttemptLimiter(config.loginLimit?.max ?? 30, config.loginLimit?.windowMs ?? 60_000);
    this.maxFailures = config.lockout?.maxFailures ?? 5;
    this.lockMs = config.lockout?.lockMs ?? 15 * 60_000;
  }

  static async open(connection: mongoose.Connection, config: IdentityConfig, audit: AuditFn): Promise<Identity> {
    const store = new IdentityStore(connection);
    const tokens = await TokenService.open(connection, config.tokens);
    return new Identity(store, tokens, config, audit, connection);
  }

  get mode(): Mode { return this.config.mode; }

  audit(record: AuditRecord, req: Request | null): Promise<void> {
    return this.auditFn(record, req);
  }

  async userInfo(id: string): Promise<UserInfo | null> {
    const u = await this.store.user(id);
    return u === null ? null : { id: u._id, groups: u.groups, disabled: u.disabled };
  }

  // ---- V2Access / the /api guard ------------------------------------------------------------------

  async authenticate(req: Request, _res: Response): Promise<Principal | null> {
    const header = req.headers.authorization;
    if (typeof header === 'string' && header.length > 0) {
      const [scheme = '', value = ''] = header.split(/\s+/, 2);
      if (/^basic$/i.test(scheme)) return this.basic(value, req);
      if (/^bearer$/i.test(scheme)) return this.bearer(value);
      throw unauthorized(`Authorization scheme '${scheme.slice(0, 20)}' is not supported: use Basic or Bearer`);
    }
    const token = sessionToken(req);
    if (token === null) return null;
    const found = await this.sessionPrincipal(token);
    if (found === null) return null; // an ended session is no session: 401
    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameSecret(sent, found.session.csrf)) {
        throw forbidden(`CSRF token missing or wrong: a signed-in browser must send the session's token in the ${CSRF_HEADER} header on ${req.method} requests (GET /api/session gives it)`);
      }
    }
    return found.principal;
  }

  /** The session behind a cookie token and its user, if both are still valid. */
  async sessionPrincipal(token: string): Promise<{ session: SessionDoc; user: UserDoc; principal: Principal } | null> {
    const session = await this.sessions.get(token);
    if (session === null) return null;
    const user = await this.store.user(session.userId);
    if (user === null || user.disabled || session.createdAt.getTime() <= user.sessionsValidAfter.getTime() || this.demoRefused(user)) {
      await this.sessions.destroy(token);
      return null;
    }
    return { session, user, principal: principalForUser(user, 'session') };
  }

  private demoRefused(doc: { demo: boolean }): boolean {
    return this.config.mode === 'production' && doc.demo;
  }

  private async basic(value: string, req: Request): Promise<Principal> {
    let decoded: string;
    try {
      decoded = Buffer.from(value, 'base64').toString('utf8');
    } catch {
      throw unauthorized('Malformed Basic credentials');
    }
    const colon = decoded.indexOf(':');
    if (colon <= 0 || value.length > 2048) throw unauthorized('Malformed Basic credentials: expected base64 of id:secret');
    const id = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    const cacheKey = createHash('sha256').update(value).digest('hex');
    const hit = this.basicCache.get(cacheKey);
    if (hit !== undefined && hit.until > Date.now()) {
      const p = await this.currentPrincipal(hit.kind, hit.id, 'basic');
      if (p !== null) return p;
      this.basicCache.delete(cacheKey);
    }
    const client = await this.store.client(id.trim().toLowerCase());
    if (client !== null) {
      const c = await this.checkClientSecret(client, secret, req, 'basic');
      this.remember(cacheKey, 'client', c._id);
      return principalForClient(c, 'basic');
    }
    const user = await this.checkPassword(id, secret, req, 'basic');
    this.remember(cacheKey, 'user', user._id);
    return principalForUser(user, 'basic');
  }

  private remember(key: string, kind: 'user' | 'client', id: string): void {
    if (this.basicCache.size > 10_000) this.basicCache.clear();
    this.basicCache.set(key, { kind, id, until: Date.now() + BASIC_CACHE_MS });
  }

  /** Forget remembered Basic credentials (after a password or secret change). */
  forgetCredentials(): void { this.basicCache.clear(); this.store.forget(); }

  private async currentPrincipal(kind: 'user' | 'client', id: string, via: Principal['via']): Promise<Principal | null> {
    if (kind === 'client') {
      const c = await this.store.client(id);
      return c === null || c.disabled || this.demoRefused(c) ? null : principalForClient(c, via);
    }
    const u = await this.store.user(id);
    return u === null || u.disabled || this.demoRefused(u) ? null : principalForUser(u, via);
  }

  private async bearer(token: string): Promise<Principal> {
    let clientId: string;
    try {
      clientId = (await this.tokens.verify(token)).sub;
    } catch {
      throw unauthorized('Bearer token is invalid or expired: get a new one from POST /oauth/token');
    }
    const p = await this.currentPrincipal('client', clientId, 'bearer');
    if (p === null) throw unauthorized(`client '${clientId}' is disabled or no longer exists`);
    return p;
  }

  // ---- credential checks (with rate limiting, lockout and the audit trail) ----------------------------

  /** Counts a failed attempt against the caller's address. */
  private throttle(req: Request | null): void {
    this.failures.hit(`fail:${ipOf(req)}`);
  }

  /** Over the failure limit already: refuse before spending a hash on it. */
  private peek(req: Request | null): void {
    const wait = this.failures.wait(`fail:${ipOf(req)}`);
    if (wait > 0) throw tooMany(wait, 'Too many failed sign-in attempts from this address');
  }

  private async fail(req: Request | null, record: Omit<AuditRecord, 'outcome'>, detail: string): Promise<never> {
    await this.audit({ ...record, outcome: 'failure' }, req);
    throw unauthorized(detail);
  }

  /** A user's password check (sign-in and Basic). Throws 401 (or 429) with a reason that does not tell which part was wrong. */
  async checkPassword(username: string, password: string, req: Request | null, via: 'password' | 'basic'): Promise<UserDoc> {
    const id = normalizeName(username);
    const action = via === 'password' ? 'auth.sign-in' : 'auth.basic';
    this.peek(req);
    const user = id === null ? null : await this.store.user(id, true);
    if (user === null) {
      await verifyNothing(password);
      this.throttle(req);
      return this.fail(req, { action, actor: { kind: 'anonymous', id: (id ?? username).slice(0, 64) }, detail: { reason: 'unknown user' } }, 'Invalid username or password');
    }
    const actor = { kind: 'user' as const, id: user._id };
    if (user.lockedUntil !== null && user.lockedUntil.getTime() > Date.now()) {
      this.throttle(req);
      return this.fail(req, { action, actor, detail: { reason: 'locked', lockedUntil: user.lockedUntil.toISOString() } },
        `Account is locked after too many failed attempts; try again after ${user.lockedUntil.toISOString()}`);
    }
    if (!(await verifyPassword(user.passwordHash, password))) {
      this.throttle(req);
      const { failures, lockedUntil } = await this.store.recordFailure('user', user._id, this.maxFailures, this.lockMs);
      if (lockedUntil !== null) await this.audit({ action: 'auth.lockout', actor, target: `user/${user._id}`, outcome: 'success', detail: { failures, lockedUntil: lockedUntil.toISOString() } }, req);
      return this.fail(req, { action, actor, detail: { reason: 'wrong password', failures } }, 'Invalid username or password');
    }
    if (user.disabled) return this.fail(req, { action, actor, detail: { reason: 'disabled' } }, 'Account is disabled');
    if (this.demoRefused(user)) return this.fail(req, { action, actor, detail: { reason: 'demo account in production mode' } }, 'Demo accounts cannot sign in in production mode');
    await this.store.clearFailures('user', user);
    return user;
  }

  /** A token request for a client id nobody has: as slow as a real check, counted and recorded as a failure. */
  async unknownClient(clientId: string, secret: string, req: Request | null): Promise<never> {
    this.peek(req);
    await verifyNothing(secret);
    this.throttle(req);
    return this.fail(req, { action: 'auth.token', actor: { kind: 'anonymous', id: clientId.slice(0, 64) }, detail: { reason: 'unknown client' } }, 'Invalid client credentials');
  }

  /** A machine client's secret check (Basic and the token endpoint). */
  async checkClientSecret(client: ClientDoc, secret: string, req: Request | null, via: 'basic' | 'token'): Promise<ClientDoc> {
    const action = via === 'token' ? 'auth.token' : 'auth.basic';
    const actor = { kind: 'client' as const, id: client._id };
    this.peek(req);
    if (client.lockedUntil !== null && client.lockedUntil.getTime() > Date.now()) {
      this.throttle(req);
      return this.fail(req, { action, actor, detail: { reason: 'locked' } }, `Client is locked after too many failed attempts; try again after ${client.lockedUntil.toISOString()}`);
    }
    if (!(await verifyPassword(client.secretHash, secret))) {
      this.throttle(req);
      const { failures, lockedUntil } = await this.store.recordFailure('client', client._id, this.maxFailures, this.lockMs);
      if (lockedUntil !== null) await this.audit({ action: 'auth.lockout', actor, target: `client/${client._id}`, outcome: 'success', detail: { failures, lockedUntil: lockedUntil.toISOString() } }, req);
      return this.fail(req, { action, actor, detail: { reason: 'wrong secret', failures } }, 'Invalid client credentials');
    }
    if (client.disabled) return this.fail(req, { action, actor, detail: { reason: 'disabled' } }, 'Client is disabled');
    if (this.demoRefused(client)) return this.fail(req, { action, actor, detail: { reason: 'demo client in production mode' } }, 'The demo worker client cannot be used in production mode');
    await this.store.clearFailures('client', client);
    return client;
  }

  // ---- sessions -------------------------------------------------------------------------------------

  async signIn(username: string, password: string, req: Request): Promise<{ token: string; csrf: string; user: UserDoc; session: SessionDoc }> {
    const wait = this.logins.take(`login:${ipOf(req)}`);
    if (wait > 0) throw tooMany(wait, 'Too many sign-in attempts from this address');
    const user = await this.checkPassword(username, password, req, 'password');
    const { token, csrf, doc } = await this.sessions.create(user._id, ipOf(req));
    await this.audit({ action: 'auth.sign-in', actor: { kind: 'user', id: user._id }, outcome: 'success', detail: { session: doc._id.slice(0, 12) } }, req);
    return { token, csrf, user, session: doc };
  }

  secureCookie(req: Request): boolean {
    const s = this.config.secureCookies ?? 'auto';
    return s === 'auto' ? req.secure : s;
  }

  setSessionCookie(req: Request, res: Response, token: string): void {
    const secure = this.secureCookie(req);
    res.cookie(secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE, token, {
      httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: this.sessions.absoluteMs,
    });
  }

  clearSessionCookie(req: Request, res: Response): void {
    const secure = this.secureCookie(req);
    res.clearCookie(secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
  }
}

/** The session token from the Cookie header (either cookie name), or null. */
export function sessionToken(req: Request): string | null {
  const header = req.headers.cookie;
  if (typeof header !== 'string' || header.length > 8192) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name === SESSION_COOKIE || name === SECURE_SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return null;
}

export function tooMany(waitMs: number, what: string): HttpProblem & { retryAfter: number } {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return Object.assign(new HttpProblem(429, 'TOO_MANY_REQUESTS', `${what}; retry after ${seconds} s`), { retryAfter: seconds });
}

export const randomSecret = (bytes = 24) => randomBytes(bytes).toString('base64url');
