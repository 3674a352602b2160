// Building blocks for test/fuzz-endpoints.test.ts: hostile payload arbitraries (fast-check),
// mutations of a valid sample body, junk path parameters and query strings, a raw HTTP call that
// can send any body and content type, and a cheap fingerprint of a database (documents per
// collection) to check that a refused request changed nothing.
import fc from 'fast-check';
import type mongoose from 'mongoose';

/** What one fuzzed request sends. `body` is sent as is when `raw`, else JSON-encoded. */
export interface FuzzRequest {
  path: string;
  body?: unknown;
  raw?: boolean;
  contentType?: string | null;
  label: string;
}

export interface RawReply { status: number; type: string; text: string; json: unknown; timedOut?: boolean }

/** One HTTP call with full control over the body; `timeoutMs` aborts a long poll. */
export async function rawCall(base: string, headers: Record<string, string>, method: string, path: string, body: unknown, opts: { raw?: boolean; contentType?: string | null; timeoutMs?: number } = {}): Promise<RawReply> {
  const h: Record<string, string> = { ...headers };
  const init: RequestInit = { method, headers: h, redirect: 'manual' };
  if (body instanceof FormData || body instanceof URLSearchParams) init.body = body;
  else if (body !== undefined && method !== 'GET' && method !== 'HEAD') {
    init.body = opts.raw === true ? String(body) : JSON.stringify(body);
    if (init.body === undefined) init.body = 'undefined';
    if (opts.contentType !== null) h['content-type'] = opts.contentType ?? 'application/json';
  }
  if (opts.timeoutMs !== undefined) init.signal = AbortSignal.timeout(opts.timeoutMs);
  try {
    const res = await fetch(`${base}${path}`, init);
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    let json: unknown;
    if (type.includes('json') && text) {
      try { json = JSON.parse(text); } catch { json = undefined; }
    }
    return { status: res.status, type, text, json };
  } catch (e) {
    if (opts.timeoutMs !== undefined && e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) {
      return { status: 0, type: '', text: '', json: undefined, timedOut: true };
    }
    throw e;
  }
}

// ---- the database fingerprint ------------------------------------------------------------------

/** Collection name → number of documents, for every collection of the database. */
export async function fingerprint(connection: mongoose.Connection, ignore: ReadonlySet<string> = new Set()): Promise<Record<string, number>> {
  const collections = await connection.db!.collections();
  const entries = await Promise.all(collections
    .filter((c) => !ignore.has(c.collectionName))
    .map(async (c) => [c.collectionName, await c.countDocuments({})] as const));
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}

/** The collections whose counts differ, as `name: before → after`. */
export function fingerprintDiff(before: Record<string, number>, after: Record<string, number>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => before[n] !== after[n]).map((n) => `${n}: ${before[n] ?? '-'} → ${after[n] ?? '-'}`);
}

// ---- payload arbitraries -----------------------------------------------------------------------

const OPERATORS = ['$where', '$gt', '$ne', '$regex', '$expr', '$function', '$in', '$set', '$unset', '$or', '$lookup', '$accumulator'];

/** Keys an attacker would try: Mongo operators, prototype keys, dotted paths, odd unicode. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...OPERATORS, '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'a.b', '$', '', ' ', '\u0000', '\u202e', 'ключ', '键'),
  fc.string({ maxLength: 12 }),
);

/** A value that mixes the above: operator objects, anything, huge strings. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 3, maxKeys: 5, withNullPrototype: true, withBigInt: false }),
  fc.record({ $gt: fc.constant('') }),
  fc.record({ $ne: fc.constant(null) }),
  fc.record({ $where: fc.constant('sleep(1000) || true') }),
  fc.record({ $regex: fc.constant('.*') }),
  fc.constantFrom(null, true, false, 0, -1, 1e308, -0, Number.MAX_SAFE_INTEGER + 2, '', ' ', '0', '-1', '1e400', 'NaN', 'null', '9'.repeat(40), [], {}, [[[]]], { length: 1 }),
  fc.integer({ min: 1000, max: 70_000 }).map((n) => 'x'.repeat(n)),
  fc.dictionary(hostileKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
);

/** A nested object or array `depth` levels deep. */
const nested = (depth: number, kind: 'object' | 'array' | 'proto'): string => {
  const open = kind === 'array' ? '['.repeat(depth) : kind === 'proto' ? '{"__proto__":'.repeat(depth) : '{"a":'.repeat(depth);
  const close = kind === 'array' ? ']'.repeat(depth) : '}'.repeat(depth);
  return `${open}1${close}`;
};

/** Raw JSON texts (sent byte for byte with content-type application/json). */
export const hostileRawJson: fc.Arbitrary<string> = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.constantFrom(
    '{"__proto__":{"polluted":"yes"}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
    '{"variables":{"__proto__":{"polluted":"yes"}}}',
    '{"a":{"__proto__":{"polluted":"yes"}},"__proto__":[]}',
    '{"__proto__":null}',
    '{"$where":"1","$gt":""}',
    '{"filter":{"$where":"sleep(100)"},"sort":[{"field":{"$ne":1}}]}',
    '{"page":{"limit":{"$gt":0}},"filter":{"processInstanceKey":{"$exists":true}}}',
    '{',
    '{"a":1,}',
    '[1,2',
    '"unterminated',
    'null',
    'true',
    '0',
    '""',
    '[]',
    '\u0000',
    '{"a":"\\ud800"}',
    '{"a":1e999999}',
    '{"a":-0}',
    '{"a":1,"a":2}',
    ' ',
  ),
  fc.integer({ min: 50, max: 5_000 }).map((d) => nested(d, 'object')),
  fc.integer({ min: 50, max: 5_000 }).map((d) => nested(d, 'array')),
  fc.integer({ min: 5, max: 200 }).map((d) => nested(d, 'proto')),
  fc.integer({ min: 60_000, max: 1_100_000 }).map((n) => JSON.stringify({ big: 'y'.repeat(n) })),
  fc.string({ maxLength: 40 }),
);

type Json = Record<string, unknown>;

/** Mutations of a valid sample object: drop, add, retype one or more fields. */
export function mutations(sample: Json): fc.Arbitrary<unknown> {
  const keys = Object.keys(sample);
  const drop = keys.length > 0
    ? fc.subarray(keys, { minLength: 1 }).map((gone) => Object.fromEntries(Object.entries(sample).filter(([k]) => !gone.includes(k))))
    : fc.constant(sample);
  const add = fc.tuple(hostileKey, hostileValue).map(([k, v]) => {
    const out: Json = { ...sample };
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
  });
  const retype = keys.length > 0
    ? fc.tuple(fc.constantFrom(...keys), hostileValue).map(([k, v]) => ({ ...sample, [k]: v }))
    : add;
  const deepen = keys.length > 0
    ? fc.tuple(fc.constantFrom(...keys), fc.constantFrom('object', 'array') as fc.Arbitrary<'object' | 'array'>).map(([k, kind]) => ({ ...sample, [k]: kind === 'array' ? [sample[k]] : { value: sample[k] } }))
    : add;
  return fc.oneof(drop, add, retype, deepen);
}

/** Paths (lists of keys) of every plain object nested in `value`, the root included. */
function objectPaths(value: unknown, at: string[] = [], out: string[][] = []): string[][] {
  if (value === null || typeof value !== 'object') return out;
  if (!Array.isArray(value)) out.push(at);
  for (const [k, v] of Object.entries(value)) objectPaths(v, [...at, k], out);
  return out;
}

/** Mutations anywhere in the sample: one nested object dropped, added to or retyped. */
export function deepMutations(sample: Json): fc.Arbitrary<unknown> {
  const paths = objectPaths(sample);
  return fc.constantFrom(...paths).chain((path) => {
    const inner = path.reduce<any>((o, k) => o[k], sample) as Json;
    return mutations(inner).map((replacement) => {
      const copy = structuredClone(sample) as any;
      if (path.length === 0) return replacement;
      const parent = path.slice(0, -1).reduce<any>((o, k) => o[k], copy);
      parent[path[path.length - 1]!] = replacement;
      return copy;
    });
  });
}

/** Junk for a path parameter (already URL-encoded where needed, some deliberately not). */
export const junkSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0', '-1', '00001', '1.5', '1e5', '0x1f', 'NaN', 'Infinity', '9'.repeat(25), '18446744073709551616', '%', '%zz', '%00', '%2e%2e', '..', '%2F', 'a%20b', 'null', 'undefined', '__proto__', 'constructor', '$where', '%24gt', '%E2%80%AE', '%F0%9F%92%A9', 'x'.repeat(2000), '%C0%AF'),
  fc.string({ maxLength: 30 }).map((s) => encodeURIComponent(s)),
  fc.string({ unit: 'binary', maxLength: 10 }).map((s) => encodeURIComponent(s)),
);

/** An odd query string (with the leading '?'). */
export const oddQuery: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('?a[b]=1', '?__proto__[polluted]=yes', '?constructor[prototype][polluted]=yes', '?$where=1', '?filter[$gt]=', '?page=-1&page=2', '?limit=1e9', '?%', '?a=%zz', '?=&&=', '?' + 'q='.repeat(1000), '?x=' + 'z'.repeat(4000), '?a[][][][][][][]=1', '?a[999999]=1'),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 4 }).map((d) => '?' + new URLSearchParams(d).toString()),
);

/** Every numeric or name parameter of a path replaced with junk (`{}` marks where). */
export function withJunkParams(template: string, junk: string[]): string {
  let i = 0;
  return template.replace(/\{\}/g, () => junk[i++] ?? 'x');
}
