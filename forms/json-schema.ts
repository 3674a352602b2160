// Builds the JSON Schema (draft 2020-12) of a form for one task: the shape of the data the form
// holds (dotted keys and group paths as nested objects, repeating lists as arrays with one entry
// per item), each field's rules for its current state:
//
// - a hidden field (or container) accepts anything: its value is dropped;
// - a disabled field and an expression field are `readOnly` and otherwise unchecked (form-js does
//   not validate them; the server compares or computes their values);
// - a readonly field is `readOnly` and keeps form-js's rules (form-js validates it), not the
//   shape rules of entered values (its value is the task's own);
// - a dynamic list whose items cannot be added or removed has a fixed number of items.
import { formatDecimal, parseDecimal } from './decimal.ts';
import type { Instance } from './evaluate.ts';
import type { Data } from './initialize.ts';
import { timeStep } from './datetime.ts';
import { getPath } from './paths.ts';
import type { ResolvedRules } from './resolve.ts';
import type { JsonObject, JsonValue } from './types.ts';

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export interface SchemaOptions {
  /** 'refuse': `additionalProperties: false` on every object of the form's data. */
  extraKeys: 'refuse' | 'allow';
  now: Date;
}

interface ObjectShape {
  kind: 'object';
  properties: Map<string, Shape>;
  required: string[];
}
interface ArrayShape {
  kind: 'array';
  items: ObjectShape[];
  newItem: ObjectShape;
  count?: number;
  annotations: JsonObject;
}
interface LeafShape {
  kind: 'leaf';
  schema: JsonObject | boolean;
}
type Shape = ObjectShape | ArrayShape | LeafShape;

const object = (): ObjectShape => ({ kind: 'object', properties: new Map(), required: [] });

export function buildJsonSchema(
  instances: readonly Instance[],
  rules: ReadonlyMap<Instance, ResolvedRules>,
  initial: Data,
  options: SchemaOptions,
): JsonObject {
  const root = object();
  for (const instance of instances) {
    const { node } = instance;
    if (!(node.kind === 'input' || node.repeating || node.local.length > 0)) continue; // a group without a path
    const target = locate(root, instance);
    if (!target) continue;
    const [parent, key] = target;
    if (instance.hidden) {
      parent.properties.set(key, { kind: 'leaf', schema: true });
    } else if (node.kind === 'input') {
      parent.properties.set(key, { kind: 'leaf', schema: fieldSchema(instance, rules.get(instance)!, options) });
      if (rules.get(instance)!.required && !instance.disabled && node.type !== 'expression') parent.required.push(key);
    } else if (node.repeating) {
      const existing = parent.properties.get(key);
      if (existing?.kind === 'array') continue;
      const shape: ArrayShape = { kind: 'array', items: [], newItem: object(), annotations: {} };
      if (instance.readonly || instance.disabled) shape.annotations.readOnly = true;
      if (instance.readonly || instance.disabled || node.component.allowAddRemove !== true) shape.count = initialCount(instance, initial);
      parent.properties.set(key, shape);
    } else if (!parent.properties.has(key)) {
      parent.properties.set(key, object());
    }
  }
  return { $schema: JSON_SCHEMA_DIALECT, ...(emit(root, options) as JsonObject) };
}

/** Number of items a list starts with: the task's list, else defaultRepetitions (1). */
function initialCount(instance: Instance, initial: Data): number {
  const list = getPath(initial, instance.segments);
  if (Array.isArray(list)) return list.length;
  const reps = instance.node.component.defaultRepetitions;
  return typeof reps === 'number' ? reps : 1;
}

/** The object holding an instance's value and the key under which it sits, creating objects on the way. */
function locate(root: ObjectShape, instance: Instance): [ObjectShape, string] | null {
  const segments = instance.segments;
  let current: ObjectShape = root;
  for (let i = 0; i < segments.length - 1; i += 1) {
    const segment = segments[i]!;
    const next = segments[i + 1]!;
    if (typeof segment === 'number') return null; // lists are entered from their key below
    let child = current.properties.get(segment);
    if (!child) {
      child = object();
      current.properties.set(segment, child);
    }
    if (child.kind === 'leaf') return null; // inside a hidden container
    if (child.kind === 'array') {
      if (typeof next !== 'number') return null;
      current = itemShape(child, next, instance.virtual);
      i += 1;
      continue;
    }
    current = child;
  }
  const last = segments[segments.length - 1];
  return typeof last === 'string' ? [current, last] : null;
}

function itemShape(list: ArrayShape, index: number, virtual: boolean): ObjectShape {
  if (virtual) return list.newItem;
  while (list.items.length <= index) list.items.push(object());
  return list.items[index]!;
}

function emit(shape: Shape, options: SchemaOptions): JsonObject | boolean {
  if (shape.kind === 'leaf') return shape.schema;
  if (shape.kind === 'array') {
    const out: JsonObject = { type: 'array', ...shape.annotations };
    if (shape.items.length > 0) out.prefixItems = shape.items.map((item) => emit(item, options) as JsonValue);
    out.items = emit(shape.newItem, options) as JsonValue;
    if (shape.count !== undefined) {
      out.minItems = shape.count;
      out.maxItems = shape.count;
    }
    return out;
  }
  const properties: JsonObject = {};
  for (const [key, child] of shape.properties) properties[key] = emit(child, options) as JsonValue;
  const out: JsonObject = { type: 'object', properties };
  if (shape.required.length > 0) out.required = [...new Set(shape.required)];
  if (options.extraKeys === 'refuse') out.additionalProperties = false;
  return out;
}

function fieldSchema(instance: Instance, rules: ResolvedRules, options: SchemaOptions): JsonObject {
  const { node } = instance;
  if (instance.disabled || node.type === 'expression') return { readOnly: true };
  // A readonly field holds the task's own value (READONLY_CHANGED sees to that): it is checked
  // with form-js's rules only, not with the shapes a user's input must have.
  const s: JsonObject = instance.readonly ? {} : shapeOf(instance, rules, options);
  const c = node.component;
  if (node.type === 'textfield' || node.type === 'textarea') {
    if (rules.minLength !== undefined) s.gridflowMinLength = rules.minLength;
    if (rules.maxLength !== undefined) s.gridflowMaxLength = rules.maxLength;
    if (node.rules.pattern) {
      s.gridflowPattern = node.rules.patternErrorMessage
        ? { pattern: node.rules.pattern.source, message: node.rules.patternErrorMessage }
        : { pattern: node.rules.pattern.source };
    }
    if (node.rules.validationType) s.gridflowValidationType = node.rules.validationType;
  }
  if (node.type === 'number') {
    const text = c.serializeToString === true;
    // Standard minimum/maximum need the number type next to them (ajv's strict mode).
    const standard = !text && !instance.readonly;
    bound(s, 'minimum', 'gridflowMinimum', rules.min, standard);
    bound(s, 'maximum', 'gridflowMaximum', rules.max, standard);
    if (typeof c.decimalDigits === 'number') s.gridflowDecimalDigits = c.decimalDigits;
    const step = c.increment === undefined || c.increment === '' || c.increment === null ? null : parseDecimal(c.increment);
    if (step) s.gridflowIncrement = formatDecimal(step);
  }
  if (rules.required) s.gridflowRequired = true;
  if (instance.readonly) s.readOnly = true;
  return s;
}

/** What a value entered into the field looks like: its JSON type, options, date shapes, ... */
function shapeOf(instance: Instance, rules: ResolvedRules, options: SchemaOptions): JsonObject {
  const { node } = instance;
  const c = node.component;
  const s: JsonObject = {};
  switch (node.type) {
    case 'textfield':
    case 'textarea':
      s.type = 'string';
      if (node.type === 'textfield') s.gridflowSingleLine = true;
      break;
    case 'number': {
      const text = c.serializeToString === true;
      s.type = text ? ['string', 'null'] : ['number', 'null'];
      if (text) s.gridflowNumeric = true;
      break;
    }
    case 'checkbox':
      s.type = 'boolean';
      break;
    case 'radio':
    case 'select':
      s.enum = [...(rules.options ?? []), null];
      break;
    case 'checklist':
    case 'taglist':
      s.type = 'array';
      s.items = rules.options && rules.options.length > 0 ? { enum: rules.options } : false;
      s.uniqueItems = true;
      break;
    case 'datetime': {
      const subtype = typeof c.subtype === 'string' ? c.subtype : 'date';
      s.type = ['string', 'null'];
      s.gridflowDateTime = typeof c.timeSerializingFormat === 'string' ? { subtype, format: c.timeSerializingFormat } : { subtype };
      if (c.disallowPassedDates === true && subtype !== 'time') s.gridflowNotBefore = earliestToday(options.now);
      if (subtype !== 'date') s.gridflowTimeInterval = { ...(s.gridflowDateTime as JsonObject), step: timeStep(c.timeInterval) };
      break;
    }
    case 'filepicker':
      s.type = ['array', 'null'];
      s.gridflowDocuments = true;
      if (!rules.multiple) s.maxItems = 1;
      break;
  }
  return s;
}

/** A standard minimum/maximum when the bound is exactly a JSON number, else the decimal keyword. */
function bound(s: JsonObject, standard: string, custom: string, limit: string | null | undefined, useStandard: boolean): void {
  if (limit === undefined) return;
  if (limit !== null && useStandard) {
    const n = Number(limit);
    const exact = parseDecimal(n);
    if (exact && formatDecimal(exact) === limit) {
      s[standard] = n;
      return;
    }
  }
  s[custom] = limit === null ? { notANumber: true } : limit;
}

/** The earliest "today" on Earth (UTC-12): dates before it are past for every user. */
function earliestToday(now: Date): string {
  return new Date(now.getTime() - 12 * 3600_000).toISOString().slice(0, 10);
}
