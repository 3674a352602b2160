// Checks a form-js schema document before anything is compiled from it, listing every problem
// with the component and property it concerns. The rules are form-js 1.x's own (what its importer
// refuses, what its editor lets a modeler enter), plus Gridflow's: FEEL must parse, every
// property a rule reads must have a usable type, options must come from exactly one source.
import { parseFeel } from '../engine/feel/index.ts';
import { COMPONENTS, DATETIME_SUBTYPES, TIME_FORMATS, VALIDATION_TYPES, type ComponentSpec } from './components.ts';
import { parseDecimal } from './decimal.ts';
import { MAX_COMPONENT_DEPTH, MAX_COMPONENTS, MAX_PATTERN_LENGTH, PATTERN_CHECK_TOTAL_MS } from './limits.ts';
import { patternHazard } from './regex-safety.ts';
import { normalizeOption } from './options.ts';
import { isPlainObject } from './paths.ts';
import { PathClaims } from './path-claims.ts';
import type { SchemaProblem } from './types.ts';
import { checkDateTimeShape } from './datetime.ts';

/** Thrown when a form schema cannot be compiled; `problems` lists everything wrong with it. */
export class FormSchemaError extends Error {
  constructor(readonly problems: SchemaProblem[]) {
    super(
      `Invalid form schema: ${problems
        .slice(0, 5)
        .map((p) => `${p.componentId}${p.property ? ` (${p.property})` : ''}: ${p.message}`)
        .join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`,
    );
    this.name = 'FormSchemaError';
  }
}

/** A key or path: word characters separated by single dots (the form-js editor's rule). */
const DOT_PATH = /^\w+(\.\w+)*$/;
const PROHIBITED_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);
const MAX_ID_LENGTH = 256;

export function checkFormSchema(schema: unknown): SchemaProblem[] {
  return new SchemaChecker().check(schema);
}

class SchemaChecker {
  private readonly problems: SchemaProblem[] = [];
  private readonly ids = new Map<string, string>();
  private readonly claims = new PathClaims();
  private count = 0;
  /** Checking patterns blocks the server: one form gets PATTERN_CHECK_TOTAL_MS for all of its own. */
  private readonly patternDeadline = Date.now() + PATTERN_CHECK_TOTAL_MS;

  check(schema: unknown): SchemaProblem[] {
    if (!isPlainObject(schema)) {
      this.problem('form', '', 'the form schema must be a JSON object', 'NOT_AN_OBJECT');
      return this.problems;
    }
    try {
      JSON.stringify(schema);
    } catch (err) {
      this.problem('form', '', `the form schema is not JSON data: ${(err as Error).message}`, 'NOT_JSON');
      return this.problems;
    }
    if (schema.type !== 'default') this.problem('form', 'type', `must be 'default', was ${describe(schema.type)}`, 'VALUE_INVALID', { was: describe(schema.type) });
    if (schema.id !== undefined) this.checkId(schema.id, 'form');
    if (!Array.isArray(schema.components)) {
      this.problem('form', 'components', 'must be an array of components', 'COMPONENTS_NOT_ARRAY');
      return this.problems;
    }
    this.children(schema.components, 'components', [], [], 1);
    return this.problems;
  }

  /** `code` and `params` say what is wrong for clients that word it themselves; VALUE_INVALID: the property's value has the wrong type or form. */
  private problem(componentId: string, property: string, message: string, code = 'VALUE_INVALID', params: Record<string, string | number> = {}): void {
    this.problems.push({ componentId, property, message, code, params });
  }

  private checkId(id: unknown, ref: string): void {
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
      this.problem(ref, 'id', `must be a non-empty string of at most ${MAX_ID_LENGTH} characters`, 'ID_INVALID', { limit: MAX_ID_LENGTH });
      return;
    }
    const other = this.ids.get(id);
    if (other !== undefined) this.problem(ref, 'id', `duplicate id '${id}' (also used by ${other})`, 'ID_DUPLICATE', { id, other });
    else this.ids.set(id, ref);
  }

  private children(components: unknown[], position: string, parentPath: string[], ancestors: string[], depth: number): void {
    if (depth > MAX_COMPONENT_DEPTH) {
      this.problem(position, 'components', `groups and lists are nested more than ${MAX_COMPONENT_DEPTH} deep`, 'TOO_DEEP', { limit: MAX_COMPONENT_DEPTH });
      return;
    }
    components.forEach((component, index) => {
      this.count += 1;
      if (this.count === MAX_COMPONENTS + 1) this.problem('form', 'components', `more than ${MAX_COMPONENTS} components`, 'TOO_MANY_COMPONENTS', { limit: MAX_COMPONENTS });
      if (this.count > MAX_COMPONENTS) return;
      this.component(component, `${position}[${index}]`, parentPath, ancestors, depth);
    });
  }

  private component(component: unknown, position: string, parentPath: string[], ancestors: string[], depth: number): void {
    if (!isPlainObject(component)) {
      this.problem(position, '', 'a component must be a JSON object', 'COMPONENT_NOT_OBJECT');
      return;
    }
    const ref = typeof component.id === 'string' && component.id.length > 0 ? component.id : position;
    if (component.id !== undefined) this.checkId(component.id, ref);
    const type = component.type;
    const spec = typeof type === 'string' && Object.hasOwn(COMPONENTS, type) ? COMPONENTS[type] : undefined;
    if (!spec) {
      this.problem(ref, 'type', `unknown component type ${describe(type)}`, 'TYPE_UNKNOWN', { was: describe(type) });
      return;
    }
    if (spec.kind === 'display') return;
    const c = component;
    this.feelOrText(ref, 'label', c.label);
    this.conditional(ref, c.conditional);
    if (c.components !== undefined && spec.kind === 'input') this.problem(ref, 'components', `a ${type} has no child components`, 'NO_CHILD_COMPONENTS', { type: String(type) });

    if (spec.kind === 'input') {
      const path = this.key(ref, c.key);
      if (path) this.claim(ref, 'key', [...parentPath, ...path], { closed: true }, ancestors);
      this.readonlyAndDisabled(ref, c);
      this.validate(ref, type as string, spec, c.validate);
      this.typeSpecific(ref, type as string, spec, c);
      return;
    }

    // group or dynamiclist
    const repeating = spec.kind === 'list' && c.isRepeating === true;
    const path = this.path(ref, c.path, repeating);
    const fullPath = [...parentPath, ...(path ?? [])];
    if (path && path.length > 0) this.claim(ref, 'path', fullPath, { repeatable: spec.kind === 'list' }, ancestors);
    if (spec.kind === 'list') this.listProperties(ref, c);
    this.readonlyAndDisabled(ref, c);
    if (c.components === undefined) return;
    if (!Array.isArray(c.components)) {
      this.problem(ref, 'components', 'must be an array of components', 'COMPONENTS_NOT_ARRAY');
      return;
    }
    this.children(c.components, `${position}.components`, fullPath, [...ancestors, ref], depth + 1);
  }

  private claim(ref: string, property: string, path: string[], kind: { closed?: boolean; repeatable?: boolean }, ancestors: string[]): void {
    const conflict = this.claims.claim(path, ref, kind, ancestors);
    if (conflict) this.problem(ref, property, `binding path '${path.join('.')}' collides with ${conflict}`, 'PATH_COLLISION', { path: path.join('.'), conflict });
  }

  private key(ref: string, key: unknown): string[] | null {
    if (typeof key !== 'string' || key.length === 0) {
      this.problem(ref, 'key', 'an input component needs a key', 'KEY_MISSING');
      return null;
    }
    return this.dotPath(ref, 'key', key);
  }

  private path(ref: string, path: unknown, required: boolean): string[] | null {
    if (path === undefined || path === '') {
      if (required) this.problem(ref, 'path', 'a repeating dynamic list needs a path', 'PATH_MISSING');
      return [];
    }
    if (typeof path !== 'string') {
      this.problem(ref, 'path', `must be a string, was ${describe(path)}`, 'VALUE_INVALID', { was: describe(path) });
      return null;
    }
    return this.dotPath(ref, 'path', path);
  }

  private dotPath(ref: string, property: string, value: string): string[] | null {
    if (!DOT_PATH.test(value)) {
      this.problem(ref, property, `'${short(value)}' is not a variable name or a dot-separated path (letters, digits, _)`, 'PATH_INVALID', { value: short(value) });
      return null;
    }
    const segments = value.split('.');
    if (segments.some((s) => /^\d+$/.test(s))) {
      this.problem(ref, property, `'${value}' has a numeric path segment`, 'PATH_NUMERIC', { value });
      return null;
    }
    if (segments.some((s) => PROHIBITED_SEGMENTS.has(s))) {
      this.problem(ref, property, `'${value}' uses a prohibited name (__proto__, prototype, constructor)`, 'PATH_PROHIBITED', { value });
      return null;
    }
    return segments;
  }

  private feel(ref: string, property: string, value: string): void {
    const problem = parseFeel(value);
    if (problem) this.problem(ref, property, `FEEL: ${problem}`, 'FEEL_INVALID', { expression: value, problem });
  }

  /** A label or text: a FEEL expression when it starts with '=', else plain text or a template. */
  private feelOrText(ref: string, property: string, value: unknown): void {
    if (value === undefined) return;
    if (typeof value !== 'string') this.problem(ref, property, `must be a string, was ${describe(value)}`, 'VALUE_INVALID', { was: describe(value) });
    else if (value.startsWith('=')) this.feel(ref, property, value);
  }

  private conditional(ref: string, conditional: unknown): void {
    if (conditional === undefined) return;
    if (!isPlainObject(conditional)) {
      this.problem(ref, 'conditional', 'must be an object', 'VALUE_INVALID', { was: describe(conditional) });
      return;
    }
    const hide = conditional.hide;
    if (hide === undefined || hide === '') return;
    if (typeof hide !== 'string' || !hide.startsWith('=')) {
      this.problem(ref, 'conditional.hide', `must be a FEEL expression starting with '=', was ${describe(hide)}`, 'VALUE_INVALID', { was: describe(hide) });
      return;
    }
    this.feel(ref, 'conditional.hide', hide);
  }

  private readonlyAndDisabled(ref: string, c: Record<string, unknown>): void {
    const readonly = c.readonly;
    if (typeof readonly === 'string') {
      if (readonly.startsWith('=')) this.feel(ref, 'readonly', readonly);
      else this.problem(ref, 'readonly', `must be a boolean or a FEEL expression, was ${describe(readonly)}`, 'VALUE_INVALID', { was: describe(readonly) });
    } else if (readonly !== undefined && typeof readonly !== 'boolean') {
      this.problem(ref, 'readonly', `must be a boolean or a FEEL expression, was ${describe(readonly)}`, 'VALUE_INVALID', { was: describe(readonly) });
    }
    if (c.disabled !== undefined && typeof c.disabled !== 'boolean') {
      this.problem(ref, 'disabled', `must be a boolean (form-js does not evaluate FEEL here), was ${describe(c.disabled)}`, 'VALUE_INVALID', { was: describe(c.disabled) });
    }
  }

  private validate(ref: string, type: string, spec: ComponentSpec, validate: unknown): void {
    if (validate === undefined) return;
    if (!isPlainObject(validate)) {
      this.problem(ref, 'validate', 'must be an object', 'VALUE_INVALID', { was: describe(validate) });
      return;
    }
    const allowed = spec.validate ?? [];
    for (const [name, value] of Object.entries(validate)) {
      const property = `validate.${name}`;
      if (!allowed.includes(name)) {
        if (value !== undefined && value !== null && value !== false && value !== '') this.problem(ref, property, `not a validation a ${type} supports`, 'VALIDATION_UNSUPPORTED', { type });
        continue;
      }
      switch (name) {
        case 'required':
          if (typeof value !== 'boolean') this.problem(ref, property, `must be a boolean, was ${describe(value)}`, 'VALUE_INVALID', { was: describe(value) });
          break;
        case 'minLength':
        case 'maxLength':
          if (typeof value === 'string' && value.startsWith('=')) this.feel(ref, property, value);
          else if (!(typeof value === 'number' && Number.isInteger(value) && value >= 0)) {
            this.problem(ref, property, `must be a whole number >= 0 or a FEEL expression, was ${describe(value)}`, 'VALUE_INVALID', { was: describe(value) });
          }
          break;
        case 'min':
        case 'max':
          if (typeof value === 'string' && value.startsWith('=')) this.feel(ref, property, value);
          else if (parseDecimal(value) === null) this.problem(ref, property, `must be a number or a FEEL expression, was ${describe(value)}`, 'VALUE_INVALID', { was: describe(value) });
          break;
        case 'pattern':
          this.pattern(ref, property, value);
          break;
        case 'patternErrorMessage':
          if (typeof value !== 'string') this.problem(ref, property, `must be a string, was ${describe(value)}`, 'VALUE_INVALID', { was: describe(value) });
          break;
        case 'validationType':
          if (value !== '' && !(VALIDATION_TYPES as readonly unknown[]).includes(value)) {
            this.problem(ref, property, `must be one of ${VALIDATION_TYPES.join(', ')}, was ${describe(value)}`, 'VALUE_INVALID', { was: describe(value) });
          }
          break;
      }
    }
  }

  private pattern(ref: string, property: string, value: unknown): void {
    if (typeof value !== 'string') {
      this.problem(ref, property, `must be a string, was ${describe(value)}`, 'VALUE_INVALID', { was: describe(value) });
      return;
    }
    if (value.length > MAX_PATTERN_LENGTH) {
      this.problem(ref, property, `is longer than ${MAX_PATTERN_LENGTH} characters`, 'PATTERN_TOO_LONG', { limit: MAX_PATTERN_LENGTH });
      return;
    }
    try {
      new RegExp(value);
    } catch (err) {
      this.problem(ref, property, `not a valid regular expression: ${(err as Error).message}`, 'PATTERN_INVALID', { pattern: value, problem: (err as Error).message });
      return;
    }
    const hazard = patternHazard(value, this.patternDeadline);
    if (hazard) this.problem(ref, property, `the pattern ${value} ${hazard}`, 'PATTERN_HAZARD', { pattern: value, problem: hazard });
  }

  private typeSpecific(ref: string, type: string, spec: ComponentSpec, c: Record<string, unknown>): void {
    if (spec.options) this.options(ref, spec.options, c);
    switch (type) {
      case 'number':
        if (c.decimalDigits !== undefined && !(typeof c.decimalDigits === 'number' && Number.isInteger(c.decimalDigits) && c.decimalDigits >= 0)) {
          this.problem(ref, 'decimalDigits', `must be a whole number >= 0, was ${describe(c.decimalDigits)}`, 'VALUE_INVALID', { was: describe(c.decimalDigits) });
        }
        if (c.increment !== undefined && c.increment !== '' && c.increment !== null) {
          const step = parseDecimal(c.increment);
          if (!step || step.units <= 0n) this.problem(ref, 'increment', `must be a number > 0, was ${describe(c.increment)}`, 'VALUE_INVALID', { was: describe(c.increment) });
        }
        if (c.serializeToString !== undefined && typeof c.serializeToString !== 'boolean') {
          this.problem(ref, 'serializeToString', `must be a boolean, was ${describe(c.serializeToString)}`, 'VALUE_INVALID', { was: describe(c.serializeToString) });
        }
        break;
      case 'datetime':
        if (c.subtype !== undefined && !(DATETIME_SUBTYPES as readonly unknown[]).includes(c.subtype)) {
          this.problem(ref, 'subtype', `must be one of ${DATETIME_SUBTYPES.join(', ')}, was ${describe(c.subtype)}`, 'VALUE_INVALID', { was: describe(c.subtype) });
        }
        if (c.timeSerializingFormat !== undefined && !(TIME_FORMATS as readonly unknown[]).includes(c.timeSerializingFormat)) {
          this.problem(ref, 'timeSerializingFormat', `must be one of ${TIME_FORMATS.join(', ')}, was ${describe(c.timeSerializingFormat)}`, 'VALUE_INVALID', { was: describe(c.timeSerializingFormat) });
        }
        for (const flag of ['disallowPassedDates', 'use24h']) {
          if (c[flag] !== undefined && typeof c[flag] !== 'boolean') this.problem(ref, flag, `must be a boolean, was ${describe(c[flag])}`, 'VALUE_INVALID', { was: describe(c[flag]) });
        }
        break;
      case 'expression':
        if (typeof c.expression !== 'string' || !c.expression.startsWith('=')) {
          this.problem(ref, 'expression', `must be a FEEL expression starting with '=', was ${describe(c.expression)}`, 'VALUE_INVALID', { was: describe(c.expression) });
        } else {
          this.feel(ref, 'expression', c.expression);
        }
        if (c.computeOn !== undefined && c.computeOn !== 'change' && c.computeOn !== 'presubmit') {
          this.problem(ref, 'computeOn', `must be 'change' or 'presubmit', was ${describe(c.computeOn)}`, 'VALUE_INVALID', { was: describe(c.computeOn) });
        }
        break;
      case 'filepicker':
        if (typeof c.multiple === 'string') {
          if (c.multiple.startsWith('=')) this.feel(ref, 'multiple', c.multiple);
          else this.problem(ref, 'multiple', `must be a boolean or a FEEL expression, was ${describe(c.multiple)}`, 'VALUE_INVALID', { was: describe(c.multiple) });
        } else if (c.multiple !== undefined && typeof c.multiple !== 'boolean') {
          this.problem(ref, 'multiple', `must be a boolean or a FEEL expression, was ${describe(c.multiple)}`, 'VALUE_INVALID', { was: describe(c.multiple) });
        }
        break;
    }
    if (c.defaultValue !== undefined) this.defaultValue(ref, type, c);
  }

  private options(ref: string, kind: 'single' | 'multi', c: Record<string, unknown>): void {
    const sources = ['values', 'valuesKey', 'valuesExpression'].filter((s) => c[s] !== undefined);
    if (sources.length === 0) {
      this.problem(ref, 'values', 'needs options: values, valuesKey or valuesExpression', 'OPTIONS_MISSING');
      return;
    }
    if (sources.length > 1) {
      this.problem(ref, sources[1]!, `options come from more than one source (${sources.join(', ')})`, 'OPTIONS_SEVERAL_SOURCES', { sources: sources.join(',') });
      return;
    }
    if (c.values !== undefined) {
      if (!Array.isArray(c.values)) {
        this.problem(ref, 'values', 'must be an array of options', 'VALUE_INVALID', { was: describe(c.values) });
        return;
      }
      c.values.forEach((option, i) => {
        if (normalizeOption(option) === null) this.problem(ref, `values[${i}]`, `not an option (an object with a string label and a non-empty value): ${describe(option)}`, 'OPTION_INVALID', { was: describe(option) });
      });
    } else if (c.valuesKey !== undefined) {
      if (typeof c.valuesKey !== 'string' || c.valuesKey.length === 0) this.problem(ref, 'valuesKey', `must be a variable name, was ${describe(c.valuesKey)}`, 'VALUE_INVALID', { was: describe(c.valuesKey) });
    } else if (typeof c.valuesExpression !== 'string' || !c.valuesExpression.startsWith('=')) {
      this.problem(ref, 'valuesExpression', `must be a FEEL expression starting with '=', was ${describe(c.valuesExpression)}`, 'VALUE_INVALID', { was: describe(c.valuesExpression) });
    } else {
      this.feel(ref, 'valuesExpression', c.valuesExpression);
    }
    void kind;
  }

  private defaultValue(ref: string, type: string, c: Record<string, unknown>): void {
    const value = c.defaultValue;
    const bad = (expected: string) => this.problem(ref, 'defaultValue', `must be ${expected}, was ${describe(value)}`, 'VALUE_INVALID', { was: describe(value) });
    switch (type) {
      case 'textfield':
      case 'textarea':
        if (typeof value !== 'string') bad('a string');
        else if (type === 'textfield' && /[\r\n\t]/.test(value)) bad('a single line');
        break;
      case 'number':
        if (value !== null && (c.serializeToString === true ? typeof value !== 'string' : typeof value !== 'number')) {
          bad(c.serializeToString === true ? 'a numeric string' : 'a number');
        } else if (value !== null && parseDecimal(value) === null) bad('a number');
        break;
      case 'checkbox':
        if (typeof value !== 'boolean') bad('true or false');
        break;
      case 'datetime': {
        if (value === null) break;
        const subtype = typeof c.subtype === 'string' ? c.subtype : 'date';
        if (typeof value !== 'string' || !checkDateTimeShape(value, subtype, c.timeSerializingFormat)) bad(`a ${subtype} as form-js writes it`);
        break;
      }
      case 'radio':
      case 'select':
      case 'checklist':
      case 'taglist': {
        if (!Array.isArray(c.values)) break; // options known only at run time
        const allowed = c.values.map(normalizeOption).filter((o) => o !== null).map((o) => JSON.stringify(o!.value));
        const given = type === 'checklist' || type === 'taglist' ? value : [value];
        if (!Array.isArray(given)) bad('a list of option values');
        else if (type !== 'checklist' && type !== 'taglist' && value === null) break;
        else if (!given.every((v) => allowed.includes(JSON.stringify(v)))) bad('one of the options');
        break;
      }
    }
  }

  private listProperties(ref: string, c: Record<string, unknown>): void {
    for (const flag of ['isRepeating', 'allowAddRemove']) {
      if (c[flag] !== undefined && typeof c[flag] !== 'boolean') this.problem(ref, flag, `must be a boolean, was ${describe(c[flag])}`, 'VALUE_INVALID', { was: describe(c[flag]) });
    }
    const reps = c.defaultRepetitions;
    if (reps !== undefined && !(typeof reps === 'number' && Number.isInteger(reps) && reps >= 0 && reps <= 1000)) {
      this.problem(ref, 'defaultRepetitions', `must be a whole number from 0 to 1000, was ${describe(reps)}`, 'VALUE_INVALID', { was: describe(reps) });
    }
  }
}

function short(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return short(text);
}
