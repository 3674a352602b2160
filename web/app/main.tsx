// The app: who is signed in, which page the path names, the shell around it.
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import './core/styles.ts';
import { onUnauthorized } from './core/api.ts';
import { htmlLang, pick, useLocale } from './core/i18n.ts';
import { t } from './core/messages.ts';
import { interceptLinks, matchPath, navigate, useLocation } from './core/router.ts';
import { api } from './core/api.ts';
import { fetchSession, SessionContext, toSession, type SessionInfo } from './core/session.ts';
import { HOME_PATH, PAGES } from './pages.ts';
import { Empty, ErrorMessage, Loading } from './ui/components.tsx';
import { PageHost } from './ui/page-host.tsx';
import { allowed, Shell } from './ui/shell.tsx';
import { SignIn } from './ui/signin.tsx';

function App() {
  useLocale();
  const loc = useLocation();
  const [info, setInfo] = useState<SessionInfo | undefined>();
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string | undefined>();

  const refresh = () => fetchSession().then((s) => { setInfo(s); setError(undefined); }, setError);
  useEffect(() => { void refresh(); }, []);
  useEffect(() => onUnauthorized(() => { setNotice(t('errorSession')); void refresh(); }), []);

  const session = useMemo(() => info && toSession(info, async () => {
    try { await api.post('/api/logout'); } finally { setNotice(undefined); await refresh(); navigate('/'); }
  }), [info]);

  const match = useMemo(() => {
    for (const page of PAGES) {
      const params = matchPath(page.path, loc.path);
      if (params) return { page, params };
    }
    return undefined;
  }, [loc.path]);

  useEffect(() => {
    document.documentElement.lang = htmlLang();
    document.title = match ? `${pick(match.page.title)} · Gridflow` : 'Gridflow 网格服务平台';
  });

  if (error && !info) return <div class="app-main"><ErrorMessage error={error} onRetry={() => void refresh()} /></div>;
  if (!info) return <Loading />;
  if (!session) {
    return <SignIn info={info} notice={notice} onSignedIn={() => {
      setNotice(undefined);
      void refresh().then(() => { if (loc.path === '/' || loc.path === '/signin') navigate(HOME_PATH, { replace: true }); });
    }} />;
  }
  if (loc.path === '/' || loc.path === '/signin') {
    queueMicrotask(() => navigate(HOME_PATH, { replace: true }));
    return <Loading />;
  }

  let body;
  if (!match) body = <Empty><h1>{t('notFoundTitle')}</h1><p>{t('notFoundText')}</p><a href={HOME_PATH}>{t('backHome')}</a></Empty>;
  else if (!allowed(match.page, session)) body = <Empty><h1>{t('forbiddenTitle')}</h1><p>{t('forbiddenText')}</p><a href={HOME_PATH}>{t('backHome')}</a></Empty>;
  else body = <div data-page={match.page.id}><PageHost page={match.page} props={{ params: match.params, query: loc.query }} /></div>;

  return (
    <SessionContext.Provider value={session}>
      <Shell session={session} pages={PAGES} current={match?.page}>{body}</Shell>
    </SessionContext.Provider>
  );
}

const root = document.getElementById('app')!;
interceptLinks(document.body);
root.textContent = '';
render(<App />, root);
