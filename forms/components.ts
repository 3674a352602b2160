// The component types form-js 1.x ships and what each means for data.
//
// - input: bound to data by `key` (form-js calls them "keyed"); `emptyValue` is what form-js puts
//   in its data when neither the task's variables nor `defaultValue` give a value.
// - group: `path` (optional) nests its children's data under an object.
// - list: dynamiclist; with `isRepeating` its `path` holds an array of objects, one per repetition
//   (without it, form-js treats it like a group).
// - display: holds no data (text, html, image, spacer, separator, iframe, table, document preview,
//   button); ignored by the compiler.
import type { JsonValue } from './types.ts';

export type ComponentKind = 'input' | 'group' | 'list' | 'display';

export interface ComponentSpec {
  kind: ComponentKind;
  emptyValue?: JsonValue;
  /** `validate.*` properties this type honours (those the form-js editor offers for it). */
  validate?: readonly string[];
  /** Options from `values`, `valuesKey` or `valuesExpression`: one value or a list of values. */
  options?: 'single' | 'multi';
}

const TEXT_RULES = ['required', 'minLength', 'maxLength', 'pattern', 'validationType', 'patternErrorMessage'] as const;

export const COMPONENTS: Readonly<Record<string, ComponentSpec>> = {
  textfield: { kind: 'input', emptyValue: '', validate: TEXT_RULES },
  textarea: { kind: 'input', emptyValue: '', validate: ['required', 'minLength', 'maxLength'] },
  number: { kind: 'input', emptyValue: null, validate: ['required', 'min', 'max'] },
  datetime: { kind: 'input', emptyValue: null, validate: ['required'] },
  expression: { kind: 'input', emptyValue: null, validate: [] },
  filepicker: { kind: 'input', emptyValue: null, validate: ['required'] },
  checkbox: { kind: 'input', emptyValue: false, validate: ['required'] },
  checklist: { kind: 'input', emptyValue: [], validate: ['required'], options: 'multi' },
  radio: { kind: 'input', emptyValue: null, validate: ['required'], options: 'single' },
  select: { kind: 'input', emptyValue: null, validate: ['required'], options: 'single' },
  taglist: { kind: 'input', emptyValue: [], validate: ['required'], options: 'multi' },
  group: { kind: 'group' },
  dynamiclist: { kind: 'list' },
  text: { kind: 'display' },
  html: { kind: 'display' },
  image: { kind: 'display' },
  spacer: { kind: 'display' },
  separator: { kind: 'display' },
  iframe: { kind: 'display' },
  table: { kind: 'display' },
  documentPreview: { kind: 'display' },
  button: { kind: 'display' },
};

export const DATETIME_SUBTYPES = ['date', 'time', 'datetime'] as const;
export const TIME_FORMATS = ['utc_offset', 'utc_normalized', 'no_timezone'] as const;

/** Gridflow's validation types next to form-js's 'email' and 'phone'. */
export const VALIDATION_TYPES = ['email', 'phone', 'uscc', 'cnMobile'] as const;
export type ValidationType = (typeof VALIDATION_TYPES)[number];
