// The admin pages of the app (see docs/web.md, "Adding a page"): one entry per page, its module
// under web/app/admin/, loaded lazily.
import type { PageDef } from '../page.ts';

export const ADMIN_PAGES: PageDef[] = [
  {
    id: 'admin-modeler',
    path: '/admin/modeler',
    title: { zh: '流程建模', en: 'Process modeler' },
    nav: { section: 'admin', order: 10 },
    requires: { permissions: ['deploy', 'definitions.read'] },
    load: () => import('./modeler/ModelerPage.tsx'),
  },
  {
    id: 'admin-forms',
    path: '/admin/forms',
    title: { zh: '表单设计', en: 'Form designer' },
    nav: { section: 'admin', order: 20 },
    requires: { permissions: ['forms.manage'] },
    load: () => import('./forms/FormDesignerPage.tsx'),
  },
];
