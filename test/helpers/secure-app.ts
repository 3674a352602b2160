// The platform app with identity, access control and the audit trail, on the real embedded
// runtime and a fresh test database, plus an HTTP client that signs in (session cookie + CSRF
// token), sends Basic credentials or Bearer tokens. For test/identity-*, access-* and audit-*.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EmbeddedRuntime } from '../../engine/embedded/embedded-runtime.ts';
import { openAuth, type Auth } from '../../web/access/setup.ts';
import { bootstrap } from '../../web/identity/bootstrap.ts';
import type { IdentityConfig } from '../../web/identity/identity.ts';
import type { UserRole } from '../../web/identity/store.ts';
import { createApp, type AppOptions } from '../../web/server.ts';
import { testDatabase, type TestDatabase } from './database.ts';
import { TestClock } from './runtime.ts';
import type { Feature, FeatureContext } from '../../web/feature.ts';

export interface Reply { status: number; type: string; json: any; text: string; headers: Headers }

export interface Caller {
  /** Extra headers on every request (Authorization, Cookie). */
  headers: Record<string, string>;
  /** The session's CSRF token, sent on unsafe methods unless `csrf: false`. */
  csrf?: string;
}

export const ANONYMOUS: Caller = { headers: {} };
export const basic = (id: string, secret: string): Caller => ({ headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` } });
export const bearer = (token: string): Caller => ({ headers: { authorization: `Bearer ${token}` } });

export interface SecureApp {
  db: TestDatabase;
  runtime: EmbeddedRuntime;
  auth: Auth;
  /** The runtime's and the features' clock: advance it instead of sleeping. */
  clock: TestClock;
  base: string;
  server: Server;
  call(as: Caller, method: string, path: string, body?: unknown, opts?: { headers?: Record<string, string>; csrf?: boolean }): Promise<Reply>;
  /** Signs in with a password; the caller carries the session cookie and CSRF token. */
  login(username: string, password: string): Promise<Caller>;
  /** A user with these roles and groups (password `correct-horse-battery-7`), signed in over Basic. */
  user(username: string, roles: UserRole[], groups?: string[]): Promise<Caller>;
  close(): Promise<void>;
}

export const passwordOf = (_username: string) => 'correct-horse-battery-7';

export async function startSecureApp(name: string, opts: { config?: Partial<IdentityConfig>; app?: Partial<AppOptions>; demo?: boolean; env?: NodeJS.ProcessEnv; features?: Feature[]; clock?: TestClock; timers?: boolean } = {}): Promise<SecureApp> {
  const db = await testDatabase(name);
  const clock = opts.clock ?? new TestClock();
  const runtime = new EmbeddedRuntime({ connection: db.connection, clock, timers: opts.timers ?? true });
  await runtime.start();
  const auth = await openAuth(db.connection, { mode: opts.demo === false ? 'production' : 'demo', ...opts.config });
  await bootstrap(auth.identity, opts.env ?? (opts.demo === false ? { GRIDFLOW_ADMIN_USER: 'root', GRIDFLOW_ADMIN_PASSWORD: passwordOf('root') } : {}));
  // Features (web/feature.ts) start as web/main.ts starts them, on the test's clock.
  const context: FeatureContext = { runtime, connection: db.connection, auth, now: () => clock.now(), log: () => {} };
  for (const f of opts.features ?? []) await f.start?.(context);
  const server = createApp({ runtime, auth, ...(opts.features ? { features: { features: opts.features, context } } : {}), ...opts.app }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function call(as: Caller, method: string, path: string, body?: unknown, o: { headers?: Record<string, string>; csrf?: boolean } = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...as.headers, ...o.headers };
    const init: RequestInit = { method, headers, redirect: 'manual' };
    if (body instanceof FormData || body instanceof URLSearchParams) init.body = body;
    else if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    if (as.csrf !== undefined && o.csrf !== false && !['GET', 'HEAD'].includes(method)) headers['x-csrf-token'] ??= as.csrf;
    const res = await fetch(`${base}${path}`, init);
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, type, text, json: type.includes('json') && text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  async function login(username: string, password: string): Promise<Caller> {
    const r = await call(ANONYMOUS, 'POST', '/api/login', { username, password });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
    const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]!;
    return { headers: { cookie }, csrf: r.json.csrfToken };
  }

  async function user(username: string, roles: UserRole[], groups: string[] = []): Promise<Caller> {
    await auth.identity.store.createUser({ username, password: passwordOf(username), roles, groups });
    return basic(username, passwordOf(username));
  }

  async function close() {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    for (const f of [...(opts.features ?? [])].reverse()) await f.stop?.();
    await runtime.stop();
  }

  return { db, runtime, auth, clock, base, server, call, login, user, close };
}

/** A multipart deployment body. */
export function deployment(...files: Array<[name: string, xml: string]>): FormData {
  const form = new FormData();
  for (const [name, xml] of files) form.append('resources', new Blob([xml], { type: 'application/xml' }), name);
  return form;
}
