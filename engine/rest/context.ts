// What every route file gets: the runtime, the caller's scope and the audit trail.

import type { Request, Response } from 'express';
import type { Runtime } from '../runtime.ts';
import { auditAsCaller, principalOf, type AuditRecord, type UserInfo, type V2AccessOption } from './access.ts';
import { InstanceInfoCache, Scope } from './scope.ts';

export class RestContext {
  readonly instances: InstanceInfoCache;

  constructor(
    readonly runtime: Runtime,
    readonly access: V2AccessOption,
    private readonly logError: (message: string, err: unknown) => void,
  ) {
    this.instances = new InstanceInfoCache(runtime);
  }

  get unprotected(): boolean { return this.access === 'unprotected'; }

  /** The caller's view of the records (see scope.ts). */
  scope(res: Response): Scope {
    return new Scope(this.runtime, principalOf(res), this.instances);
  }

  /**
   * Appends to the audit trail as the caller, after the action took effect. A failed append does
   * not undo the action: it is logged (the record carries no secrets) and the request answers.
   */
  async audit(req: Request, res: Response, record: Omit<AuditRecord, 'actor'>): Promise<void> {
    if (this.access === 'unprotected' || this.access.audit === undefined) return;
    await auditAsCaller(this.access.audit.bind(this.access), req, res, record, this.logError);
  }

  async userInfo(id: string): Promise<UserInfo | null | undefined> {
    if (this.access === 'unprotected' || this.access.userInfo === undefined) return undefined;
    return this.access.userInfo(id);
  }
}
