// The platform's security services on one database: the audit trail and identity (users,
// sessions, machine clients, tokens), with sign-ins and failures written to the trail.

import type { Request } from 'express';
import type mongoose from 'mongoose';
import { AuditTrail } from '../audit/trail.ts';
import { Identity, ipOf, type IdentityConfig } from '../identity/identity.ts';

export interface Auth { identity: Identity; trail: AuditTrail }

export async function openAuth(connection: mongoose.Connection, config: IdentityConfig): Promise<Auth> {
  const trail = new AuditTrail(connection);
  const identity = await Identity.open(connection, config, async (record, req: Request | null) => {
    await trail.append(record, { ip: req === null ? null : ipOf(req) });
  });
  return { identity, trail };
}

/** GRIDFLOW_SECURE_COOKIES: 'true' always, 'false' never, unset: when the request came over TLS. */
export function secureCookiesFromEnv(value: string | undefined): boolean | 'auto' {
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (/^(1|true|yes)$/i.test(value)) return true;
  if (/^(0|false|no)$/i.test(value)) return false;
  throw new Error(`GRIDFLOW_SECURE_COOKIES must be true, false or auto, not '${value}'`);
}

/** GRIDFLOW_TRUST_PROXY: Express's trust proxy setting (a hop count, 'loopback', addresses...); unset: false. */
export function trustProxyFromEnv(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '' || /^(0|false|no)$/i.test(value)) return false;
  if (/^(true|yes)$/i.test(value)) return true;
  if (/^[0-9]+$/.test(value)) return Number(value);
  return value;
}
