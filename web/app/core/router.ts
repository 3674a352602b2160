// Routing on the History API: paths like /tasks/123, internal links as plain <a href> (one click
// handler for the whole app), patterns with :params.
import { useEffect, useState } from 'preact/hooks';

export interface Location { path: string; query: URLSearchParams }

const listeners = new Set<() => void>();
const read = (): Location => ({ path: location.pathname, query: new URLSearchParams(location.search) });

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === location.pathname + location.search) return;
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  for (const fn of listeners) fn();
}

/** Replaces the query string (filters, sort), keeping the path and history entry. */
export function setQuery(params: Record<string, string | null | undefined>): void {
  const q = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(params)) if (v === null || v === undefined || v === '') q.delete(k); else q.set(k, v);
  const s = q.toString();
  navigate(location.pathname + (s ? `?${s}` : ''), { replace: true });
}

export function useLocation(): Location {
  const [loc, set] = useState(read);
  useEffect(() => {
    const update = () => set(read());
    listeners.add(update);
    addEventListener('popstate', update);
    return () => { listeners.delete(update); removeEventListener('popstate', update); };
  }, []);
  return loc;
}

/** `/instances/:key` against `/instances/225...`: the params, or null. A trailing `:name?` is optional. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  const optional = p.length > 0 && p[p.length - 1]!.endsWith('?') ? 1 : 0;
  if (s.length > p.length || s.length < p.length - optional) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < s.length; i++) {
    const part = p[i]!;
    if (part.startsWith(':')) {
      try { params[part.slice(1).replace(/\?$/, '')] = decodeURIComponent(s[i]!); } catch { return null; }
    } else if (part !== s[i]) return null;
  }
  return params;
}

/** The path a pattern's page opens at without parameters: `/tasks/:key?` → `/tasks`. */
export const basePath = (pattern: string): string => '/' + pattern.split('/').filter((x) => x && !x.startsWith(':')).join('/');

/** Same-origin links to app paths navigate without reloading the page. */
export function interceptLinks(root: HTMLElement): void {
  root.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a || a.target || a.hasAttribute('download') || a.origin !== location.origin) return;
    if (/^\/(api|v2|oauth|assets)(\/|$)/.test(a.pathname)) return;
    e.preventDefault();
    navigate(a.pathname + a.search);
  });
}
