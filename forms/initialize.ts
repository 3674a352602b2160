// The data a form holds, as form-js initialises it when it opens a form with the task's variables:
// every input gets the variable at its path (cleaned up the way form-js cleans it: a text field
// turns numbers into text, a select drops a value that is not an option, ...), else its
// defaultValue, else its type's empty value; a repeating dynamic list gets its array (or
// defaultRepetitions empty items). The rest of the variables stay in the data: FEEL sees them.
//
// A submission is laid over these initial data: a field the submission leaves out keeps the value
// the user would have seen. Submitted values are not cleaned up but validated (validate.ts).
import { normalizeOptions, isOptionValue } from './options.ts';
import { cloneJson, getPath, isPlainObject, setPath, defineOwn, hasOwn } from './paths.ts';
import type { FieldNode, PreparedForm } from './prepare.ts';
import type { PathSegment } from './types.ts';

export type Data = Record<string, unknown>;

/** form-js's initial data for a form opened with these variables. */
export function initialData(form: PreparedForm, variables: Data): Data {
  return fill(form, variables, true);
}

/** The submission laid over the initial data; fields it leaves out keep their initial values. */
export function effectiveData(form: PreparedForm, initial: Data, submission: Data): Data {
  return fill(form, merge(initial, submission), false);
}

/** The data as form-js holds them: every field's value cleaned up as form-js cleans what it reads. */
export function heldData(form: PreparedForm, data: Data): Data {
  return fill(form, data, true);
}

/** Plain objects merge key by key; anything else (arrays included) in `over` replaces. */
export function merge(base: Data, over: Data): Data {
  const out = cloneJson(base) as Data;
  for (const key of Object.keys(over)) {
    const b = hasOwn(out, key) ? out[key] : undefined;
    const o = over[key];
    defineOwn(out, key, isPlainObject(b) && isPlainObject(o) ? merge(b, o) : cloneJson(o));
  }
  return out;
}

function fill(form: PreparedForm, source: Data, sanitize: boolean): Data {
  const working = cloneJson(source) as Data;
  fillNodes(form.nodes, source, working, [], sanitize);
  return working;
}

/** A new item of a repeating list, as form-js creates it when the user adds one. */
export function newItem(list: FieldNode): Data {
  const item: Data = {};
  fillNodes(list.children, {}, item, [], false);
  return item;
}

function fillNodes(nodes: FieldNode[], source: Data, working: Data, base: PathSegment[], sanitize: boolean): void {
  const visit = (node: FieldNode, parentPath: PathSegment[]): void => {
    const path = [...parentPath, ...node.local];
    if (node.kind === 'input') {
      let value = getPath(source, path);
      if (value !== undefined && sanitize) value = sanitizeValue(node, value, source);
      const initial = value !== undefined ? value : node.defaultValue !== undefined ? cloneJson(node.defaultValue) : cloneJson(node.emptyValue);
      setPath(working, path, initial);
      return;
    }
    if (node.repeating) {
      let items = getPath(source, path);
      if (!Array.isArray(items)) {
        const count = typeof node.component.defaultRepetitions === 'number' ? node.component.defaultRepetitions : 1;
        items = Array.from({ length: count }, () => ({}));
      }
      const list = (items as unknown[]).map((item) => (isPlainObject(item) ? cloneJson(item) : {}));
      setPath(working, path, list);
      list.forEach((_, index) => node.children.forEach((child) => visit(child, [...path, index])));
      return;
    }
    node.children.forEach((child) => visit(child, path));
  };
  nodes.forEach((node) => visit(node, base));
}

/** What form-js makes of a value it reads for a field (its components' sanitizeValue). */
export function sanitizeValue(node: FieldNode, value: unknown, data: Data): unknown {
  const c = node.component;
  switch (node.type) {
    case 'textfield':
      if (value === null || typeof value === 'object') return '';
      return typeof value === 'string' ? value.replace(/[\r\n\t]/g, ' ') : String(value);
    case 'textarea':
      return value === null || typeof value === 'object' ? '' : String(value);
    case 'number':
      if (value === null || value === '' || !((typeof value === 'number' || typeof value === 'string') && !Number.isNaN(Number(value)))) return null;
      return c.serializeToString === true ? String(value) : Number(value);
    case 'checkbox':
      return value === true;
    case 'radio':
    case 'select': {
      if (node.options?.source === 'expression') return value;
      const options = simpleOptions(node, data);
      return options !== null && isOptionValue(options, value) ? value : null;
    }
    case 'checklist':
    case 'taglist': {
      if (node.options?.source === 'expression') return value;
      const options = simpleOptions(node, data);
      if (options === null || !Array.isArray(value)) return [];
      return value.filter((v) => isOptionValue(options, v));
    }
    case 'datetime':
      return sanitizeDateTime(c.subtype, value);
    default:
      return value;
  }
}

/** Static options, or those of the variable named by valuesKey; null when that is not a list. */
function simpleOptions(node: FieldNode, data: Data) {
  const source = node.options;
  if (!source || source.source === 'expression') return null;
  if (source.source === 'static') return source.options;
  const list = hasOwn(data, source.key) ? data[source.key] : undefined;
  return Array.isArray(list) ? normalizeOptions(list) : null;
}

function sanitizeDateTime(subtype: unknown, value: unknown): unknown {
  if (typeof value !== 'string') return null;
  const parses = !Number.isNaN(new Date(Date.parse(value)).getTime());
  if (subtype === 'time') return isoTimeParses(value) ? value : null;
  if (subtype === 'datetime') {
    const parts = value.split('T');
    return parses && parts.length === 2 && parts[0]!.split('-').length === 3 ? value : null;
  }
  return parses && value !== '' && !value.includes('T') && value.split('-').length === 3 ? value : null;
}

/** form-js's tolerant reading of a time ('HH:mm', with 'Z' or an offset); true when it reads. */
function isoTimeParses(text: string): boolean {
  if (!text) return false;
  const basic = (t: string | undefined): boolean => {
    const parts = (t ?? '').split(':');
    const hour = parseInt(parts[0]!, 10);
    const minute = parts.length > 1 ? parseInt(parts[1]!, 10) : 0;
    return !(Number.isNaN(hour) || hour < 0 || hour > 24 || Number.isNaN(minute) || minute < 0 || minute > 60);
  };
  if (text.includes('Z')) return basic(text.replace('Z', ''));
  if (text.includes('+')) {
    const [time, offset] = text.split('+');
    return basic(time) && basic(offset);
  }
  if (text.includes('-')) {
    const [time, offset] = text.split('-');
    return basic(time) && basic(offset);
  }
  return basic(text);
}
