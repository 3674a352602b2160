// The page registry: every page of the app, each loaded lazily as its own chunk. The admin and
// dashboard pages are listed in their own folders' registries (admin/pages.ts,
// dashboards/pages.ts) and joined here.
import type { PageDef } from './page.ts';
import { ADMIN_PAGES } from './admin/pages.ts';
import { DASHBOARD_PAGES } from './dashboards/pages.ts';

export const WORK_PAGES: PageDef[] = [
  {
    id: 'tasks', path: '/tasks/:key?', title: { zh: '待办任务', en: 'Tasks' },
    nav: { section: 'work', order: 10 }, requires: { permissions: ['tasks.read'] },
    load: () => import('./pages/tasklist/tasklist-page.tsx'),
  },
  {
    id: 'start', path: '/start', title: { zh: '发起事项', en: 'Start' },
    nav: { section: 'work', order: 20 }, requires: { permissions: ['instances.start'] },
    load: () => import('./pages/start/start-list.tsx'),
  },
  {
    id: 'start-form', path: '/start/:processDefinitionKey', title: { zh: '发起事项', en: 'Start' },
    requires: { permissions: ['instances.start'] },
    load: () => import('./pages/start/start-form.tsx'),
  },
  {
    id: 'cases', path: '/cases', title: { zh: '诉求件', en: 'Cases' },
    nav: { section: 'cases', order: 10 }, requires: { permissions: ['instances.read'] },
    load: () => import('./pages/instance/case-list.tsx'),
  },
  {
    id: 'instances', path: '/instances', title: { zh: '流程实例', en: 'Process instances' },
    nav: { section: 'cases', order: 20 }, requires: { permissions: ['instances.read'] },
    load: () => import('./pages/instance/instance-list.tsx'),
  },
  {
    id: 'instance', path: '/instances/:key', title: { zh: '流程实例', en: 'Process instance' },
    requires: { permissions: ['instances.read'] },
    load: () => import('./pages/instance/instance-page.tsx'),
  },
  {
    id: 'case', path: '/cases/:number', title: { zh: '诉求件', en: 'Case' },
    requires: { permissions: ['instances.read'] },
    load: () => import('./pages/instance/case-page.tsx'),
  },
];

export const PAGES: PageDef[] = [...WORK_PAGES, ...DASHBOARD_PAGES, ...ADMIN_PAGES];

/** The page the app opens on after sign-in and at `/`. */
export const HOME_PATH = '/tasks';
