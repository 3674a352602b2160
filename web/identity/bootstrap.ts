// First start. Production mode (GRIDFLOW_MODE=production) has no default passwords: on an empty
// database the first administrator comes from GRIDFLOW_ADMIN_USER / GRIDFLOW_ADMIN_PASSWORD, and
// the platform refuses to start without them. Demo mode (the default for an empty database)
// creates the documented demo logins (README, "Demo logins"): one per role, and one demo worker
// client for scripts and external job workers. The mode chosen at first start is remembered;
// GRIDFLOW_MODE overrides it, and in production mode demo accounts cannot sign in.

import type mongoose from 'mongoose';
import type { Identity, Mode } from './identity.ts';
import { IdentityError, type UserRole } from './store.ts';

interface SettingsDoc { _id: 'platform'; mode: Mode; initializedAt: Date }

export class BootstrapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BootstrapError';
  }
}

export const DEMO_PASSWORD = 'gridflow-demo';
export const DEMO_WORKER = { clientId: 'demo-worker', secret: 'demo-worker-secret' } as const;

export const DEMO_USERS: ReadonlyArray<{ username: string; displayName: string; role: UserRole; groups: string[] }> = [
  { username: 'admin', displayName: '系统管理员 (demo administrator)', role: 'administrator', groups: [] },
  { username: 'committee', displayName: '党工委委员 (demo committee member)', role: 'committee', groups: [] },
  { username: 'leader', displayName: '第3网格组长 (demo grid leader, grid 3)', role: 'grid-leader', groups: ['grid-3'] },
  { username: 'cadre', displayName: '第3网格干部 (demo cadre, grid 3)', role: 'cadre', groups: ['grid-3'] },
  { username: 'mentor', displayName: '导师 (demo mentor)', role: 'mentor', groups: ['mentors'] },
  { username: 'officer', displayName: '市场监督管理局 (demo department officer)', role: 'department-officer', groups: ['dept-market'] },
];

/** The zone's organisation skeleton (DOMAIN.md): six grids, the mentors, the referral departments. */
export const ORG_GROUPS: ReadonlyArray<[name: string, displayName: string]> = [
  ...[1, 2, 3, 4, 5, 6].map((n): [string, string] => [`grid-${n}`, `第${n}网格 (grid ${n})`]),
  ['mentors', '导师帮带团 (mentors)'],
  ['dept-market', '市场监督管理局 (market supervision)'],
  ['dept-stats', '统计局 (statistics)'],
  ['dept-eco', '生态环境 (environment)'],
  ['dept-safety', '应急管理 (work safety)'],
  ['dept-planning', '规划资源 (planning and land)'],
  ['dept-tax', '税务 (tax)'],
  ['dept-labour', '人社 (labour)'],
  ['dept-urban', '城管 (urban management)'],
];

/** GRIDFLOW_MODE if set; else the mode recorded at first start; else demo on an empty database. */
export async function resolveMode(connection: mongoose.Connection, env: NodeJS.ProcessEnv): Promise<Mode> {
  const settings = connection.db!.collection<SettingsDoc>('settings');
  const explicit = env.GRIDFLOW_MODE?.trim();
  if (explicit !== undefined && explicit !== '' && explicit !== 'demo' && explicit !== 'production') {
    throw new BootstrapError(`GRIDFLOW_MODE must be 'demo' or 'production', not '${explicit}'`);
  }
  const recorded = await settings.findOne({ _id: 'platform' });
  let mode: Mode;
  if (explicit === 'demo' || explicit === 'production') mode = explicit;
  else if (recorded !== null) mode = recorded.mode;
  else mode = (await connection.db!.collection('users').countDocuments({})) === 0 ? 'demo' : 'production';
  if (recorded === null) {
    try { await settings.insertOne({ _id: 'platform', mode, initializedAt: new Date() }); } catch (err) { if ((err as { code?: unknown }).code !== 11000) throw err; }
  }
  return mode;
}

export interface BootstrapResult { mode: Mode; created: string[] }

export async function bootstrap(identity: Identity, env: NodeJS.ProcessEnv, log: (line: string) => void = () => {}): Promise<BootstrapResult> {
  const store = identity.store;
  const created: string[] = [];
  const system = { kind: 'system' as const, id: 'bootstrap' };
  for (const [name, displayName] of ORG_GROUPS) await store.ensureGroup(name, displayName);

  const ignoreTaken = async (what: string, make: () => Promise<unknown>, record: () => Promise<void>) => {
    try {
      await make();
      created.push(what);
      await record();
    } catch (err) {
      if (!(err instanceof IdentityError && err.status === 409)) throw err; // another process created it first
    }
  };

  if ((await store.countUsers()) > 0) {
    if (identity.mode === 'production' && env.GRIDFLOW_ADMIN_PASSWORD) log('GRIDFLOW_ADMIN_USER/GRIDFLOW_ADMIN_PASSWORD are used at first start only; users exist already, so they were ignored');
    return { mode: identity.mode, created };
  }

  if (identity.mode === 'production') {
    const username = env.GRIDFLOW_ADMIN_USER?.trim();
    const password = env.GRIDFLOW_ADMIN_PASSWORD;
    if (!username || !password) {
      throw new BootstrapError('Production mode on an empty database: set GRIDFLOW_ADMIN_USER and GRIDFLOW_ADMIN_PASSWORD for the first administrator (there are no default passwords)');
    }
    try {
      await ignoreTaken(`user ${username}`, () => store.createUser({ username, password, roles: ['administrator'], displayName: username }),
        () => identity.audit({ action: 'user.create', actor: system, target: `user/${username.toLowerCase()}`, after: { roles: ['administrator'], groups: [] }, detail: { reason: 'first administrator from the environment' } }, null));
    } catch (err) {
      if (err instanceof IdentityError) throw new BootstrapError(`GRIDFLOW_ADMIN_USER/GRIDFLOW_ADMIN_PASSWORD: ${err.message}`);
      throw err;
    }
    log(`first administrator '${username.toLowerCase()}' created from the environment`);
    return { mode: identity.mode, created };
  }

  for (const u of DEMO_USERS) {
    await ignoreTaken(`user ${u.username}`, () => store.createUser({ username: u.username, displayName: u.displayName, password: DEMO_PASSWORD, roles: [u.role], groups: u.groups, demo: true }),
      () => identity.audit({ action: 'user.create', actor: system, target: `user/${u.username}`, after: { roles: [u.role], groups: u.groups, demo: true } }, null));
  }
  await ignoreTaken(`client ${DEMO_WORKER.clientId}`, () => store.createClient(DEMO_WORKER.clientId, DEMO_WORKER.secret, ['worker'], 'Demo worker client for scripts and external job workers', true),
    () => identity.audit({ action: 'client.create', actor: system, target: `client/${DEMO_WORKER.clientId}`, after: { roles: ['worker'], demo: true } }, null));
  if (created.length > 0) log(`demo mode: created the demo logins and the demo worker client (see README, "Demo logins"); do not use demo mode in production`);
  return { mode: identity.mode, created };
}
