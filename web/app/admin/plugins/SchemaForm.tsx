// A form generated from a plugin's settings JSON Schema: objects, strings, numbers, integers,
// booleans, enums, lists of those and lists of objects. The server validates what is saved
// against the same schema; this form only shapes the input. A field is named by its `title`
// (Chinese) or, in English, its `x-title-en`; a field without a title by its key. Its help text
// is its `description` (Chinese) or, in English, its `x-description-en`.
import { pick } from '../../core/i18n.ts';
import { Button } from '../../ui/components.tsx';
import { t } from './messages.ts';

export interface JsonSchema {
  type?: string | string[];
  title?: string;
  'x-title-en'?: string;
  description?: string;
  'x-description-en'?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
}

const typeOf = (s: JsonSchema) => (Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type) ?? (s.properties ? 'object' : s.items ? 'array' : 'string');

function emptyOf(s: JsonSchema): unknown {
  if (s.default !== undefined) return structuredClone(s.default);
  switch (typeOf(s)) {
    case 'object': return Object.fromEntries(Object.entries(s.properties ?? {}).filter(([k]) => s.required?.includes(k)).map(([k, p]) => [k, emptyOf(p)]));
    case 'array': return [];
    case 'boolean': return false;
    case 'number': case 'integer': return undefined;
    default: return '';
  }
}

interface FieldProps { schema: JsonSchema; value: unknown; onChange: (v: unknown) => void; id: string; name: string; required?: boolean }

function Field({ schema, value, onChange, id, name, required }: FieldProps) {
  const type = typeOf(schema);
  const title = pick({ zh: schema.title ?? name, en: schema['x-title-en'] ?? schema.title ?? name });
  const description = schema.description && pick({ zh: schema.description, en: schema['x-description-en'] ?? schema.description });
  const help = description && <span class="gf-field-help">{description}</span>;
  if (type === 'object') {
    const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
    return (
      <fieldset class="gf-fieldset">
        {name && <legend>{title}</legend>}
        {help}
        <div class="gf-form-grid">
          {Object.entries(schema.properties ?? {}).map(([k, p]) => (
            <Field key={k} id={`${id}-${k}`} name={k} schema={p} value={v[k]} required={schema.required?.includes(k)}
              onChange={(x) => { const next = { ...v }; if (x === undefined) delete next[k]; else next[k] = x; onChange(next); }} />
          ))}
        </div>
      </fieldset>
    );
  }
  if (type === 'array') {
    const items = Array.isArray(value) ? value : [];
    const item = schema.items ?? { type: 'string' };
    if (typeOf(item) !== 'object') {
      // A list of plain values: one per line.
      return (
        <div class="field">
          <label for={id}>{title}{required && ' *'}</label>
          <textarea id={id} class="input" rows={Math.min(8, Math.max(2, items.length + 1))} value={items.map(String).join('\n')}
            onInput={(e) => {
              const lines = (e.target as HTMLTextAreaElement).value.split('\n').map((l) => l.trim()).filter(Boolean);
              onChange(typeOf(item) === 'number' || typeOf(item) === 'integer' ? lines.map(Number) : lines);
            }} />
          <span class="gf-field-help">{t('onePerLine')}{description ? pick({ zh: description, en: ` ${description}` }) : ''}</span>
        </div>
      );
    }
    return (
      <fieldset class="gf-fieldset gf-fieldset-list">
        <legend>{title}</legend>
        {help}
        {items.map((x, i) => (
          <div key={i} class="gf-list-item">
            <Field id={`${id}-${i}`} name="" schema={item} value={x} onChange={(nx) => onChange(items.map((y, j) => (j === i ? nx : y)))} />
            <Button size="sm" variant="danger" onClick={() => onChange(items.filter((_y, j) => j !== i))}>{t('removeItem')}</Button>
          </div>
        ))}
        <Button size="sm" onClick={() => onChange([...items, emptyOf(item)])}>{t('addItem')}</Button>
      </fieldset>
    );
  }
  if (type === 'boolean') {
    return (
      <div class="field">
        <label class="checkbox" for={id}>
          <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange((e.target as HTMLInputElement).checked)} />
          {title}
        </label>
        {help}
      </div>
    );
  }
  if (schema.enum) {
    return (
      <div class="field">
        <label for={id}>{title}{required && ' *'}</label>
        <select id={id} class="select" value={value === undefined ? '' : String(value)} onChange={(e) => { const s = (e.target as HTMLSelectElement).value; onChange(s === '' ? undefined : schema.enum!.find((x) => String(x) === s)); }}>
          {!required && <option value="" />}
          {schema.enum.map((x) => <option key={String(x)} value={String(x)}>{String(x)}</option>)}
        </select>
        {help}
      </div>
    );
  }
  const numeric = type === 'number' || type === 'integer';
  return (
    <div class="field">
      <label for={id}>{title}{required && ' *'}</label>
      {numeric
        ? <input id={id} class="input" type="number" required={required} step={type === 'integer' ? 1 : 'any'} {...(schema.minimum !== undefined && { min: schema.minimum })} {...(schema.maximum !== undefined && { max: schema.maximum })}
            value={value === undefined || value === null ? '' : String(value)}
            onInput={(e) => { const s = (e.target as HTMLInputElement).value; onChange(s === '' ? undefined : Number(s)); }} />
        : <input id={id} class="input" type="text" required={required}
            value={value === undefined || value === null ? '' : String(value)}
            onInput={(e) => { const s = (e.target as HTMLInputElement).value; onChange(s === '' && !required ? undefined : s); }} />}
      {help}
    </div>
  );
}

export function SchemaForm({ schema, value, onChange }: { schema: JsonSchema; value: Record<string, unknown>; onChange: (v: Record<string, unknown>) => void }) {
  return <Field id="settings" name="" schema={schema} value={value} onChange={(v) => onChange((v ?? {}) as Record<string, unknown>)} />;
}
