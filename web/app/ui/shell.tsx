// The frame around every page: brand, navigation (the pages the user's role may open), the
// language switch and the signed-in user.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { pick } from '../core/i18n.ts';
import { basePath } from '../core/router.ts';
import { t } from '../core/messages.ts';
import type { Session } from '../core/session.ts';
import type { NavSection, PageDef } from '../page.ts';
import { BrandMark } from './brand.tsx';
import { Button } from './components.tsx';
import { LangSwitch } from './lang-switch.tsx';

const SECTIONS: NavSection[] = ['work', 'cases', 'dashboards', 'admin'];

export function allowed(page: PageDef, session: Session): boolean {
  const r = page.requires;
  if (!r) return true;
  if (r.permissions && !r.permissions.every((p) => session.can(p))) return false;
  if (r.roles && r.roles.length > 0 && !session.hasRole(...r.roles)) return false;
  return true;
}

const ROLE_NAMES: Record<string, { zh: string; en: string }> = {
  administrator: { zh: '系统管理员', en: 'Administrator' },
  committee: { zh: '党工委 / 管委会', en: 'Committee' },
  'grid-leader': { zh: '网格组长', en: 'Grid leader' },
  cadre: { zh: '干部', en: 'Cadre' },
  mentor: { zh: '导师', en: 'Mentor' },
  'department-officer': { zh: '局办 / 区级部门', en: 'Department officer' },
};
export const roleName = (role: string): string => (ROLE_NAMES[role] ? pick(ROLE_NAMES[role]) : role);

export function Shell({ session, pages, current, children }: { session: Session; pages: PageDef[]; current?: PageDef; children: ComponentChildren }) {
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [current?.id]);
  const nav = SECTIONS.map((section) => pages
    .filter((p) => p.nav?.section === section && allowed(p, session))
    .sort((a, b) => a.nav!.order - b.nav!.order)).filter((list) => list.length > 0);
  const currentSection = current?.nav?.section;
  const isCurrent = (p: PageDef) => p.id === current?.id || (!current?.nav && !!current && current.path.startsWith(basePath(p.path) + '/'));

  return (
    <>
      <a class="skip-link" href="#main">{t('skip')}</a>
      <header class={`app-header${nav.flat().length > 6 ? ' many-nav' : ''}`}>
        <Button variant="ghost" class="menu-button" aria-expanded={menuOpen ? 'true' : 'false'} aria-controls="app-nav" onClick={() => setMenuOpen(!menuOpen)}>
          <span aria-hidden="true">☰</span><span class="visually-hidden">{t('menu')}</span>
        </Button>
        <a class="brand" href="/"><BrandMark /><span>{t('appName')}</span><span class="brand-sub">{t('appSub')}</span></a>
        <nav id="app-nav" class={`app-nav${menuOpen ? ' open' : ''}`} aria-label={t('menu')} data-section={currentSection}>
          {nav.map((list, i) => (
            <>
              {i > 0 && <span class="nav-sep" aria-hidden="true" />}
              {list.map((p) => <a key={p.id} href={basePath(p.path)} aria-current={isCurrent(p) ? 'page' : undefined} data-nav={p.id}>{pick(p.title)}</a>)}
            </>
          ))}
        </nav>
        <div class="header-tools">
          <LangSwitch />
          <div class="user-chip" data-user={session.user.username}>
            <span class="name">{session.user.displayName || session.user.username}</span>
            <span class="role">{session.user.roles.map(roleName).join(' · ')}</span>
          </div>
          <Button size="sm" onClick={() => void session.signOut()}>{t('signOut')}</Button>
        </div>
      </header>
      <main id="main" class="app-main" tabIndex={-1}>{children}</main>
    </>
  );
}
