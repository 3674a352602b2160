// A form-js form (viewer) in a Preact component: the schema with data, read-only or live, and the
// server's field errors (422 problem+json, forms/enforce.ts) shown on the fields they name.
import { Form } from '@bpmn-io/form-js-viewer';
import flatpickr from 'flatpickr';
import { english } from 'flatpickr/dist/l10n/default.js';
import { Mandarin } from 'flatpickr/dist/l10n/zh.js';
import '@bpmn-io/form-js-viewer/dist/assets/form-js.css';
import './form-view.css';
import { useEffect, useImperativeHandle, useRef } from 'preact/hooks';
import { forwardRef } from 'preact/compat';
import { getLocale, useLocale } from '../core/i18n.ts';
import { localizeValidator } from './form-messages.ts';
import './form-words.ts';

/** One failing field as the server reports it. */
export interface FieldError { path: string; label?: string; code?: string; message: string }

export interface FormHandle {
  /** Client-side validation; the data to submit, or null when the form shows errors. */
  submit(): Record<string, unknown> | null;
  /** Puts the server's errors on their fields; returns those that fit no field. */
  showErrors(errors: FieldError[]): FieldError[];
}

export interface FormViewProps {
  schema: unknown;
  data?: Record<string, unknown>;
  readOnly?: boolean;
  /** Accessible name of the form region. */
  label: string;
}

type Component = { id?: string; key?: string; path?: string; type?: string; components?: Component[] };

/** `demands[0].title` → ['demands', 0, 'title']. */
function segments(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) { out.push(part); continue; }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** The field id and list indexes a data path points to, walking the schema. */
export function fieldFor(schema: { components?: Component[] }, path: string): { id: string; indexes: number[] } | null {
  const segs = segments(path);
  const indexes: number[] = [];
  let level = schema.components ?? [];
  let i = 0;
  const find = (comps: Component[], seg: string): Component | undefined => {
    for (const c of comps) {
      if (c.key === seg || (c.path === seg && c.components)) return c;
      if (!c.key && !c.path && c.components) { const inner = find(c.components, seg); if (inner) return inner; }
    }
    return undefined;
  };
  while (i < segs.length) {
    const seg = segs[i++]!;
    if (typeof seg === 'number') { indexes.push(seg); continue; }
    const c = find(level, seg);
    if (!c) return null;
    // A group's path may hold dots (a.b): consume the extra segments it spans.
    if (c.path && c.path.includes('.') && c.path !== seg) return null;
    if (c.key === seg && !c.components) return i === segs.length && c.id ? { id: c.id, indexes } : null;
    level = c.components ?? [];
  }
  return null;
}

/** flatpickr's Chinese, with the accessible names it lacks (those stay English otherwise). */
const CALENDAR_ZH = { ...Mandarin, yearAriaLabel: '年份', monthAriaLabel: '月份', hourAriaLabel: '时', minuteAriaLabel: '分', amPM: ['上午', '下午'] as [string, string] };

/** form-js's date picker (flatpickr) names months and weekdays in the language of the forms made after this. */
function calendarLanguage(locale: string): void {
  // The typings describe the CommonJS build; the bundle gets the ES module form-js imports too.
  (flatpickr as unknown as { localize(l10n: unknown): void }).localize(locale === 'zh' ? CALENDAR_ZH : english);
}

export const FormView = forwardRef<FormHandle, FormViewProps>(function FormView({ schema, data, readOnly, label }, ref) {
  const host = useRef<HTMLDivElement>(null);
  const form = useRef<Form | null>(null);

  useEffect(() => {
    calendarLanguage(getLocale());
    // Without debouncing: form-js's debounced first update of a number field otherwise undoes what was typed in its first 300 ms.
    const f = new Form({ container: host.current!, debounce: false, properties: { readOnly: !!readOnly, language: getLocale() === 'zh' ? 'zh' : 'en' } } as never);
    form.current = f;
    localizeValidator(f);
    f.importSchema(schema as never, data ?? {}).catch((err: unknown) => console.error('form import failed', err));
    return () => { f.destroy(); form.current = null; };
  }, [schema, data]);

  useEffect(() => { form.current?.setProperty('readOnly', !!readOnly); }, [readOnly]);

  // A language switch redraws the form, so that form-js's own words follow it (the date picker
  // keeps its calendar's language until the form is made again).
  const locale = useLocale();
  useEffect(() => { calendarLanguage(locale); form.current?.setProperty('language', locale); }, [locale]);

  useImperativeHandle(ref, () => ({
    submit() {
      const f = form.current;
      if (!f) return null;
      const { data: out, errors } = f.submit();
      if (Object.keys(errors).length > 0) {
        focusFirstError(host.current!);
        return null;
      }
      return out as Record<string, unknown>;
    },
    showErrors(errors) {
      const f = form.current;
      if (!f) return errors;
      const state: Record<string, unknown> = {};
      const unplaced: FieldError[] = [];
      for (const e of errors) {
        const at = fieldFor(schema as { components?: Component[] }, e.path);
        if (!at) { unplaced.push(e); continue; }
        let node = state as Record<string | number, unknown>;
        const keys: Array<string | number> = [at.id, ...at.indexes];
        keys.forEach((k, n) => {
          if (n === keys.length - 1) node[k] = [...((node[k] as string[] | undefined) ?? []), e.message];
          else node = (node[k] ??= typeof keys[n + 1] === 'number' ? [] : {}) as Record<string | number, unknown>;
        });
      }
      (f as unknown as { _setState(s: object): void })._setState({ errors: state });
      queueMicrotask(() => focusFirstError(host.current!));
      return unplaced;
    },
  }), [schema]);

  return <div class="form-view" ref={host} role="region" aria-label={label} />;
});

function focusFirstError(root: HTMLElement): void {
  setTimeout(() => {
    const field = root.querySelector<HTMLElement>('.fjs-has-errors input, .fjs-has-errors textarea, .fjs-has-errors select, .fjs-has-errors [tabindex]');
    field?.focus();
  }, 0);
}
