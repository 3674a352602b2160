// Every route of the app validates its path, query and body with ajv. The app is built as
// `npm start` builds it (identity, audit trail, every feature of web/features.ts), its routers are
// walked, and each route under /v2, /api and /oauth must carry a validate() middleware
// (engine/rest/validation.ts), which records the schemas it enforces: nothing here is a hand-kept
// list of routes. The report names, per route, what each of the three parts is checked against.
import assert from 'node:assert/strict';
import type { RequestListener } from 'node:http';
import { declaredSchemas, type RouteSchemas } from '../engine/rest/validation.ts';
import { FEATURES } from '../web/features.ts';
import { startSecureApp, type SecureApp } from './helpers/secure-app.ts';

interface RouteEntry { method: string; path: string; schemas: RouteSchemas | undefined }

const API_PREFIXES = ['/v2', '/api', '/oauth'];

/**
 * Routes that hand the request to another route, which validates it: Gridflow's own task
 * completion runs Camunda's route under the stricter form rule (web/server.ts).
 */
const FORWARDS: Record<string, string> = {
  'POST /api/user-tasks/:userTaskKey/completion': 'POST /v2/user-tasks/:userTaskKey/completion',
};

/**
 * Routes without ajv schemas when this check was written, in files of their own: the check fails
 * for any route missing from here, so the list can only shrink (a route here that gains its
 * schemas is reported, and should then be struck off).
 */
const KNOWN_GAPS = new Set<string>([]);

function pathOf(p: unknown): string {
  if (typeof p === 'string') return p === '/' ? '' : p;
  if (Array.isArray(p)) return p.map(pathOf).join('|');
  return String(p);
}

/** Every route of an Express 5 router tree, with the schemas of the validate() middleware in its chain. */
function walk(stack: any[], prefix: string, out: RouteEntry[]) {
  for (const layer of stack) {
    if (layer.route) {
      const route = layer.route;
      const schemas = route.stack.map((l: any) => declaredSchemas(l.handle)).find(Boolean);
      const methods = Object.keys(route.methods).filter((m) => route.methods[m]);
      for (const m of methods) out.push({ method: m === '_all' ? 'ALL' : m.toUpperCase(), path: `${prefix}${pathOf(route.path)}`, schemas });
    } else if (Array.isArray(layer.handle?.stack)) {
      walk(layer.handle.stack, `${prefix}${pathOf(layer.rawPath)}`, out);
    }
  }
}

const describePart = (schema: unknown, fallback: string) => (schema === undefined ? fallback : 'schema');

describe('ajv validation coverage of every route', () => {
  let app: SecureApp;
  let routes: RouteEntry[];
  before(async function () {
    this.timeout(120_000);
    app = await startSecureApp('api_validation_coverage', { features: FEATURES });
    const express = app.server.listeners('request')[0] as RequestListener & { router: { stack: any[] } };
    routes = [];
    walk(express.router.stack, '', routes);
    // The 405 answers of /v2 paths (Routes.finish) serve every method and read no input.
    routes = routes.filter((r) => r.method !== 'ALL' && API_PREFIXES.some((p) => r.path === p || r.path.startsWith(`${p}/`)));
  });
  after(async () => { await app?.close(); });

  it('finds the routes of the engine API, Gridflow\'s API, OAuth and the features', () => {
    const paths = new Set(routes.map((r) => `${r.method} ${r.path}`));
    for (const expected of ['POST /v2/user-tasks/:userTaskKey/completion', 'POST /v2/user-tasks/:userTaskKey/variables/search', 'GET /v2/incidents/:incidentKey', 'POST /api/forms', 'POST /oauth/token', 'GET /api/audit']) {
      assert.ok(paths.has(expected), `${expected} not found among ${paths.size} routes`);
    }
    // Each feature's own routes, walked on a router of its own, are among the app's.
    const context = { runtime: app.runtime, connection: app.db.connection, auth: app.auth, now: () => app.clock.now(), log: () => {} };
    for (const f of FEATURES.filter((f) => f.api)) {
      const own: RouteEntry[] = [];
      walk((f.api!(context) as unknown as { stack: any[] }).stack, '/api', own);
      assert.ok(own.length > 0, `feature ${f.name} mounts no route`);
      for (const r of own) assert.ok(paths.has(`${r.method} ${r.path}`), `${r.method} ${r.path} of feature ${f.name} not found`);
    }
  });

  it('every route validates its path, query and body with ajv schemas', () => {
    const key = (r: RouteEntry) => `${r.method} ${r.path}`;
    const byKey = new Map(routes.map((r) => [key(r), r]));
    const lines: string[] = [];
    const gaps: string[] = [];
    let covered = 0;
    for (const r of [...routes].sort((a, b) => key(a).localeCompare(key(b)))) {
      const target = FORWARDS[key(r)];
      const s = r.schemas ?? (target ? byKey.get(target)?.schemas : undefined);
      if (s) {
        covered++;
        const hasParams = /\/:/.test(r.path);
        lines.push(`      ${key(r).padEnd(62)} path: ${hasParams ? describePart(s.params, 'MISSING') : 'none'}, query: ${describePart(s.query, 'none accepted')}, body: ${describePart(s.body, 'none accepted')}${target ? `  (through ${target})` : ''}`);
        if (hasParams && !s.params) gaps.push(`${key(r)} (path)`);
      } else {
        lines.push(`      ${key(r).padEnd(62)} NOT VALIDATED`);
        gaps.push(key(r));
      }
    }
    console.log(`      ${covered} of ${routes.length} routes validated with ajv (path, query and body)\n${lines.join('\n')}`);
    const unknown = gaps.filter((g) => !KNOWN_GAPS.has(g));
    const closed = [...KNOWN_GAPS].filter((g) => !gaps.includes(g));
    if (closed.length) console.log(`      validated now, strike off KNOWN_GAPS: ${closed.join(', ')}`);
    if (gaps.length) console.log(`      without schemas: ${gaps.join(', ')}`);
    assert.deepEqual(unknown, [], 'routes without ajv schemas for path, query and body');
  });
});
