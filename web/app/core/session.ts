// Who is signed in: GET /api/session once at start-up, POST /api/login to sign in. The session
// cookie is HttpOnly; the CSRF token comes in the JSON answer and goes on unsafe requests.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { api, setCsrfToken } from './api.ts';

export interface User {
  username: string;
  displayName?: string;
  roles: string[];
  groups: string[];
}

export interface DemoLogin { username: string; password: string; role: string; roleLabel: { en: string; zh: string }; groups: string[] }

export interface SessionInfo {
  authenticated: boolean;
  mode: 'demo' | 'production';
  demo?: { notice: string; logins: DemoLogin[] };
  user?: User;
  permissions?: string[];
  grids?: string[];
  csrfToken?: string;
  expiresAt?: string;
}

/** A signed-in user as pages see it. */
export interface Session {
  user: User;
  permissions: ReadonlySet<string>;
  grids: readonly string[];
  /** Sees every grid's records (administrator, committee). */
  zoneWide: boolean;
  can(permission: string): boolean;
  hasRole(...roles: string[]): boolean;
  signOut(): Promise<void>;
}

export async function fetchSession(): Promise<SessionInfo> {
  const s = await api.get<SessionInfo>('/api/session');
  setCsrfToken(s.authenticated ? s.csrfToken : undefined);
  return s;
}

export async function signIn(username: string, password: string): Promise<void> {
  const r = await api.post<{ csrfToken: string }>('/api/login', { username, password });
  setCsrfToken(r.csrfToken);
}

export function toSession(info: SessionInfo, signOut: () => Promise<void>): Session | null {
  if (!info.authenticated || !info.user) return null;
  const permissions = new Set(info.permissions ?? []);
  const user = info.user;
  return {
    user, permissions, grids: info.grids ?? [],
    zoneWide: user.roles.includes('administrator') || user.roles.includes('committee'),
    can: (p) => permissions.has(p),
    hasRole: (...roles) => roles.some((r) => user.roles.includes(r)),
    signOut,
  };
}

export const SessionContext = createContext<Session | null>(null);

/** The signed-in user (pages render only when someone is signed in). */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in page');
  return s;
}
