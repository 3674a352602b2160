// The part of a form that does not depend on any task: the schema checked, its components turned
// into a tree of data-bound nodes with their static rules (patterns compiled, static options
// normalised). Prepared once per form version and cached; everything that depends on the task's
// variables or the submitted data is worked out per call (see evaluate.ts).
import { createHash } from 'node:crypto';
import { COMPONENTS, type ComponentSpec, type ValidationType } from './components.ts';
import { PREPARED_FORM_CACHE_SIZE } from './limits.ts';
import { Lru } from './lru.ts';
import { normalizeOptions, type Option } from './options.ts';
import { cloneJson, isPlainObject } from './paths.ts';
import { checkFormSchema, FormSchemaError } from './schema-check.ts';
import type { JsonValue } from './types.ts';

export interface FieldNode {
  /** The component's id, else its position (`components[1].components[0]`). */
  id: string;
  type: string;
  kind: 'input' | 'group' | 'list';
  /** A dynamic list with isRepeating: its path holds an array of items. */
  repeating: boolean;
  /** Data path below the parent's: the key (inputs) or path (groups, lists) split at dots. */
  local: string[];
  children: FieldNode[];
  spec: ComponentSpec;
  /** The component as written (a frozen copy). */
  component: Readonly<Record<string, unknown>>;
  label: unknown;
  hide: string | null;
  readonly: boolean | string;
  disabled: boolean;
  required: boolean;
  rules: Rules;
  options: OptionsSource | null;
  defaultValue: JsonValue | undefined;
  emptyValue: JsonValue;
}

export interface Rules {
  /** A whole number, or a FEEL expression evaluated per task. */
  minLength?: number | string;
  maxLength?: number | string;
  /** A number or numeric string, or a FEEL expression. */
  min?: number | string;
  max?: number | string;
  pattern?: RegExp;
  patternErrorMessage?: string;
  validationType?: ValidationType;
}

export type OptionsSource =
  | { source: 'static'; options: Option[] }
  | { source: 'variable'; key: string }
  | { source: 'expression'; expression: string };

export interface PreparedForm {
  /** The cache key: the caller's (form id and version) or a hash of the schema's text. */
  key: string;
  /** Top-level data-bound nodes (display components left out). */
  nodes: FieldNode[];
  /** Every node, depth first in document order. */
  all: FieldNode[];
}

export interface PrepareOptions {
  /** Identifies the schema's content, e.g. `${formId}@${version}`; a content hash when absent. */
  cacheKey?: string;
}

const cache = new Lru<string, PreparedForm>(PREPARED_FORM_CACHE_SIZE);

const prepared = new WeakSet<object>();

export function isPreparedForm(value: unknown): value is PreparedForm {
  return typeof value === 'object' && value !== null && prepared.has(value);
}

/** Check and prepare a form schema, from the cache when this version was prepared before. */
export function prepareForm(schema: unknown, options: PrepareOptions = {}): PreparedForm {
  if (isPreparedForm(schema)) return schema;
  const key = options.cacheKey ?? contentKey(schema);
  const cached = cache.get(key);
  if (cached) return cached;
  const problems = checkFormSchema(schema);
  if (problems.length > 0) throw new FormSchemaError(problems);
  const components = (schema as { components: unknown[] }).components;
  const all: FieldNode[] = [];
  const nodes = buildNodes(components, 'components', all);
  const form: PreparedForm = Object.freeze({ key, nodes, all });
  prepared.add(form);
  cache.set(key, form);
  return form;
}

export function clearPreparedForms(): void {
  cache.clear();
}

function contentKey(schema: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(schema) ?? 'undefined';
  } catch {
    text = `unserialisable:${Math.random()}`; // never cached usefully; checkFormSchema reports it
  }
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

function buildNodes(components: unknown[], position: string, all: FieldNode[]): FieldNode[] {
  const nodes: FieldNode[] = [];
  components.forEach((raw, index) => {
    const c = raw as Record<string, unknown>;
    const spec = COMPONENTS[c.type as string]!;
    if (spec.kind === 'display') return;
    const here = `${position}[${index}]`;
    const component = deepFreeze(cloneJson(c as JsonValue)) as Readonly<Record<string, unknown>>;
    const repeating = spec.kind === 'list' && c.isRepeating === true;
    const localText = spec.kind === 'input' ? (c.key as string) : typeof c.path === 'string' ? c.path : '';
    const validate = isPlainObject(c.validate) ? c.validate : {};
    const node: FieldNode = {
      id: typeof c.id === 'string' && c.id.length > 0 ? c.id : here,
      type: c.type as string,
      kind: spec.kind,
      repeating,
      local: localText === '' ? [] : localText.split('.'),
      children: [],
      spec,
      component,
      label: c.label,
      hide: isPlainObject(c.conditional) && typeof c.conditional.hide === 'string' && c.conditional.hide !== '' ? c.conditional.hide : null,
      readonly: typeof c.readonly === 'boolean' || typeof c.readonly === 'string' ? c.readonly : false,
      disabled: c.disabled === true,
      required: spec.kind === 'input' && validate.required === true,
      rules: spec.kind === 'input' ? rules(spec, validate) : {},
      options: spec.options ? optionsSource(c) : null,
      defaultValue: c.defaultValue === undefined ? undefined : (cloneJson(c.defaultValue as JsonValue) as JsonValue),
      emptyValue: spec.emptyValue ?? null,
    };
    all.push(node);
    if (spec.kind !== 'input' && Array.isArray(c.components)) node.children = buildNodes(c.components, `${here}.components`, all);
    nodes.push(node);
  });
  return nodes;
}

function rules(spec: ComponentSpec, validate: Record<string, unknown>): Rules {
  const allowed = spec.validate ?? [];
  const r: Rules = {};
  const has = (name: string) => allowed.includes(name) && validate[name] !== undefined;
  if (has('minLength')) r.minLength = validate.minLength as number | string;
  if (has('maxLength')) r.maxLength = validate.maxLength as number | string;
  if (has('min')) r.min = validate.min as number | string;
  if (has('max')) r.max = validate.max as number | string;
  if (has('pattern') && validate.pattern !== '') r.pattern = new RegExp(validate.pattern as string);
  if (has('patternErrorMessage') && validate.patternErrorMessage !== '') r.patternErrorMessage = validate.patternErrorMessage as string;
  if (has('validationType') && validate.validationType !== '') r.validationType = validate.validationType as ValidationType;
  return r;
}

function optionsSource(c: Record<string, unknown>): OptionsSource {
  if (c.values !== undefined) return { source: 'static', options: normalizeOptions(c.values) };
  if (c.valuesKey !== undefined) return { source: 'variable', key: c.valuesKey as string };
  return { source: 'expression', expression: c.valuesExpression as string };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
