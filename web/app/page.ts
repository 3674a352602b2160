// The page interface: what a page module exports and how it is listed (see docs/web.md).
import type { ComponentType } from 'preact';

export interface PageProps {
  /** The route's :params, decoded. */
  params: Record<string, string>;
  /** The query string (filters, sort); change it with setQuery from core/router.ts. */
  query: URLSearchParams;
}

export type NavSection = 'work' | 'cases' | 'dashboards' | 'admin';

export interface PageDef {
  /** Unique, stable: used for the nav highlight and in tests (`data-page` on the page's root). */
  id: string;
  /** `/tasks`, `/instances/:key`: segments starting with ':' are parameters; a last one ending in '?' is optional. */
  path: string;
  /** Shown in the navigation and the browser's title bar. */
  title: { zh: string; en: string };
  /** Listed in the navigation under this section (pages with parameters are not). */
  nav?: { section: NavSection; order: number };
  /** Who may open it: every permission listed (from GET /api/session) and, if given, one of the roles. */
  requires?: { permissions?: string[]; roles?: string[] };
  /** The module, loaded when the page is first opened (its own chunk). */
  load: () => Promise<{ default: ComponentType<PageProps> }>;
}
