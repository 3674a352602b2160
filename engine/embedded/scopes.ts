// Zeebe's variable scopes. The process instance is the root scope; every element instance is a
// scope whose parent is its flow scope. Local variables (input mappings, multi-instance input
// elements) live in the element's scope. Propagation, as Camunda documents it: a variable merged
// into a scope travels up until a scope already holds that name (which is updated); if none does,
// it is created in the root scope.
import type { Variables } from '../runtime.ts';

export interface ScopeTree {
  /** scope key → its variables */
  vars: Record<string, Variables>;
  /** scope key → parent scope key (absent for the root) */
  parent: Record<string, string>;
}

export function chain(tree: ScopeTree, scopeKey: string): string[] {
  const keys: string[] = [];
  for (let k: string | undefined = scopeKey; k !== undefined; k = tree.parent[k]) keys.push(k);
  return keys;
}

/** Every variable visible from a scope, inner scopes shadowing outer ones. */
export function visible(tree: ScopeTree, scopeKey: string): Variables {
  const keys = chain(tree, scopeKey);
  const out: Variables = {};
  for (let i = keys.length - 1; i >= 0; i--) Object.assign(out, tree.vars[keys[i]]);
  return out;
}

export function setLocal(tree: ScopeTree, scopeKey: string, variables: Variables, changed?: Changed) {
  const scope = (tree.vars[scopeKey] ??= {});
  for (const [name, value] of Object.entries(variables)) {
    scope[name] = value;
    changed?.(scopeKey, name, value);
  }
}

export function propagate(tree: ScopeTree, fromScopeKey: string, variables: Variables, changed?: Changed) {
  const keys = chain(tree, fromScopeKey);
  const root = keys[keys.length - 1];
  for (const [name, value] of Object.entries(variables)) {
    const holder = keys.find((k) => tree.vars[k] && Object.hasOwn(tree.vars[k], name)) ?? root;
    (tree.vars[holder] ??= {})[name] = value;
    changed?.(holder, name, value);
  }
}

export function addScope(tree: ScopeTree, scopeKey: string, parentKey: string | null) {
  if (parentKey !== null) tree.parent[scopeKey] = parentKey;
}

export function dropScope(tree: ScopeTree, scopeKey: string) {
  delete tree.vars[scopeKey];
  delete tree.parent[scopeKey];
}

/** Apply a mapping target such as `a.b.c` (Zeebe allows nested targets) to a variables object. */
export function assignPath(target: Variables, path: string, value: unknown) {
  const parts = path.split('.');
  let obj: Record<string, unknown> = target;
  for (const part of parts.slice(0, -1)) {
    const next = obj[part];
    obj = obj[part] = next && typeof next === 'object' && !Array.isArray(next) ? { ...(next as object) } : {};
  }
  obj[parts[parts.length - 1]] = value;
}

export type Changed = (scopeKey: string, name: string, value: unknown) => void;
