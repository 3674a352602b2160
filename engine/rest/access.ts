// Access control hooks for the REST layer. The engine API does not know users, passwords or
// sessions: the web layer hands it a `V2Access` that says who is calling (a Principal with its
// permissions, groups and grids) and where security-relevant actions are recorded (the audit
// trail). Every route declares the permission it needs (routes.ts refuses to register one that
// does not); record-level rules (grid scoping, who may complete a task) live in scope.ts and the
// route files. docs/security.md has the matrix.

import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { HttpProblem } from './problem.ts';

/** What a caller may do. Roles map to these in web/access/policy.ts. */
export const PERMISSIONS = [
  'cluster.read', // GET /v2/topology
  'deploy', // POST /v2/deployments
  'definitions.read', // process definitions, their XML, forms
  'instances.start',
  'instances.read', // instances, element instances, variables, incidents, history (scoped)
  'instances.cancel', // (scoped)
  'incidents.resolve',
  'tasks.read', // (scoped)
  'tasks.claim', // assign a task to oneself when one is a candidate
  'tasks.assign', // assign/unassign others (scoped: zone-wide callers anywhere, others in their grids)
  'tasks.complete', // only one's own tasks
  'jobs.work', // activation, completion, failure, BPMN error
  'messages.publish',
  'messages.correlate',
  // Gridflow's own API (/api)
  'users.manage', // users, groups, machine clients, their roles
  'audit.read',
  'forms.manage',
  'plugins.manage',
  'org.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export interface Principal {
  kind: 'user' | 'client';
  /** Username or client id: what `assignee`, `candidateUsers` and the audit trail name. */
  id: string;
  displayName?: string;
  roles: readonly string[];
  /** Group names (candidate groups match these), e.g. `grid-3`, `dept-market`, `mentors`. */
  groups: readonly string[];
  permissions: ReadonlySet<Permission>;
  /** Sees every record (administrator, committee). Otherwise only its grids' and what it takes part in. */
  zoneWide: boolean;
  /** Grid ids from the groups named `grid-<id>`. */
  grids: readonly string[];
  /** How the caller authenticated. */
  via: 'session' | 'basic' | 'bearer' | 'unprotected';
}

/** A line for the audit trail; the trail adds the sequence, time, previous hash and its own hash. */
export interface AuditRecord {
  action: string;
  /** Who acted; null for an anonymous caller (e.g. a failed sign-in). */
  actor: { kind: 'user' | 'client' | 'system' | 'anonymous'; id: string } | null;
  target?: string;
  outcome?: 'success' | 'failure';
  before?: unknown;
  after?: unknown;
  detail?: Record<string, unknown>;
}

/** A user as the assignment rules need it (does the assignee exist, which grids is it in). */
export interface UserInfo { id: string; groups: readonly string[]; disabled: boolean }

export interface V2Access {
  /**
   * Who is calling, or null when the request carries no credentials (→ 401). Throws an
   * HttpProblem for bad credentials (401), a missing CSRF token (403) or too many attempts (429).
   */
  authenticate(req: Request, res: Response): Promise<Principal | null>;
  /** Appends to the audit trail. */
  audit?(record: AuditRecord, req: Request): Promise<void>;
  /** Looks a user up (assignment to others checks the assignee exists and is in the grid). */
  userInfo?(id: string): Promise<UserInfo | null>;
}

/**
 * `unprotected`: no authentication and no authorization, like Camunda's unprotected-api setting.
 * For tests of the engine API and development only; web/main.ts refuses it in production mode.
 */
export type V2AccessOption = V2Access | 'unprotected';

/** Everything, for the unprotected mode. */
export const UNPROTECTED_PRINCIPAL: Principal = Object.freeze({
  kind: 'user',
  id: 'anonymous',
  roles: [],
  groups: [],
  permissions: new Set<Permission>(PERMISSIONS),
  zoneWide: true,
  grids: [],
  via: 'unprotected',
}) as Principal;

export const unauthorized = (detail = 'Authentication is required: sign in, or send HTTP Basic or Bearer credentials') =>
  new HttpProblem(401, 'UNAUTHORIZED', detail);
export const forbidden = (detail: string) => new HttpProblem(403, 'FORBIDDEN', detail);

const PRINCIPAL = Symbol('gridflow.principal');

/** The authenticated caller of this request (set by `authenticateRequests`). */
export function principalOf(res: Response): Principal {
  const p = (res.locals as Record<symbol, Principal | undefined>)[PRINCIPAL];
  if (p === undefined) throw unauthorized();
  return p;
}

export function setPrincipal(res: Response, p: Principal): void {
  (res.locals as Record<symbol, Principal>)[PRINCIPAL] = p;
}

export function hasPrincipal(res: Response): boolean {
  return (res.locals as Record<symbol, Principal | undefined>)[PRINCIPAL] !== undefined;
}

/**
 * Router-level middleware: authenticates every request before its body is read. A request
 * without credentials goes on without a principal; `requirePermission` answers it with 401.
 */
export function authenticateRequests(access: V2AccessOption): RequestHandler {
  if (access === 'unprotected') {
    return (_req, res, next) => {
      setPrincipal(res, UNPROTECTED_PRINCIPAL);
      next();
    };
  }
  return (req, res, next: NextFunction) => {
    if (hasPrincipal(res)) {
      next();
      return;
    }
    access.authenticate(req, res).then((p) => {
      if (p !== null) setPrincipal(res, p);
      next();
    }, next);
  };
}

/** 401 without a principal, 403 (naming the permission) without the permission. */
export function requirePermission(permission: Permission | 'authenticated'): RequestHandler {
  return (_req, res, next) => {
    if (!hasPrincipal(res)) throw unauthorized();
    const p = principalOf(res);
    if (permission !== 'authenticated' && !p.permissions.has(permission)) {
      throw forbidden(`${describe(p)} lacks the permission '${permission}'`);
    }
    next();
  };
}

export function describe(p: Principal): string {
  if (p.kind === 'client') return `client '${p.id}'`;
  return `user '${p.id}'${p.roles.length > 0 ? ` (${p.roles.join(', ')})` : ''}`;
}

export function actorOf(p: Principal): AuditRecord['actor'] {
  return { kind: p.kind, id: p.id };
}

/**
 * Appends to the audit trail as the caller, after the action took effect. A failed append does not
 * undo the action: it is logged (the record carries no secrets) and the request answers.
 */
export async function auditAsCaller(
  append: (record: AuditRecord, req: Request) => Promise<void>, req: Request, res: Response,
  record: Omit<AuditRecord, 'actor'>, logError: (message: string, err: unknown) => void = console.error,
): Promise<void> {
  const full: AuditRecord = { actor: actorOf(principalOf(res)), outcome: 'success', ...record };
  try {
    await append(full, req);
  } catch (err) {
    logError(`AUDIT APPEND FAILED for ${JSON.stringify(full)}`, err);
  }
}
