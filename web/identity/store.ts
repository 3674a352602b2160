// Users, groups and machine clients in MongoDB, designed for FerretDB: every hot-path read is a
// lookup by `_id` (the username, group name or client id), creation is a unique insert (two
// admins creating the same name: one wins), changes are updates by `_id`.

import type mongoose from 'mongoose';
import { hashPassword, passwordProblems } from './passwords.ts';

type Collection<T extends { _id: string }> = mongoose.mongo.Collection<T>;

export const USER_ROLES = ['administrator', 'committee', 'grid-leader', 'cadre', 'mentor', 'department-officer'] as const;
export type UserRole = (typeof USER_ROLES)[number];
export const CLIENT_ROLES = ['worker'] as const;
export type ClientRole = (typeof CLIENT_ROLES)[number];

export const NAME_PATTERN = /^[a-z0-9][a-z0-9._@-]{0,63}$/;
export const GROUP_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export interface UserDoc {
  _id: string; // username, lower case
  displayName: string;
  roles: UserRole[];
  groups: string[];
  passwordHash: string;
  passwordChangedAt: Date;
  /** Created by demo mode with the password documented in the README (refused in production mode). */
  demo: boolean;
  disabled: boolean;
  failedLogins: number;
  lockedUntil: Date | null;
  /** Sessions created before this are no longer valid (password change, disabling, role change). */
  sessionsValidAfter: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface GroupDoc { _id: string; displayName: string; description: string; createdAt: Date }

export interface ClientDoc {
  _id: string; // client id
  secretHash: string;
  roles: ClientRole[];
  description: string;
  demo: boolean;
  disabled: boolean;
  failedLogins: number;
  lockedUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A user as the API shows it: never the hash or the lockout counters' internals. */
export interface PublicUser {
  username: string;
  displayName: string;
  roles: UserRole[];
  groups: string[];
  disabled: boolean;
  demo: boolean;
  lockedUntil: string | null;
  passwordChangedAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface PublicClient { clientId: string; roles: ClientRole[]; description: string; disabled: boolean; demo: boolean; createdAt: string; updatedAt: string }

export function publicUser(u: UserDoc): PublicUser {
  return {
    username: u._id, displayName: u.displayName, roles: u.roles, groups: u.groups, disabled: u.disabled, demo: u.demo,
    lockedUntil: u.lockedUntil !== null && u.lockedUntil.getTime() > Date.now() ? u.lockedUntil.toISOString() : null,
    passwordChangedAt: u.passwordChangedAt.toISOString(), createdAt: u.createdAt.toISOString(), updatedAt: u.updatedAt.toISOString(),
  };
}

export function publicClient(c: ClientDoc): PublicClient {
  return { clientId: c._id, roles: c.roles, description: c.description, disabled: c.disabled, demo: c.demo, createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString() };
}

/** A problem the caller can fix (400) or a name that is taken (409). */
export class IdentityError extends Error {
  constructor(readonly status: 400 | 404 | 409, message: string) {
    super(message);
    this.name = 'IdentityError';
  }
}

const isDuplicate = (err: unknown) => (err as { code?: unknown })?.code === 11000;

export interface NewUser { username: string; displayName?: string; password: string; roles: UserRole[]; groups?: string[]; demo?: boolean }
export interface UserPatch { displayName?: string; roles?: UserRole[]; groups?: string[]; disabled?: boolean }

const CACHE_MS = 5_000;

export class IdentityStore {
  readonly users: Collection<UserDoc>;
  readonly groups: Collection<GroupDoc>;
  readonly clients: Collection<ClientDoc>;
  private readonly cache = new Map<string, { doc: UserDoc | ClientDoc | null; at: number }>();

  constructor(connection: mongoose.Connection) {
    const db = connection.db;
    if (db === undefined) throw new Error('IdentityStore needs an open connection');
    this.users = db.collection<UserDoc>('users');
    this.groups = db.collection<GroupDoc>('groups');
    this.clients = db.collection<ClientDoc>('clients');
  }

  // ---- users ------------------------------------------------------------------------------------

  /** By `_id`; cached for a few seconds (sign-in and changes made here refresh it). */
  async user(username: string, fresh = false): Promise<UserDoc | null> {
    const id = normalizeName(username);
    if (id === null) return null;
    const key = `u:${id}`;
    const hit = this.cache.get(key);
    if (!fresh && hit !== undefined && Date.now() - hit.at < CACHE_MS) return hit.doc as UserDoc | null;
    const doc = await this.users.findOne({ _id: id });
    this.cache.set(key, { doc, at: Date.now() });
    return doc;
  }

  async countUsers(): Promise<number> {
    return this.users.countDocuments({});
  }

  async listUsers(): Promise<UserDoc[]> {
    return this.users.find({}).sort({ _id: 1 }).toArray();
  }

  async createUser(n: NewUser): Promise<UserDoc> {
    const id = normalizeName(n.username);
    if (id === null) throw new IdentityError(400, 'username must be 1 to 64 characters: lower-case letters, digits and . _ @ -, starting with a letter or digit');
    const displayName = (n.displayName ?? id).trim();
    checkDisplayName(displayName);
    const roles = checkRoles(n.roles);
    const groups = await this.checkGroups(n.groups ?? []);
    const problems = passwordProblems(n.password, { username: id, displayName });
    if (problems.length > 0) throw new IdentityError(400, `password ${problems.join('; ')}`);
    if ((await this.clients.findOne({ _id: id })) !== null) throw new IdentityError(409, `'${id}' is already a machine client's id`);
    const now = new Date();
    const doc: UserDoc = {
      _id: id, displayName, roles, groups, passwordHash: await hashPassword(n.password), passwordChangedAt: now, demo: n.demo === true,
      disabled: false, failedLogins: 0, lockedUntil: null, sessionsValidAfter: new Date(now.getTime() - 1), createdAt: now, updatedAt: now,
    };
    try {
      await this.users.insertOne(doc);
    } catch (err) {
      if (isDuplicate(err)) throw new IdentityError(409, `user '${id}' already exists`);
      throw err;
    }
    this.cache.delete(`u:${id}`);
    return doc;
  }

  /** Changes roles, groups, display name or the disabled flag; returns the documents before and after. */
  async updateUser(username: string, patch: UserPatch): Promise<{ before: UserDoc; after: UserDoc }> {
    const before = await this.user(username, true);
    if (before === null) throw new IdentityError(404, `no user '${username}'`);
    const set: Partial<UserDoc> = { updatedAt: new Date() };
    if (patch.displayName !== undefined) set.displayName = checkDisplayName(patch.displayName.trim());
    if (patch.roles !== undefined) set.roles = checkRoles(patch.roles);
    if (patch.groups !== undefined) set.groups = await this.checkGroups(patch.groups);
    if (patch.disabled !== undefined) set.disabled = patch.disabled;
    // Less power or a disabled account ends the user's sessions at once.
    const lessPower = (patch.roles !== undefined && before.roles.some((r) => !set.roles!.includes(r)))
      || (patch.groups !== undefined && before.groups.some((g) => !set.groups!.includes(g)))
      || patch.disabled === true;
    if (lessPower) set.sessionsValidAfter = new Date();
    await this.users.updateOne({ _id: before._id }, { $set: set });
    this.cache.delete(`u:${before._id}`);
    return { before, after: { ...before, ...set } };
  }

  async setPassword(username: string, password: string): Promise<UserDoc> {
    const u = await this.user(username, true);
    if (u === null) throw new IdentityError(404, `no user '${username}'`);
    const problems = passwordProblems(password, { username: u._id, displayName: u.displayName });
    if (problems.length > 0) throw new IdentityError(400, `password ${problems.join('; ')}`);
    const now = new Date();
    const set = { passwordHash: await hashPassword(password), passwordChangedAt: now, demo: false, sessionsValidAfter: now, failedLogins: 0, lockedUntil: null, updatedAt: now };
    await this.users.updateOne({ _id: u._id }, { $set: set });
    this.cache.delete(`u:${u._id}`);
    return { ...u, ...set };
  }

  // ---- failed sign-ins (users and clients) -----------------------------------------------------------
  // Updates by _id. On FerretDB, counts from several processes may race and lose an increment:
  // the lockout then starts an attempt or two later, never earlier.

  async recordFailure(kind: 'user' | 'client', id: string, maxFailures: number, lockMs: number): Promise<{ failures: number; lockedUntil: Date | null }> {
    const coll = (kind === 'user' ? this.users : this.clients) as unknown as Collection<{ _id: string; failedLogins: number; lockedUntil: Date | null }>;
    const doc = await coll.findOne({ _id: id });
    if (doc === null) return { failures: 0, lockedUntil: null };
    const failures = (doc.failedLogins ?? 0) + 1;
    const lockedUntil = failures >= maxFailures ? new Date(Date.now() + lockMs) : doc.lockedUntil ?? null;
    await coll.updateOne({ _id: id }, { $set: { failedLogins: failures >= maxFailures ? 0 : failures, lockedUntil } });
    this.cache.delete(`${kind === 'user' ? 'u' : 'c'}:${id}`);
    return { failures, lockedUntil: failures >= maxFailures ? lockedUntil : null };
  }

  async clearFailures(kind: 'user' | 'client', doc: { _id: string; failedLogins: number; lockedUntil: Date | null }): Promise<void> {
    if ((doc.failedLogins ?? 0) === 0 && doc.lockedUntil === null) return;
    const coll = (kind === 'user' ? this.users : this.clients) as unknown as Collection<{ _id: string; failedLogins: number; lockedUntil: Date | null }>;
    await coll.updateOne({ _id: doc._id }, { $set: { failedLogins: 0, lockedUntil: null } });
    this.cache.delete(`${kind === 'user' ? 'u' : 'c'}:${doc._id}`);
  }

  // ---- groups -----------------------------------------------------------------------------------

  async listGroups(): Promise<GroupDoc[]> {
    return this.groups.find({}).sort({ _id: 1 }).toArray();
  }

  async createGroup(name: string, displayName?: string, description = ''): Promise<GroupDoc> {
    if (!GROUP_PATTERN.test(name)) throw new IdentityError(400, 'group name must be 1 to 64 characters: lower-case letters, digits and . _ -');
    const doc: GroupDoc = { _id: name, displayName: checkDisplayName((displayName ?? name).trim()), description: description.slice(0, 500), createdAt: new Date() };
    try {
      await this.groups.insertOne(doc);
    } catch (err) {
      if (isDuplicate(err)) throw new IdentityError(409, `group '${name}' already exists`);
      throw err;
    }
    return doc;
  }

  /** Creates the group unless it exists (bootstrap). */
  async ensureGroup(name: string, displayName: string, description = ''): Promise<void> {
    try {
      await this.createGroup(name, displayName, description);
    } catch (err) {
      if (!(err instanceof IdentityError && err.status === 409)) throw err;
    }
  }

  private async checkGroups(groups: string[]): Promise<string[]> {
    const unique = [...new Set(groups)];
    if (unique.length > 50) throw new IdentityError(400, 'a user belongs to at most 50 groups');
    for (const g of unique) {
      if (!GROUP_PATTERN.test(g)) throw new IdentityError(400, `'${g}' is not a valid group name`);
      if ((await this.groups.findOne({ _id: g })) === null) throw new IdentityError(400, `no group '${g}'`);
    }
    return unique.sort();
  }

  // ---- machine clients ---------------------------------------------------------------------------

  async client(clientId: string, fresh = false): Promise<ClientDoc | null> {
    if (!NAME_PATTERN.test(clientId)) return null;
    const key = `c:${clientId}`;
    const hit = this.cache.get(key);
    if (!fresh && hit !== undefined && Date.now() - hit.at < CACHE_MS) return hit.doc as ClientDoc | null;
    const doc = await this.clients.findOne({ _id: clientId });
    this.cache.set(key, { doc, at: Date.now() });
    return doc;
  }

  async listClients(): Promise<ClientDoc[]> {
    return this.clients.find({}).sort({ _id: 1 }).toArray();
  }

  async createClient(clientId: string, secret: string, roles: ClientRole[], description = '', demo = false): Promise<ClientDoc> {
    if (!NAME_PATTERN.test(clientId)) throw new IdentityError(400, 'client id must be 1 to 64 characters: lower-case letters, digits and . _ @ -');
    if (secret.length < 16 || secret.length > 256) throw new IdentityError(400, 'client secret must be 16 to 256 characters');
    for (const r of roles) if (!(CLIENT_ROLES as readonly string[]).includes(r)) throw new IdentityError(400, `unknown client role '${r}' (known: ${CLIENT_ROLES.join(', ')})`);
    if ((await this.users.findOne({ _id: clientId })) !== null) throw new IdentityError(409, `'${clientId}' is already a user's name`);
    const now = new Date();
    const doc: ClientDoc = { _id: clientId, secretHash: await hashPassword(secret), roles: [...new Set(roles)], description: description.slice(0, 500), demo, disabled: false, failedLogins: 0, lockedUntil: null, createdAt: now, updatedAt: now };
    try {
      await this.clients.insertOne(doc);
    } catch (err) {
      if (isDuplicate(err)) throw new IdentityError(409, `client '${clientId}' already exists`);
      throw err;
    }
    this.cache.delete(`c:${clientId}`);
    return doc;
  }

  async updateClient(clientId: string, patch: { disabled?: boolean; roles?: ClientRole[]; description?: string }): Promise<{ before: ClientDoc; after: ClientDoc }> {
    const before = await this.client(clientId, true);
    if (before === null) throw new IdentityError(404, `no client '${clientId}'`);
    const set: Partial<ClientDoc> = { updatedAt: new Date() };
    if (patch.disabled !== undefined) set.disabled = patch.disabled;
    if (patch.description !== undefined) set.description = patch.description.slice(0, 500);
    if (patch.roles !== undefined) {
      for (const r of patch.roles) if (!(CLIENT_ROLES as readonly string[]).includes(r)) throw new IdentityError(400, `unknown client role '${r}'`);
      set.roles = [...new Set(patch.roles)];
    }
    await this.clients.updateOne({ _id: clientId }, { $set: set });
    this.cache.delete(`c:${clientId}`);
    return { before, after: { ...before, ...set } };
  }

  /** Forget cached documents (after changes made by another process, or in tests). */
  forget(): void { this.cache.clear(); }
}

/** Usernames are case-insensitive: stored and compared in lower case. */
export function normalizeName(name: string): string | null {
  const id = name.trim().toLowerCase();
  return NAME_PATTERN.test(id) ? id : null;
}

function checkDisplayName(name: string): string {
  // eslint-disable-next-line no-control-regex
  if (name.length === 0 || name.length > 128 || /[\u0000-\u001f\u007f]/.test(name)) throw new IdentityError(400, 'display name must be 1 to 128 characters without control characters');
  return name;
}

function checkRoles(roles: string[]): UserRole[] {
  const unique = [...new Set(roles)];
  for (const r of unique) if (!(USER_ROLES as readonly string[]).includes(r)) throw new IdentityError(400, `unknown role '${r}' (known: ${USER_ROLES.join(', ')})`);
  return unique as UserRole[];
}
