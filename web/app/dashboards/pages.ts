// The dashboards pages of the app (see docs/web.md, "Adding a page"): one entry per page, its module
// under web/app/dashboards/, loaded lazily.
import type { PageDef } from '../page.ts';

/** Grid leaders see their grid, the committee and administrators the zone. */
const WATCHERS = { permissions: ['instances.read'], roles: ['committee', 'grid-leader', 'administrator'] };

export const DASHBOARD_PAGES: PageDef[] = [
  {
    id: 'dashboard',
    path: '/dashboard',
    title: { zh: '统计看板', en: 'Dashboard' },
    nav: { section: 'dashboards', order: 10 },
    requires: WATCHERS,
    load: () => import('./DashboardPage.tsx'),
  },
  {
    id: 'monthly-report',
    path: '/dashboard/monthly',
    title: { zh: '网格月报', en: 'Monthly report' },
    nav: { section: 'dashboards', order: 20 },
    requires: WATCHERS,
    load: () => import('./MonthlyReportPage.tsx'),
  },
];
