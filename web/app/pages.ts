// The page registry: every page of the app, each loaded lazily as its own chunk. The admin and
// dashboard pages are listed in their own folders' registries (admin/pages.ts,
// dashboards/pages.ts) and joined here.
import type { PageDef } from './page.ts';
import { ADMIN_PAGES } from './admin/pages.ts';
import { DASHBOARD_PAGES } from './dashboards/pages.ts';

export const WORK_PAGES: PageDef[] = [
];

export const PAGES: PageDef[] = [...WORK_PAGES, ...DASHBOARD_PAGES, ...ADMIN_PAGES];

/** The page the app opens on after sign-in and at `/`. */
export const HOME_PATH = '/tasks';
