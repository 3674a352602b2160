// A small writer of form-js 1.x schemas, used by build-programme-forms.ts to write the first
// version of the programmes' forms (processes/forms/*.form).
export type Component = Record<string, unknown>;
type Opts = {
  required?: boolean; hide?: string; description?: string; defaultValue?: unknown; readonly?: boolean;
  pattern?: string; patternErrorMessage?: string; minLength?: number; maxLength?: number; validationType?: string;
  min?: number; max?: number; decimalDigits?: number;
};

let seq = 0;
const id = (type: string, key?: string) => `Field_${key ? key.replace(/\W/g, '_') : `${type}_${++seq}`}`;

function field(type: string, key: string, label: string, o: Opts = {}, extra: Component = {}): Component {
  const validate: Record<string, unknown> = {};
  for (const k of ['required', 'pattern', 'patternErrorMessage', 'minLength', 'maxLength', 'validationType', 'min', 'max'] as const) if (o[k] !== undefined) validate[k] = o[k];
  return {
    id: id(type, key), type, key, label,
    ...(o.description ? { description: o.description } : {}),
    ...(o.defaultValue !== undefined ? { defaultValue: o.defaultValue } : {}),
    ...(o.readonly ? { readonly: true } : {}),
    ...(o.decimalDigits !== undefined ? { decimalDigits: o.decimalDigits } : {}),
    ...(Object.keys(validate).length ? { validate } : {}),
    ...(o.hide ? { conditional: { hide: o.hide } } : {}),
    ...extra,
  };
}

const options = (values: Array<string | [value: string, label: string]>) =>
  values.map((v) => (typeof v === 'string' ? { label: v, value: v } : { value: v[0], label: v[1] }));

export const text = (key: string, label: string, o?: Opts) => field('textfield', key, label, o);
export const area = (key: string, label: string, o?: Opts) => field('textarea', key, label, o);
export const number = (key: string, label: string, o?: Opts) => field('number', key, label, o);
export const checkbox = (key: string, label: string, o?: Opts) => field('checkbox', key, label, o);
export const date = (key: string, label: string, o?: Opts) => {
  const { id: fid, type, key: k, label: _l, ...rest } = field('datetime', key, label, o);
  return { id: fid, type, key: k, subtype: 'date', dateLabel: label, ...rest };
};
export const radio = (key: string, label: string, values: Array<string | [string, string]>, o?: Opts) => field('radio', key, label, o, { values: options(values) });
export const select = (key: string, label: string, values: Array<string | [string, string]>, o?: Opts) => field('select', key, label, o, { values: options(values) });
export const selectFrom = (key: string, label: string, valuesExpression: string, o?: Opts) => field('select', key, label, o, { valuesExpression });
export const checklist = (key: string, label: string, values: Array<string | [string, string]>, o?: Opts) => field('checklist', key, label, o, { values: options(values) });
export const taglist = (key: string, label: string, values: Array<string | [string, string]>, o?: Opts) => field('taglist', key, label, o, { values: options(values) });

export const note = (markdown: string): Component => ({ id: id('text'), type: 'text', text: markdown });

export const group = (label: string, path: string, components: Component[]): Component =>
  ({ id: id('group', `group_${path}`), type: 'group', label, path, showOutline: true, components });

export const list = (label: string, path: string, components: Component[], o: { min?: number; itemLabel?: string } = {}): Component => ({
  id: id('dynamiclist', `list_${path}`), type: 'dynamiclist', label, path, isRepeating: true, allowAddRemove: true,
  defaultRepetitions: o.min ?? 1, showOutline: true, components,
});

export function form(formId: string, components: Component[]) {
  return {
    $schema: 'https://unpkg.com/@bpmn-io/form-json-schema/resources/schema.json',
    id: formId,
    type: 'default',
    executionPlatform: 'Camunda Cloud',
    executionPlatformVersion: '8.8.0',
    exporter: { name: 'Gridflow', version: '1.0' },
    schemaVersion: 19,
    components,
  };
}
