// Extra FEEL built-ins (e.g. working-day functions). feelin resolves function names from the
// evaluation context, so registered functions are merged into every evaluation context. They take
// precedence over process variables of the same name (a variable cannot shadow a registered
// function); feelin's own built-ins stay available unless a registered function replaces them.
//
// Parameter names matter for FEEL's named-argument calls (`f(from: x, days: 2)`); pass them
// explicitly, since recovering them from compiled JavaScript source is fragile.

export type FeelFunctionImpl = (...args: any[]) => unknown;

interface Registered {
  fn: FeelFunctionImpl & { $args?: string[] };
}

const registry = new Map<string, Registered>();
let version = 0;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*( [A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * Register (or replace) a FEEL function. `name` may contain single spaces, like FEEL built-ins
 * ("is working day"). Returns a function that unregisters it.
 */
export function registerFeelFunction(name: string, fn: FeelFunctionImpl, params?: string[]): () => void {
  if (!NAME.test(name)) throw new TypeError(`Invalid FEEL function name '${name}'`);
  const wrapped = ((...args: unknown[]) => fn(...args)) as Registered['fn'];
  wrapped.$args = params ?? parseParams(fn);
  const entry = { fn: wrapped };
  registry.set(name, entry);
  version++;
  return () => {
    if (registry.get(name) === entry) { registry.delete(name); version++; }
  };
}

export function unregisterFeelFunction(name: string): boolean {
  version++;
  return registry.delete(name);
}

/** The registered functions' names and parameters, and a number that changes whenever they do. */
export function feelFunctionList(): { version: number; functions: Array<{ name: string; params: string[] }> } {
  return { version, functions: [...registry].map(([name, { fn }]) => ({ name, params: fn.$args ?? [] })) };
}

export function callFeelFunction(name: string, args: unknown[]): unknown {
  const entry = registry.get(name);
  if (!entry) throw new Error(`no FEEL function '${name}' is registered`);
  return entry.fn(...args);
}

export function registeredFeelFunctions(): string[] {
  return [...registry.keys()];
}

/** The registered functions as a FEEL context fragment. */
export function functionContext(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, { fn }] of registry) out[name] = fn;
  return out;
}

function parseParams(fn: FeelFunctionImpl): string[] {
  const source = fn.toString();
  const single = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(source);
  if (single) return [single[1]!];
  const match = /^[^(]*\(([^)]*)\)/.exec(source);
  if (!match) return [];
  return match[1]!
    .split(',')
    .map((p) => p.trim().replace(/=.*$/, '').trim())
    .filter((p) => p.length > 0);
}
