// Users and groups (administrators, `users.manage`): list, create, change roles, groups and name,
// disable or unlock, set a new password; create groups. Every change goes through /api/users and
// /api/groups, which check and audit it.
import { useState } from 'preact/hooks';
import { api } from '../../core/api.ts';
import { formatDateTime, pick, useLocale } from '../../core/i18n.ts';
import { useSession } from '../../core/session.ts';
import type { PageProps } from '../../page.ts';
import { Badge, Button, Card, ErrorMessage, Loading, PageHeader, errorText } from '../../ui/components.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { ROLES, t } from './messages.ts';
import '../admin.css';

interface User { username: string; displayName?: string; roles: string[]; groups: string[]; disabled: boolean; demo?: boolean; lockedUntil: string | null; passwordChangedAt: string }
interface Group { name: string; displayName?: string; description?: string }

const roleLabel = (r: string) => (ROLES[r] ? pick(ROLES[r]!) : r);

function GroupPicker({ all, value, onChange, idPrefix }: { all: Group[]; value: string[]; onChange: (v: string[]) => void; idPrefix: string }) {
  const names = [...new Set([...all.map((g) => g.name), ...value])].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return (
    <div class="gf-checks" role="group">
      {names.map((n) => (
        <label key={n} class="checkbox" for={`${idPrefix}-${n}`}>
          <input id={`${idPrefix}-${n}`} type="checkbox" checked={value.includes(n)} onChange={(e) => onChange((e.target as HTMLInputElement).checked ? [...value, n] : value.filter((x) => x !== n))} />
          {all.find((g) => g.name === n)?.displayName ? `${all.find((g) => g.name === n)!.displayName}（${n}）` : n}
        </label>
      ))}
    </div>
  );
}

function RolePicker({ value, onChange, idPrefix }: { value: string[]; onChange: (v: string[]) => void; idPrefix: string }) {
  return (
    <div class="gf-checks" role="group">
      {Object.keys(ROLES).map((r) => (
        <label key={r} class="checkbox" for={`${idPrefix}-${r}`}>
          <input id={`${idPrefix}-${r}`} type="checkbox" checked={value.includes(r)} onChange={(e) => onChange((e.target as HTMLInputElement).checked ? [...value, r] : value.filter((x) => x !== r))} />
          {roleLabel(r)}
        </label>
      ))}
    </div>
  );
}

function UserEditor({ user, groups, onDone }: { user: User; groups: Group[]; onDone: (changed: boolean) => void }) {
  const session = useSession();
  const [displayName, setDisplayName] = useState(user.displayName ?? '');
  const [roles, setRoles] = useState(user.roles);
  const [memberOf, setMemberOf] = useState(user.groups);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const self = session.user.username === user.username;
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try { await fn(); onDone(true); } catch (err) { setError(err); } finally { setBusy(false); }
  };
  const path = `/api/users/${encodeURIComponent(user.username)}`;
  return (
    <Card title={t('editUser', { name: user.username })}>
      <form class="stack" onSubmit={(e) => { e.preventDefault(); void run(() => api.patch(path, { ...(displayName && { displayName }), roles, groups: memberOf })); }}>
        <div class="field"><label for="edit-display">{t('displayName')}</label><input id="edit-display" class="input" value={displayName} onInput={(e) => setDisplayName((e.target as HTMLInputElement).value)} /></div>
        <div class="field"><span class="label">{t('roles')}</span><RolePicker idPrefix="edit-role" value={roles} onChange={setRoles} /></div>
        <div class="field"><span class="label">{t('groups')}</span><GroupPicker idPrefix="edit-group" all={groups} value={memberOf} onChange={setMemberOf} /></div>
        {error !== null && <div class="alert alert-error" role="alert">{errorText(error)}</div>}
        <div class="row">
          <Button type="submit" variant="primary" busy={busy}>{t('save')}</Button>
          <Button onClick={() => onDone(false)}>{t('cancel')}</Button>
          <span class="grow" />
          {user.lockedUntil && <Button onClick={() => void run(() => api.patch(path, { unlock: true }))}>{t('unlock')}</Button>}
          {!self && <Button variant="danger" onClick={() => void run(() => api.patch(path, { disabled: !user.disabled }))}>{user.disabled ? t('enable') : t('disable')}</Button>}
        </div>
      </form>
      <form class="row" style={{ marginTop: 'var(--space-4)' }} onSubmit={(e) => { e.preventDefault(); void run(() => api.post(`${path}/password`, { password })); }}>
        <label class="gf-field-inline" for="edit-password">{t('newPassword')}</label>
        <input id="edit-password" class="input" style={{ maxWidth: '18rem' }} type="password" autocomplete="new-password" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        <Button type="submit" disabled={!password} busy={busy}>{t('setPassword')}</Button>
        <span class="gf-field-help">{t('passwordRule')}</span>
      </form>
    </Card>
  );
}

function NewUser({ groups, onDone }: { groups: Group[]; onDone: () => void }) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<string[]>(['cadre']);
  const [memberOf, setMemberOf] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/users', { username, ...(displayName && { displayName }), password, roles, groups: memberOf });
      onDone();
    } catch (err) { setError(err); } finally { setBusy(false); }
  };
  return (
    <Card title={t('newUser')}>
      <form class="stack" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <div class="gf-form-grid">
          <div class="field"><label for="new-username">{t('username')}</label><input id="new-username" class="input" required value={username} autocomplete="off" onInput={(e) => setUsername((e.target as HTMLInputElement).value)} /></div>
          <div class="field"><label for="new-display">{t('displayName')}</label><input id="new-display" class="input" value={displayName} onInput={(e) => setDisplayName((e.target as HTMLInputElement).value)} /></div>
          <div class="field"><label for="new-password">{t('password')}</label><input id="new-password" class="input" type="password" required autocomplete="new-password" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} /><span class="gf-field-help">{t('passwordRule')}</span></div>
        </div>
        <div class="field"><span class="label">{t('roles')}</span><RolePicker idPrefix="new-role" value={roles} onChange={setRoles} /></div>
        <div class="field"><span class="label">{t('groups')}</span><GroupPicker idPrefix="new-group" all={groups} value={memberOf} onChange={setMemberOf} /></div>
        {error !== null && <div class="alert alert-error" role="alert">{errorText(error)}</div>}
        <div class="row"><Button type="submit" variant="primary" busy={busy}>{t('create')}</Button></div>
      </form>
    </Card>
  );
}

function NewGroup({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    setError(null);
    try {
      await api.post('/api/groups', { name, ...(displayName && { displayName }), ...(description && { description }) });
      setName(''); setDisplayName(''); setDescription('');
      onDone();
    } catch (err) { setError(err); }
  };
  return (
    <form class="stack" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <div class="gf-form-grid">
        <div class="field"><label for="group-name">{t('groupName')}</label><input id="group-name" class="input" required value={name} placeholder="grid-7 / dept-market" onInput={(e) => setName((e.target as HTMLInputElement).value)} /></div>
        <div class="field"><label for="group-display">{t('displayName')}</label><input id="group-display" class="input" value={displayName} onInput={(e) => setDisplayName((e.target as HTMLInputElement).value)} /></div>
        <div class="field"><label for="group-desc">{t('description')}</label><input id="group-desc" class="input" value={description} onInput={(e) => setDescription((e.target as HTMLInputElement).value)} /></div>
      </div>
      {error !== null && <div class="alert alert-error" role="alert">{errorText(error)}</div>}
      <div class="row"><Button type="submit" variant="primary">{t('createGroup')}</Button></div>
    </form>
  );
}

export default function UsersPage(_props: PageProps) {
  useLocale();
  const [tab, setTab] = useState<'users' | 'groups'>('users');
  const [editing, setEditing] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [filter, setFilter] = useState('');
  const users = useLoad((signal) => api.get<{ items: User[] }>('/api/users', { signal }).then((r) => r.items), []);
  const groups = useLoad((signal) => api.get<{ items: Group[] }>('/api/groups', { signal }).then((r) => r.items), []);
  if (users.error) return <ErrorMessage error={users.error} onRetry={users.reload} />;
  if (!users.data || !groups.data) return <Loading />;
  // A user's groups by their display names (the ids are in the groups tab).
  const groupTitles = new Map(groups.data.map((g) => [g.name, g.displayName || g.name]));
  const f = filter.trim().toLowerCase();
  const shown = users.data.filter((u) => !f || u.username.includes(f) || (u.displayName ?? '').toLowerCase().includes(f) || u.groups.some((g) => g.includes(f)));
  const edited = users.data.find((u) => u.username === editing);
  return (
    <div class="gf-admin">
      <PageHeader title={t('title')} subtitle={t('subtitle')} actions={tab === 'users' && <Button variant="primary" onClick={() => { setCreating(true); setEditing(null); }}>{t('newUser')}</Button>} />
      <div class="gf-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'users'} onClick={() => setTab('users')}>{t('users')}（{users.data.length}）</button>
        <button type="button" role="tab" aria-selected={tab === 'groups'} onClick={() => setTab('groups')}>{t('groupsTab')}（{groups.data.length}）</button>
      </div>
      {tab === 'users' ? (
        <>
          {creating && <NewUser groups={groups.data} onDone={() => { setCreating(false); users.reload(); }} />}
          {edited && <UserEditor key={edited.username} user={edited} groups={groups.data} onDone={(changed) => { setEditing(null); if (changed) users.reload(); }} />}
          <div class="row">
            <input class="input" type="search" style={{ maxWidth: '22rem' }} placeholder={t('search')} aria-label={t('search')} value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
          </div>
          <div class="card"><div class="table-wrap">
            <table class="table" data-testid="users-table">
              <thead><tr><th>{t('username')}</th><th>{t('displayName')}</th><th>{t('roles')}</th><th>{t('groups')}</th><th>{t('state')}</th><th>{t('passwordChanged')}</th><th><span class="visually-hidden">{t('actions')}</span></th></tr></thead>
              <tbody>
                {shown.map((u) => (
                  <tr key={u.username}>
                    <td><code>{u.username}</code></td>
                    <td>{u.displayName}</td>
                    <td>{u.roles.map((r) => <Badge key={r} tone="info">{roleLabel(r)}</Badge>)}</td>
                    <td class="small">{u.groups.map((g) => groupTitles.get(g) ?? g).join('、')}</td>
                    <td>
                      {u.disabled ? <Badge tone="danger">{t('disabled')}</Badge> : u.lockedUntil ? <Badge tone="warning">{t('locked')}</Badge> : <Badge tone="success">{t('active')}</Badge>}
                      {u.demo && <Badge>{t('demo')}</Badge>}
                    </td>
                    <td class="small muted">{formatDateTime(u.passwordChangedAt)}</td>
                    <td><Button size="sm" variant="ghost" onClick={() => { setEditing(u.username); setCreating(false); }}>{t('edit')}</Button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div></div>
        </>
      ) : (
        <>
          <Card title={t('newGroup')}><NewGroup onDone={groups.reload} /></Card>
          <div class="card"><div class="table-wrap">
            <table class="table" data-testid="groups-table">
              <thead><tr><th>{t('groupName')}</th><th>{t('displayName')}</th><th>{t('description')}</th><th class="gf-num">{t('members')}</th></tr></thead>
              <tbody>
                {groups.data.map((g) => (
                  <tr key={g.name}>
                    <td><code>{g.name}</code></td><td>{g.displayName}</td><td class="small">{g.description}</td>
                    <td class="gf-num">{users.data!.filter((u) => u.groups.includes(g.name)).length}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div></div>
        </>
      )}
    </div>
  );
}
