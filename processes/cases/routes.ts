// /api/cases: the cases (诉求件) a caller may see, filtered, sorted and paged; one case with its
// timeline. Zone-wide callers see every case; others their grids' cases, the cases referred to a
// group of theirs (a department, the zone centre…) and those they handle.
import express, { type Router } from 'express';
import { requirePermission, type Principal } from '../../engine/rest/access.ts';
import { HttpProblem } from '../../engine/rest/problem.ts';
import { closedObject, validate } from '../../engine/rest/validation.ts';
import type { FeatureContext } from '../../web/feature.ts';
import { callerOf, contains, gridIdQuery, isoDateQuery, pageQuery, paging, queryInstant } from '../org/http.ts';
import { codes, CASE_CATEGORIES, labelOf, RATINGS, URGENCIES } from '../org/reference.ts';
import { caseModels, CASE_STATUSES, STATUS_LABELS } from './model.ts';
import { CASE_NUMBER } from './numbers.ts';

const SORTS = ['filedAt', 'deadline', 'closedAt', 'number', 'tier', 'resolutionWorkingDays'] as const;

const listQuery = closedObject({
  ...pageQuery,
  gridId: gridIdQuery,
  category: { enum: codes(CASE_CATEGORIES) },
  tier: { enum: ['1', '2', '3'] },
  status: { enum: [...CASE_STATUSES, 'open'] },
  urgency: { enum: codes(URGENCIES) },
  overdue: { enum: ['true', 'false'] },
  enterprise: { type: 'string', pattern: '^[0-9A-Z]{1,18}$', 'x-message': 'must be a unified social credit code (or its beginning)' },
  from: isoDateQuery,
  to: isoDateQuery,
  sort: { enum: SORTS.flatMap((s) => [s, `-${s}`]) },
  q: { type: 'string', minLength: 1, maxLength: 100 },
});

const numberParams = closedObject({ number: { type: 'string', pattern: CASE_NUMBER.source, 'x-message': 'must be a case number such as SQ-202611-0001' } }, ['number']);

/** Which cases a caller may see, as a filter; null: all. */
export function caseVisibility(p: Principal): Record<string, unknown> | null {
  if (p.zoneWide) return null;
  return { $or: [{ gridId: { $in: [...p.grids] } }, { groups: { $in: [...p.groups] } }, { handler: p.id }] };
}

function canSee(p: Principal, c: any): boolean {
  return p.zoneWide || p.grids.includes(c.gridId) || c.groups.some((g: string) => p.groups.includes(g)) || c.handler === p.id;
}


export function caseSummary(c: any, now: number) {
  return {
    number: c._id, title: c.title, enterprise: c.enterprise, gridId: c.gridId,
    category: c.category, categoryLabel: labelOf(CASE_CATEGORIES, c.category), urgency: c.urgency, urgencyLabel: labelOf(URGENCIES, c.urgency),
    tier: c.tier, status: c.status, statusLabel: STATUS_LABELS[c.status] ?? c.status, handler: c.handler, filedBy: c.filedBy,
    filedAt: c.filedAt, deadline: c.deadline, warnAt: c.warnAt,
    overdue: c.status !== 'closed' && (c.overdue === true || (c.deadline !== null && +new Date(c.deadline) < now)),
    closedAt: c.closedAt, rating: c.rating, ratingLabel: c.rating === null ? null : labelOf(RATINGS, c.rating), reopenCount: c.reopenCount,
    resolutionWorkingDays: c.resolutionWorkingDays,
  };
}

export function caseRoutes(ctx: FeatureContext): Router {
  const router = express.Router();
  const { cases, facts } = caseModels(ctx.connection);

  router.get('/', requirePermission('instances.read'), validate({ query: listQuery }), async (req, res) => {
    const q = req.query as Record<string, string>;
    const p = callerOf(res);
    const now = ctx.now();
    const and: Record<string, unknown>[] = [];
    const visible = caseVisibility(p);
    if (visible) and.push(visible);
    if (q.gridId) and.push({ gridId: q.gridId });
    if (q.category) and.push({ category: q.category });
    if (q.tier) and.push({ tier: Number(q.tier) });
    if (q.urgency) and.push({ urgency: q.urgency });
    if (q.status === 'open') and.push({ status: { $ne: 'closed' } });
    else if (q.status) and.push({ status: q.status });
    if (q.q) and.push({ $or: [{ title: contains(q.q) }, { 'enterprise.name': contains(q.q) }, { _id: q.q.trim().toUpperCase() }] });
    if (q.enterprise) and.push(q.enterprise.length === 18 ? { 'enterprise.uscc': q.enterprise } : { 'enterprise.uscc': { $regex: `^${q.enterprise}` } });
    const range: Record<string, Date> = {};
    for (const [name, op] of [['from', '$gte'], ['to', '$lt']] as const) {
      if (!q[name]) continue;
      const d = queryInstant(q[name]);
      if (d === null) throw new HttpProblem(400, 'INVALID_ARGUMENT', `query/${name} is not a valid date`);
      range[op] = d;
    }
    if (Object.keys(range).length > 0) and.push({ filedAt: range });
    const late = { $or: [{ overdue: true }, { deadline: { $ne: null, $lt: new Date(now) } }] };
    if (q.overdue === 'true') and.push({ status: { $ne: 'closed' } }, late);
    if (q.overdue === 'false') and.push({ $or: [{ status: 'closed' }, { overdue: { $ne: true }, $or: [{ deadline: null }, { deadline: { $gte: new Date(now) } }] }] });
    const filter = and.length === 0 ? {} : and.length === 1 ? and[0]! : { $and: and };
    const { page, pageSize, skip } = paging(q);
    const sortKey = (q.sort ?? '-filedAt').replace(/^-/, '');
    const dir = (q.sort ?? '-filedAt').startsWith('-') ? -1 : 1;
    const field = sortKey === 'number' ? '_id' : sortKey;
    const [items, totalItems] = await Promise.all([
      facts.find(filter).sort({ [field]: dir, ...(field === '_id' ? {} : { _id: dir }) }).skip(skip).limit(pageSize).lean<any[]>(),
      facts.countDocuments(filter),
    ]);
    res.json({ items: items.map((c) => caseSummary(c, now)), page: { page, pageSize, totalItems } });
  });

  router.get('/:number', requirePermission('instances.read'), validate({ params: numberParams }), async (req, res) => {
    const c = await cases.findById(String(req.params.number)).lean<any>();
    if (!c) throw new HttpProblem(404, 'NOT_FOUND', `Case ${String(req.params.number)} not found`);
    const p = callerOf(res);
    if (!canSee(p, c)) throw new HttpProblem(403, 'FORBIDDEN', `Case ${c._id} belongs to grid ${c.gridId}, which is not one of ${p.id}'s grids`);
    res.json({
      ...caseSummary(c, ctx.now()), description: c.description, tags: c.tags, groups: c.groups, whistled: c.whistled, escalations: c.escalations,
      resolvedAt: c.resolvedAt, metDeadline: c.metDeadline, processInstanceKeys: c.processInstanceKeys, visitKey: c.visitKey,
      parentCaseNumber: c.parentCaseNumber,
      timeline: c.timeline.map(({ jobKey: _j, ...t }: any) => t),
    });
  });

  return router;
}
