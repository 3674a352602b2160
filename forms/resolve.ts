// The rules of one field instance with its FEEL evaluated in the instance's context, with form-js's
// readings of odd results:
//
// - minLength/maxLength: a result of null means no check; otherwise it is compared the way
//   JavaScript compares it with a number ("3" is 3, true is 1, anything unreadable checks nothing).
// - min/max: null means no check; anything big.js cannot read as a number makes every non-empty
//   value fail ("the minimum is not a valid number"), as in form-js.
// - options from a variable (valuesKey) come from the task's initial data; from an expression,
//   from its result in the instance's context; either way normalised like form-js normalises them.
import { formatDecimal, parseDecimal } from './decimal.ts';
import { evaluateValue, isFeel } from './feel.ts';
import type { Instance } from './evaluate.ts';
import type { Data } from './initialize.ts';
import { normalizeOptions } from './options.ts';
import { hasOwn } from './paths.ts';
import type { JsonValue } from './types.ts';

export interface ResolvedRules {
  required: boolean;
  minLength?: number;
  maxLength?: number;
  /** A decimal's text, or null when the bound is not a number (every value fails). */
  min?: string | null;
  max?: string | null;
  /** The values a select, radio, checklist or taglist accepts. */
  options?: JsonValue[];
  /** Filepicker: more than one document allowed. */
  multiple?: boolean;
}

export function resolveRules(instance: Instance, initial: Data): ResolvedRules {
  const { node, context } = instance;
  const rules = node.rules;
  const resolved: ResolvedRules = { required: node.required };
  const length = (rule: number | string | undefined): number | undefined => {
    if (rule === undefined) return undefined;
    const value = evaluateValue(rule, context);
    if (value === null || value === undefined) return undefined;
    const n = comparableNumber(value);
    return Number.isNaN(n) ? undefined : n;
  };
  const bound = (rule: number | string | undefined): string | null | undefined => {
    if (rule === undefined) return undefined;
    const value = isFeel(rule) ? evaluateValue(rule, context) : rule;
    if (value === null || value === undefined) return undefined;
    const decimal = parseDecimal(Array.isArray(value) ? String(value) : value);
    return decimal ? formatDecimal(decimal) : null;
  };
  const minLength = length(rules.minLength);
  const maxLength = length(rules.maxLength);
  const min = bound(rules.min);
  const max = bound(rules.max);
  if (minLength !== undefined) resolved.minLength = minLength;
  if (maxLength !== undefined) resolved.maxLength = maxLength;
  if (min !== undefined) resolved.min = min;
  if (max !== undefined) resolved.max = max;

  const options = instanceOptions(instance, initial);
  if (options) resolved.options = options;
  if (node.type === 'filepicker') {
    const multiple = node.component.multiple;
    const value = isFeel(multiple) ? evaluateValue(multiple, context) : multiple;
    resolved.multiple = value === true;
  }
  return resolved;
}

/** The option values of a select, radio, checklist or taglist instance; null for other fields. */
export function instanceOptions(instance: Instance, initial: Data): JsonValue[] | null {
  const source = instance.node.options;
  if (!source) return null;
  let list: unknown = [];
  if (source.source === 'static') list = source.options;
  else if (source.source === 'variable') list = hasOwn(initial, source.key) ? initial[source.key] : undefined;
  else list = evaluateValue(source.expression, instance.context);
  return normalizeOptions(list).map((o) => o.value);
}

/** The number JavaScript's `<` compares a value as (NaN when it cannot). */
function comparableNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' || typeof value === 'boolean') return Number(value);
  if (Array.isArray(value)) return Number(String(value));
  return Number.NaN;
}
