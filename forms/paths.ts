// Data paths and plain-JSON helpers. Submissions are hostile input: reads only follow own
// properties, writes define properties (so a key such as `__proto__` is data, never a prototype).
import type { JsonValue, PathSegment } from './types.ts';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `['demands', 0, 'title']` → `demands[0].title`; odd keys are quoted: `["a b"]`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function hasOwn(object: object, key: PathSegment): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** The value at a path, following own properties only; undefined when any step is missing. */
export function getPath(root: unknown, segments: readonly PathSegment[]): unknown {
  let current: unknown = root;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current) || segment < 0 || segment >= current.length) return undefined;
      current = current[segment];
    } else {
      if (!isPlainObject(current) || !hasOwn(current, segment)) return undefined;
      current = current[segment];
    }
  }
  return current;
}

export function hasPath(root: unknown, segments: readonly PathSegment[]): boolean {
  if (segments.length === 0) return root !== undefined;
  const parent = getPath(root, segments.slice(0, -1));
  const last = segments[segments.length - 1]!;
  if (typeof last === 'number') return Array.isArray(parent) && last >= 0 && last < parent.length && parent[last] !== undefined;
  return isPlainObject(parent) && hasOwn(parent, last) && parent[last] !== undefined;
}

export function defineOwn(target: Record<string, unknown> | unknown[], key: PathSegment, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * Set a value, creating plain objects (and arrays for numeric steps) on the way. A step that holds
 * a non-container is replaced, as form-js's own `set` does.
 */
export function setPath(root: Record<string, unknown>, segments: readonly PathSegment[], value: unknown): void {
  let current: Record<string, unknown> | unknown[] = root;
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (last) {
      defineOwn(current, segment, value);
      return;
    }
    const next = segments[i + 1]!;
    let child = Array.isArray(current) ? current[segment as number] : hasOwn(current, segment) ? current[segment as string] : undefined;
    const fits = typeof next === 'number' ? Array.isArray(child) : isPlainObject(child);
    if (!fits) {
      child = typeof next === 'number' ? [] : {};
      defineOwn(current, segment, child);
    }
    current = child as Record<string, unknown> | unknown[];
  });
}

/** Remove the value at a path (an array slot becomes undefined so later indexes keep their place). */
export function deletePath(root: unknown, segments: readonly PathSegment[]): void {
  if (segments.length === 0) return;
  const parent = getPath(root, segments.slice(0, -1));
  const last = segments[segments.length - 1]!;
  if (Array.isArray(parent) && typeof last === 'number') {
    if (last < parent.length) parent[last] = undefined;
  } else if (isPlainObject(parent) && typeof last === 'string' && hasOwn(parent, last)) {
    delete parent[last];
  }
}

/** Deep equality of JSON values (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') {
    return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((item, i) => jsonEqual(item, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => hasOwn(bo, k) && jsonEqual(ao[k], bo[k]));
}

/** A deep copy of JSON data; undefined entries of objects are left out, of arrays become null. */
export function cloneJson<T extends JsonValue | undefined>(value: T): T;
export function cloneJson(value: unknown): unknown;
export function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : cloneJson(item)));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (value[key] !== undefined) defineOwn(out, key, cloneJson(value[key]));
    }
    return out;
  }
  return value;
}
