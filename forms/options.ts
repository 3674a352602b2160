// Options of select, radio, checklist and taglist, normalised as form-js normalises them: a
// primitive is its own label; an object needs a non-empty value and, to keep its label, a
// non-empty string label; anything else is dropped. Option values may be objects.
import { cloneJson, isPlainObject, jsonEqual } from './paths.ts';
import type { JsonValue } from './types.ts';

export interface Option {
  value: JsonValue;
  label: string;
}

function isAllowedPrimitive(value: unknown): value is string | number | boolean {
  const primitive = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  return primitive && (Boolean(value) || value === 0 || value === false);
}

function isAllowedValue(value: unknown): boolean {
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return isAllowedPrimitive(value);
}

/** One option in form-js's normal form, or null when form-js would drop it. */
export function normalizeOption(option: unknown): Option | null {
  if (isAllowedPrimitive(option)) return { value: option, label: `${option}` };
  if (!isPlainObject(option) || Object.keys(option).length === 0) return null;
  const validLabel = typeof option.label === 'string' && option.label.length > 0;
  if (!validLabel && isAllowedPrimitive(option.value)) return { value: option.value, label: `${option.value}` };
  if (validLabel && isAllowedValue(option.value)) return { value: cloneJson(option.value as JsonValue), label: option.label as string };
  return null;
}

/** The options of a list (from `values`, a variable or an expression); a non-list gives none. */
export function normalizeOptions(list: unknown): Option[] {
  if (!Array.isArray(list)) return [];
  return list.map(normalizeOption).filter((o): o is Option => o !== null);
}

export function isOptionValue(options: readonly Option[], value: unknown): boolean {
  return options.some((o) => jsonEqual(o.value, value));
}
