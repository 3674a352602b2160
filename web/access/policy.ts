// The permission matrix: which role may do what. docs/security.md shows the same table; the
// access matrix test (test/access-matrix.test.ts) checks every endpoint against it.

import type { Permission, Principal } from '../../engine/rest/access.ts';
import type { ClientDoc, ClientRole, UserDoc, UserRole } from '../identity/store.ts';

export type Role = UserRole | ClientRole;

const READ: Permission[] = ['cluster.read', 'definitions.read', 'instances.read', 'tasks.read'];
const WORK_TASKS: Permission[] = ['tasks.claim', 'tasks.complete'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  administrator: [
    ...READ, ...WORK_TASKS, 'deploy', 'instances.start', 'instances.cancel', 'incidents.resolve', 'tasks.assign',
    'messages.publish', 'messages.correlate', 'users.manage', 'audit.read', 'forms.manage', 'plugins.manage', 'org.manage',
  ],
  committee: [...READ, ...WORK_TASKS, 'instances.start', 'instances.cancel', 'tasks.assign'],
  'grid-leader': [...READ, ...WORK_TASKS, 'instances.start', 'instances.cancel', 'tasks.assign'],
  cadre: [...READ, ...WORK_TASKS, 'instances.start'],
  mentor: [...READ, ...WORK_TASKS],
  'department-officer': [...READ, ...WORK_TASKS, 'instances.start'],
  worker: ['cluster.read', 'jobs.work', 'messages.publish'],
};

/** Roles that see every record; the others see their grids' and what they take part in. */
export const ZONE_WIDE_ROLES: readonly Role[] = ['administrator', 'committee'];

/** How the roles are shown (zh as the domain's users expect it). */
export const ROLE_LABELS: Record<Role, { en: string; zh: string }> = {
  administrator: { en: 'Administrator', zh: '系统管理员' },
  committee: { en: 'Committee', zh: '党工委 / 管委会' },
  'grid-leader': { en: 'Grid leader', zh: '网格组长' },
  cadre: { en: 'Cadre', zh: '干部' },
  mentor: { en: 'Mentor', zh: '导师' },
  'department-officer': { en: 'Department officer', zh: '局办 / 区级部门' },
  worker: { en: 'Worker client', zh: '作业客户端' },
};

export const GRID_GROUP = /^grid-([A-Za-z0-9_.-]{1,59})$/;

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const r of roles) for (const p of ROLE_PERMISSIONS[r] ?? []) out.add(p);
  return out;
}

export function principalForUser(u: UserDoc, via: Principal['via']): Principal {
  return {
    kind: 'user', id: u._id, displayName: u.displayName, roles: u.roles, groups: u.groups,
    permissions: permissionsOf(u.roles),
    zoneWide: u.roles.some((r) => ZONE_WIDE_ROLES.includes(r)),
    grids: u.groups.flatMap((g) => GRID_GROUP.exec(g)?.[1] ?? []),
    via,
  };
}

export function principalForClient(c: ClientDoc, via: Principal['via']): Principal {
  return {
    kind: 'client', id: c._id, roles: c.roles, groups: [], permissions: permissionsOf(c.roles),
    zoneWide: false, grids: [], via,
  };
}
