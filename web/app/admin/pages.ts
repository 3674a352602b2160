// The admin pages of the app (see docs/web.md, "Adding a page"): one entry per page, its module
// under web/app/admin/, loaded lazily.
import type { PageDef } from '../page.ts';

export const ADMIN_PAGES: PageDef[] = [
  {
    id: 'admin-modeler',
    path: '/admin/modeler',
    title: { zh: '流程建模', en: 'Modeler' },
    nav: { section: 'admin', order: 10 },
    requires: { permissions: ['deploy', 'definitions.read'] },
    load: () => import('./modeler/ModelerPage.tsx'),
  },
  {
    id: 'admin-forms',
    path: '/admin/forms',
    title: { zh: '表单设计', en: 'Forms' },
    nav: { section: 'admin', order: 20 },
    requires: { permissions: ['forms.manage'] },
    load: () => import('./forms/FormDesignerPage.tsx'),
  },
  {
    id: 'admin-users',
    path: '/admin/users',
    title: { zh: '用户', en: 'Users' },
    nav: { section: 'admin', order: 30 },
    requires: { permissions: ['users.manage'] },
    load: () => import('./users/UsersPage.tsx'),
  },
  {
    id: 'admin-org-import',
    path: '/admin/org-import',
    title: { zh: '数据导入', en: 'Import' },
    nav: { section: 'admin', order: 40 },
    requires: { permissions: ['org.manage'] },
    load: () => import('./org/OrgImportPage.tsx'),
  },
  {
    id: 'admin-calendar',
    path: '/admin/calendar',
    title: { zh: '工作日历', en: 'Calendar' },
    nav: { section: 'admin', order: 45 },
    requires: { permissions: ['org.manage'] },
    load: () => import('./calendar/CalendarPage.tsx'),
  },
  {
    id: 'admin-plugins',
    path: '/admin/plugins',
    title: { zh: '插件', en: 'Plugins' },
    nav: { section: 'admin', order: 50 },
    requires: { permissions: ['plugins.manage'] },
    load: () => import('./plugins/PluginsPage.tsx'),
  },
];
