// GET /api/cadres/{id}/record: a cadre's record. Zone-wide callers and administrators of the
// organisation see every record; mentors (导师帮带团) theirs to review; a grid leader the cadres of
// their grids; a cadre their own (the user linked to the cadre).
import express, { type Router } from 'express';
import { requirePermission, type Principal } from '../../engine/rest/access.ts';
import { HttpProblem } from '../../engine/rest/problem.ts';
import { closedObject, validate } from '../../engine/rest/validation.ts';
import type { FeatureContext } from '../../web/feature.ts';
import { callerOf } from '../org/http.ts';
import { RecordService } from './service.ts';

const params = closedObject({ id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$', 'x-message': 'must be a cadre id such as C0001' } }, ['id']);

export function mayReadRecord(p: Principal, cadre: { gridId: string; username: string | null }): boolean {
  if (p.zoneWide || p.permissions.has('org.manage')) return true;
  if (p.roles.includes('mentor') || p.groups.includes('mentors')) return true;
  if (p.roles.includes('grid-leader') && p.grids.includes(cadre.gridId)) return true;
  return cadre.username !== null && cadre.username === p.id;
}

export function recordRoutes(ctx: FeatureContext): Router {
  const router = express.Router();
  const records = new RecordService(ctx.connection, ctx.now);
  router.get('/:id/record', requirePermission('instances.read'), validate({ params }), async (req, res) => {
    const id = String(req.params.id);
    const cadre = await records.org.cadres.findById(id).lean<any>();
    if (!cadre) throw new HttpProblem(404, 'NOT_FOUND', `Cadre ${id} not found`);
    const p = callerOf(res);
    if (!mayReadRecord(p, cadre)) throw new HttpProblem(403, 'FORBIDDEN', `The record of cadre ${id} is for the cadre, their grid leader, the mentors and the committee`);
    res.json(await records.recordOf(id));
  });
  return router;
}
