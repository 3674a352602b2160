// GET /api/audit (entries, oldest first, from a sequence number) and GET /api/audit/verify (walk
// the hash chain; name the first entry that was edited, removed or reordered). Administrators only.

import express, { type RequestHandler, type Router } from 'express';
import { requirePermission } from '../../engine/rest/access.ts';
import { closedObject, validate } from '../../engine/rest/validation.ts';
import type { AuditEntry, AuditTrail } from './trail.ts';

const parse = (text: string | null): unknown => (text === null ? undefined : JSON.parse(text));

export function auditView(e: AuditEntry): object {
  return {
    seq: e.seq, at: e.at, actor: e.actor, action: e.action, target: e.target, outcome: e.outcome,
    before: parse(e.before), after: parse(e.after), detail: parse(e.detail), ip: e.ip, prev: e.prev, hash: e.hash,
  };
}

export function auditRoutes(trail: AuditTrail, authenticated: RequestHandler): Router {
  const router = express.Router();
  const admin = [authenticated, requirePermission('audit.read')];

  router.get('/', ...admin, validate({ query: closedObject({ from: { type: 'string', pattern: '^[0-9]{1,12}$' }, limit: { type: 'string', pattern: '^[0-9]{1,4}$' } }) }), async (req, res) => {
    const from = Number(req.query.from ?? 1);
    const limit = Number(req.query.limit ?? 100);
    res.json({ items: (await trail.list(from, limit)).map(auditView) });
  });

  router.get('/verify', ...admin, validate({}), async (_req, res) => {
    const result = await trail.verify();
    res.status(200).json(result);
  });

  return router;
}
