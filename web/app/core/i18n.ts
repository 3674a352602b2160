// Languages: Chinese by default, English on request (remembered in this browser). Each module
// keeps its own strings with defineMessages; dates and numbers go through Intl in the user's
// locale. Changing the language re-renders the app (see useLocale).
import { useEffect, useState } from 'preact/hooks';

export type Locale = 'zh' | 'en';
export const LOCALES: readonly Locale[] = ['zh', 'en'];
const STORAGE_KEY = 'gridflow.locale';

function initialLocale(): Locale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch { /* storage refused: the default */ }
  return 'zh';
}

let current: Locale = initialLocale();
const listeners = new Set<(l: Locale) => void>();

export const getLocale = (): Locale => current;

export function setLocale(l: Locale): void {
  if (l === current) return;
  current = l;
  try { localStorage.setItem(STORAGE_KEY, l); } catch { /* not remembered */ }
  document.documentElement.lang = htmlLang();
  for (const fn of listeners) fn(l);
}

/** The current language; the component re-renders when it changes. */
export function useLocale(): Locale {
  const [l, set] = useState(current);
  useEffect(() => {
    listeners.add(set);
    return () => { listeners.delete(set); };
  }, []);
  return l;
}

export const htmlLang = (): string => (current === 'zh' ? 'zh-CN' : 'en');

/** The Intl locale: zh-CN, or the browser's English variant. */
export function intlLocale(): string {
  if (current === 'zh') return 'zh-CN';
  const nav = globalThis.navigator?.languages?.find((x) => x.toLowerCase().startsWith('en'));
  return nav ?? 'en-GB';
}

export type Params = Record<string, string | number>;
export type Translate<K extends string> = (key: K, params?: Params) => string;

const fill = (text: string, params?: Params) =>
  params ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m)) : text;

/**
 * A module's strings in both languages (the compiler checks that both have every key); the
 * returned function picks the current language and fills `{name}` placeholders.
 */
export function defineMessages<K extends string>(messages: { zh: Record<K, string>; en: Record<NoInfer<K>, string> }): Translate<K> {
  return (key, params) => fill(messages[current][key] ?? messages.zh[key] ?? key, params);
}

/** Text in both languages chosen by the current one (for labels that come with data). */
export const pick = (text: { zh: string; en: string }): string => text[current];

// ---- dates and numbers ----------------------------------------------------------------------

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();
function cached<T>(key: string, make: () => T): T {
  const k = `${intlLocale()}|${key}`;
  let f = cache.get(k) as T | undefined;
  if (f === undefined) { f = make(); cache.set(k, f as never); }
  return f;
}

const toDate = (v: string | number | Date): Date | null => {
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
};

export function formatDate(v: string | number | Date | null | undefined): string {
  const d = v == null ? null : toDate(v);
  return d ? cached('date', () => new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium' })).format(d) : '—';
}

export function formatDateTime(v: string | number | Date | null | undefined): string {
  const d = v == null ? null : toDate(v);
  return d ? cached('datetime', () => new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium', timeStyle: 'short' })).format(d) : '—';
}

export function formatNumber(n: number, opts?: Intl.NumberFormatOptions): string {
  return cached(`n${JSON.stringify(opts ?? {})}`, () => new Intl.NumberFormat(intlLocale(), opts)).format(n);
}

/** "3 days ago", "in 2 hours". */
export function formatRelative(v: string | number | Date, now = Date.now()): string {
  const d = toDate(v);
  if (!d) return '—';
  const rtf = cached('rel', () => new Intl.RelativeTimeFormat(intlLocale(), { numeric: 'auto' }));
  const s = (d.getTime() - now) / 1000;
  const abs = Math.abs(s);
  if (abs < 60) return rtf.format(Math.round(s), 'second');
  if (abs < 3600) return rtf.format(Math.round(s / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(s / 3600), 'hour');
  return rtf.format(Math.round(s / 86400), 'day');
}
