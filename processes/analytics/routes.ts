// /api/analytics: the committee's figures and the monthly grid report.
//   GET /api/analytics/summary?from&to&gridId
//   GET /api/analytics/monthly?month&gridId
// Zone-wide callers see the zone or any grid; a caller with grids sees only those (the figures of
// all their grids when no gridId is given); callers without a grid get 403. Answers are cached
// briefly (cache.ts).
import express, { type Router } from 'express';
import { requirePermission, type Principal } from '../../engine/rest/access.ts';
import { HttpProblem } from '../../engine/rest/problem.ts';
import { closedObject, validate } from '../../engine/rest/validation.ts';
import type { FeatureContext } from '../../web/feature.ts';
import { caseModels } from '../cases/model.ts';
import { callerOf, gridIdQuery, isoDateQuery, queryInstant } from '../org/http.ts';
import { summary } from './figures.ts';
import { monthBounds, monthlyReport } from './monthly.ts';
import { cached } from './cache.ts';

export const monthQuery = { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$', 'x-message': 'must be a month such as 2026-11' } as const;

/** The grids a caller's figures cover (null: the whole zone); 403 for a grid not theirs. The export of the monthly report (web/app/server/monthly-export.ts) follows it too. */
export function grids(p: Principal, gridId: string | undefined): string[] | null {
  if (p.zoneWide) return gridId ? [gridId] : null;
  if (p.grids.length === 0) throw new HttpProblem(403, 'FORBIDDEN', `Analytics cover grids: ${p.id} belongs to none`);
  if (gridId === undefined) return [...p.grids];
  if (!p.grids.includes(gridId)) throw new HttpProblem(403, 'FORBIDDEN', `Grid ${gridId} is not one of ${p.id}'s grids`);
  return [gridId];
}

const bound = (name: string, s: string) => {
  const d = queryInstant(s);
  if (d === null) throw new HttpProblem(400, 'INVALID_ARGUMENT', `query/${name} is not a valid date`);
  return d;
};

export function analyticsRoutes(ctx: FeatureContext): Router {
  const router = express.Router();
  const { facts } = caseModels(ctx.connection);
  const db = ctx.connection.name;
  const read = requirePermission('instances.read');

  router.get('/summary', read, validate({ query: closedObject({ from: isoDateQuery, to: isoDateQuery, gridId: gridIdQuery }) }), async (req, res) => {
    const q = req.query as Record<string, string>;
    const gridIds = grids(callerOf(res), q.gridId);
    const scope = { ...(q.from ? { from: bound('from', q.from) } : {}), ...(q.to ? { to: bound('to', q.to) } : {}), gridIds };
    res.json(await cached(`${db} summary ${JSON.stringify(scope)}`, ctx.now(), () => summary(facts, scope)));
  });

  router.get('/monthly', read, validate({ query: closedObject({ month: monthQuery, gridId: gridIdQuery }, ['month']) }), async (req, res) => {
    const q = req.query as Record<string, string>;
    const gridIds = grids(callerOf(res), q.gridId);
    monthBounds(q.month!);
    if (gridIds === null || gridIds.length === 1) {
      res.json(await cached(`${db} monthly ${q.month} ${gridIds?.[0] ?? ''}`, ctx.now(), () => monthlyReport(facts, q.month!, gridIds?.[0] ?? null)));
      return;
    }
    // A caller with several grids: one report per grid.
    res.json({ month: q.month, grids: await Promise.all(gridIds.map((g) => cached(`${db} monthly ${q.month} ${g}`, ctx.now(), () => monthlyReport(facts, q.month!, g)))) });
  });

  return router;
}
