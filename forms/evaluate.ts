// Everything about a form that depends on its data, worked out as form-js works it out when it
// renders and submits:
//
// 1. Conditions over the raw data: every `conditional.hide` is tested with the data as they are
//    (form-js's ConditionChecker), and the values of hidden fields are removed: the "filtered" data.
// 2. The expression context is the filtered data over the initial data (task variables and initial
//    field values), `{ ...initial, ...filtered }` as form-js builds it.
// 3. Rendering: each component is tested again in its own context (dynamic list items have their
//    own `this`, `parent` and `i`); a hidden component and everything inside it is not rendered,
//    is not validated and its value is not submitted. `readonly` (a boolean or a FEEL unary test)
//    and the label are evaluated in the same context.
// 4. Expression fields take the value of their expression (whatever `computeOn` says: the server
//    computes them before it validates); a rendered, editable select, radio, checklist or taglist
//    drops values that are not among its options (form-js's option cleanup); steps 1-3 run again
//    until nothing changes. This changes the data the form holds (what conditions see), never the
//    submitted values, which are validated as they are.
import { buildContext, evaluateLabel, unaryTest, evaluateValue, type FeelContext, type ScopeInfo } from './feel.ts';
import { newItem, type Data } from './initialize.ts';
import { cloneJson, deletePath, getPath, isPlainObject, jsonEqual, setPath } from './paths.ts';
import type { FieldNode, PreparedForm } from './prepare.ts';
import { instanceOptions } from './resolve.ts';
import type { PathSegment } from './types.ts';

/** One component at one concrete data path (a field in the third item of a list is one instance). */
export interface Instance {
  node: FieldNode;
  segments: PathSegment[];
  hidden: boolean;
  readonly: boolean;
  disabled: boolean;
  label: string;
  /** The FEEL context the component is rendered in. */
  context: FeelContext;
  /**
   * Part of the item a user would add next to a repeating list (not in the data): describes new
   * items in the JSON Schema, nothing else.
   */
  virtual: boolean;
}

export interface FormState {
  instances: Instance[];
  /** The data after expression fields were computed. */
  data: Data;
}

const MAX_EXPRESSION_PASSES = 5;

export function evaluateForm(form: PreparedForm, initial: Data, data: Data): FormState {
  const working = cloneJson(data) as Data;
  let instances: Instance[] = [];
  for (let pass = 0; pass < MAX_EXPRESSION_PASSES; pass += 1) {
    const filtered = applyConditions(form, working);
    const root = { ...initial, ...filtered };
    instances = render(form, root, working);
    let changed = false;
    for (const instance of instances) {
      if (instance.hidden || instance.virtual) continue;
      const current = getPath(working, instance.segments);
      let value = current;
      if (instance.node.type === 'expression') value = evaluateValue(instance.node.component.expression, instance.context) ?? null;
      else if (instance.node.options && !instance.readonly && !instance.disabled) value = cleanOptions(instance, initial, current);
      if (!jsonEqual(current, value)) {
        setPath(working, instance.segments, value);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return { instances, data: working };
}

/**
 * A select's value not among its options becomes null; a list keeps only option values. Options
 * from an expression that does not give a list are not loaded: form-js then leaves values alone.
 */
export function cleanOptions(instance: Instance, initial: Data, value: unknown): unknown {
  const source = instance.node.options;
  if (source?.source === 'expression' && !Array.isArray(evaluateValue(source.expression, instance.context))) return value;
  const options = instanceOptions(instance, initial) ?? [];
  const known = (v: unknown) => options.some((o) => jsonEqual(o, v));
  if (instance.node.spec.options === 'single') return value && !known(value) ? null : value;
  return Array.isArray(value) && !value.every(known) ? value.filter(known) : value;
}

/** form-js's ConditionChecker.applyConditions(data, data): the data without hidden values. */
export function applyConditions(form: PreparedForm, data: Data): Data {
  const working = cloneJson(data) as Data;
  const walk = (nodes: FieldNode[], path: PathSegment[], scope: { i: number[]; self: unknown; parent: unknown }, startHidden: boolean): void => {
    for (const node of nodes) {
      const here = [...path, ...node.local];
      const context = buildContext({ data, this: scope.self, parent: scope.parent, i: scope.i });
      const hidden = startHidden || (node.hide !== null && unaryTest(node.hide, context) === true);
      if (node.kind === 'input') {
        if (hidden) clearPath(working, here);
        continue;
      }
      if (node.repeating) {
        if (hidden) {
          clearPath(working, here);
          continue;
        }
        const items = getPath(data, here);
        if (!Array.isArray(items)) continue;
        items.forEach((item, index) => walk(node.children, [...here, index], { i: [...scope.i, index + 1], self: item, parent: scope.self }, false));
        continue;
      }
      walk(node.children, here, scope, hidden);
    }
  };
  walk(form.nodes, [], { i: [], self: data, parent: null }, false);
  return working;
}

/** Remove a value, then every object or array around it that is left empty. */
function clearPath(data: Data, path: PathSegment[]): void {
  const working = [...path];
  for (;;) {
    deletePath(data, working);
    working.pop();
    if (working.length === 0) return;
    const parent = getPath(data, working);
    const empty = isPlainObject(parent) ? Object.keys(parent).length === 0 : Array.isArray(parent) && parent.every((item) => item === undefined);
    if (!empty) return;
  }
}

function render(form: PreparedForm, root: Data, data: Data): Instance[] {
  const out: Instance[] = [];
  type Lookup = (path: PathSegment[]) => unknown;
  const walk = (nodes: FieldNode[], path: PathSegment[], scope: ScopeInfo, ancestorHidden: boolean, virtual: boolean, lookup: Lookup): void => {
    for (const node of nodes) {
      const here = [...path, ...node.local];
      const context = buildContext(scope);
      const hidden = ancestorHidden || (node.hide !== null && unaryTest(node.hide, context) === true);
      const readonly = !hidden && (typeof node.readonly === 'string' ? unaryTest(node.readonly, context) === true : node.readonly);
      out.push({ node, segments: here, hidden, readonly, disabled: node.disabled, label: evaluateLabel(node.label, context), context, virtual });
      if (node.kind === 'input') continue;
      if (!node.repeating) {
        walk(node.children, here, scope, hidden, virtual, lookup);
        continue;
      }
      const items = lookup(here);
      const list = Array.isArray(items) ? items : [];
      const parent = buildContext({ ...scope, data: isPlainObject(scope.this) ? scope.this : {} });
      const itemScope = (item: unknown, index: number): ScopeInfo => ({ data: scope.data, this: item, parent, i: [...scope.i, index + 1] });
      list.forEach((item, index) => walk(node.children, [...here, index], itemScope(item, index), hidden, virtual, lookup));
      if (hidden) continue;
      // The item a user would add next: looked up in a data view of its own.
      const base = [...here, list.length];
      const item = newItem(node);
      const inItem: Lookup = (p) => getPath(item, p.slice(base.length));
      walk(node.children, base, itemScope(item, list.length), false, true, inItem);
    }
  };
  walk(form.nodes, [], { data: root, this: root, parent: null, i: [] }, false, false, (p) => getPath(data, p));
  return out;
}
