// The dashboards pages of the app (see docs/web.md, "Adding a page"): one entry per page, its module
// under web/app/dashboards/, loaded lazily.
import type { PageDef } from '../page.ts';

export const DASHBOARD_PAGES: PageDef[] = [];
