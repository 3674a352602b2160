// The sign-in page: username and password (POST /api/login); in demo mode, the demo logins.
import { useState } from 'preact/hooks';
import { ApiError } from '../core/api.ts';
import { pick } from '../core/i18n.ts';
import { t } from '../core/messages.ts';
import type { SessionInfo } from '../core/session.ts';
import { signIn } from '../core/session.ts';
import { BrandMark } from './brand.tsx';
import { Button } from './components.tsx';
import { LangSwitch } from './lang-switch.tsx';
import { groupName } from './names.ts';

export function SignIn({ info, onSignedIn, notice }: { info: SessionInfo; onSignedIn: () => void; notice?: string }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(username.trim(), password);
      onSignedIn();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 429 ? t('signInTooMany') : err instanceof ApiError && err.status < 500 ? t('signInFailed') : t('errorNetwork'));
      setBusy(false);
    }
  }

  const demo = info.demo;
  const password0 = demo?.logins[0]?.password;
  return (
    <div class="signin" data-page="signin">
      <div class="signin-box">
        <div class="signin-brand">
          <h1><BrandMark />{t('appName')}</h1>
          <p>{t('appSub')}</p>
        </div>
        <div class="card">
          <form class="card-body" onSubmit={submit} noValidate>
            <div class="row"><h2 class="grow">{t('signInTitle')}</h2><div class="signin-lang"><LangSwitch /></div></div>
            {notice && <div class="alert alert-warning" role="status">{notice}</div>}
            {error && <div class="alert alert-error" role="alert" id="signin-error">{error}</div>}
            <div class="field">
              <label for="username">{t('username')}</label>
              <input id="username" name="username" class="input" autoComplete="username" required value={username}
                onInput={(e) => setUsername(e.currentTarget.value)} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'signin-error' : undefined} />
            </div>
            <div class="field">
              <label for="password">{t('password')}</label>
              <input id="password" name="password" type="password" class="input" autoComplete="current-password" required value={password}
                onInput={(e) => setPassword(e.currentTarget.value)} aria-invalid={error ? 'true' : undefined} />
            </div>
            <Button type="submit" variant="primary" block busy={busy} disabled={!username || !password}>{busy ? t('signingIn') : t('signIn')}</Button>
          </form>
        </div>
        {demo && demo.logins.length > 0 && (
          <section class="card demo-logins" aria-labelledby="demo-title">
            <div class="card-body">
              <h2 id="demo-title" class="small">{t('demoTitle')}</h2>
              <p class="small muted">{t('demoNotice', { password: password0 ?? '' })}</p>
              <ul>
                {demo.logins.map((l) => (
                  <li key={l.username}>
                    <Button size="sm" block data-demo-login={l.username} onClick={() => { setUsername(l.username); setPassword(l.password); }}>
                      <span><strong translate={false}>{l.username}</strong> · {pick(l.roleLabel)}</span>
                      <span class="muted">{l.groups.map(groupName).join('、')}</span>
                    </Button>
                  </li>
                ))}
              </ul>
            </div>
          </section>
        )}
      </div>
    </div>
  );
}
