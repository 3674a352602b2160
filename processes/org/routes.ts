// /api/org: the zone's organisation, paged and searchable, and its import from spreadsheets.
//   GET  /api/org/grids | cadres | mentors | departments | enterprises
//   POST /api/org/import/cadres | enterprises   (CSV or .xlsx body; ?dryRun=true checks only)
// Every authenticated person may read the organisation (instances.read); enterprises are limited
// to the caller's grids unless the caller is zone-wide. Imports need org.manage.
import express, { type Router } from 'express';
import { actorOf, requirePermission } from '../../engine/rest/access.ts';
import { HttpProblem } from '../../engine/rest/problem.ts';
import { RuntimeError } from '../../engine/runtime.ts';
import { closedObject, validate } from '../../engine/rest/validation.ts';
import type { FeatureContext } from '../../web/feature.ts';
import { callerOf, contains, gridIdQuery, gridScope, pageQuery, paging, searchQuery } from './http.ts';
import { ImportFileError, importOrg, type ImportKind } from './import.ts';
import { orgModels } from './models.ts';
import { codes, COHORTS, DEPARTMENTS, INDUSTRIES, labelOf, UNITS } from './reference.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MAX_UPLOAD = 5 * 1024 * 1024;

const listQuery = (extra: Record<string, unknown> = {}) => closedObject({ ...pageQuery, q: searchQuery, ...extra });

export function orgRoutes(ctx: FeatureContext): Router {
  const router = express.Router();
  const org = orgModels(ctx.connection);
  const read = requirePermission('instances.read');

  const page = async (model: any, filter: Record<string, unknown>, query: Record<string, unknown>, sort: Record<string, 1 | -1>, shape: (d: any) => unknown) => {
    const { page: n, pageSize, skip } = paging(query);
    const [items, totalItems] = await Promise.all([model.find(filter).sort(sort).skip(skip).limit(pageSize).lean(), model.countDocuments(filter)]);
    return { items: (items as any[]).map(shape), page: { page: n, pageSize, totalItems } };
  };

  router.get('/grids', read, validate({}), async (_req, res) => {
    const [grids, cadres, enterprises] = await Promise.all([
      org.grids.find({}).lean<any[]>(),
      org.cadres.aggregate([{ $group: { _id: '$gridId', n: { $sum: 1 } } }]),
      org.enterprises.aggregate([{ $group: { _id: '$gridId', n: { $sum: 1 } } }]),
    ]);
    const count = (rows: any[], id: string) => rows.find((r) => r._id === id)?.n ?? 0;
    const names = new Map((await org.cadres.find({ _id: { $in: grids.flatMap((g) => [g.leader, ...(g.deputies ?? [])]).filter(Boolean) } }, { name: 1 }).lean<any[]>()).map((c) => [c._id, c.name]));
    const items = grids.sort((a, b) => Number(a._id) - Number(b._id)).map((g) => ({
      id: g._id, name: g.name, area: g.area, cadres: count(cadres, g._id), enterprises: count(enterprises, g._id),
      leader: g.leader === null ? null : { id: g.leader, name: names.get(g.leader) ?? null },
      deputies: (g.deputies ?? []).map((id: string) => ({ id, name: names.get(id) ?? null })),
    }));
    res.json({ items, page: { page: 1, pageSize: items.length, totalItems: items.length } });
  });

  router.get('/cadres', read, validate({ query: listQuery({ gridId: gridIdQuery, cohort: { enum: codes(COHORTS) }, unit: { enum: codes(UNITS) } }) }), async (req, res) => {
    const q = req.query as Record<string, string>;
    const filter: Record<string, unknown> = {};
    if (q.gridId) filter.gridId = q.gridId;
    if (q.cohort) filter.cohort = q.cohort;
    if (q.unit) filter.unit = q.unit;
    if (q.q) filter.$or = [{ name: contains(q.q) }, { _id: q.q }];
    res.json(await page(org.cadres, filter, q, { _id: 1 }, (c) => ({
      id: c._id, name: c.name, cohort: c.cohort, cohortLabel: labelOf(COHORTS, c.cohort), unit: c.unit, unitLabel: labelOf(UNITS, c.unit),
      department: c.department, gridId: c.gridId, roles: c.roles, username: c.username, mentorId: c.mentorId, birthYear: c.birthYear,
    })));
  });

  router.get('/mentors', read, validate({ query: listQuery() }), async (req, res) => {
    const q = req.query as Record<string, string>;
    res.json(await page(org.mentors, q.q ? { name: contains(q.q) } : {}, q, { _id: 1 }, (m) => ({ id: m._id, name: m.name, title: m.title, unit: m.unit, username: m.username })));
  });

  router.get('/departments', read, validate({ query: listQuery() }), async (req, res) => {
    const q = req.query as Record<string, string>;
    res.json(await page(org.departments, q.q ? { name: contains(q.q) } : {}, q, { _id: 1 }, (d) => ({ code: d._id, name: d.name, group: d.group })));
  });

  router.get('/enterprises', read, validate({ query: listQuery({ gridId: gridIdQuery, industry: { enum: codes(INDUSTRIES) } }) }), async (req, res) => {
    const q = req.query as Record<string, string>;
    const scope = gridScope(callerOf(res));
    const and: Record<string, unknown>[] = [];
    if (scope) and.push({ gridId: { $in: scope } });
    if (q.gridId) and.push({ gridId: q.gridId });
    if (q.industry) and.push({ industry: q.industry });
    if (q.q) {
      const code = q.q.trim().toUpperCase();
      and.push(/^[0-9A-Z]{2,18}$/.test(code) ? { $or: [{ name: contains(q.q) }, { _id: { $regex: `^${code}` } }] } : { name: contains(q.q) });
    }
    const filter = and.length === 0 ? {} : { $and: and };
    res.json(await page(org.enterprises, filter, q, { _id: 1 }, (e) => ({
      uscc: e._id, name: e.name, industry: e.industry, industryLabel: labelOf(INDUSTRIES, e.industry), gridId: e.gridId, address: e.address, contact: e.contact,
    })));
  });

  // Browsers on Windows label .csv files application/vnd.ms-excel: the content decides.
  const upload = express.raw({ type: ['text/csv', 'application/csv', 'text/plain', XLSX, 'application/octet-stream', 'application/vnd.ms-excel'], limit: MAX_UPLOAD });
  router.post('/import/:kind', requirePermission('org.manage'),
    validate({ params: closedObject({ kind: { enum: ['cadres', 'enterprises'] } }, ['kind']), query: closedObject({ dryRun: { enum: ['true', 'false'] } }) }),
    upload,
    async (req, res) => {
      const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (![XLSX, 'text/csv', 'application/csv', 'text/plain', 'application/octet-stream', 'application/vnd.ms-excel'].includes(type)) throw new HttpProblem(415, 'UNSUPPORTED_MEDIA_TYPE', `send the file as text/csv or ${XLSX}`);
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new HttpProblem(400, 'INVALID_ARGUMENT', 'body: the file is empty');
      if (isOle(req.body)) throw new HttpProblem(415, 'UNSUPPORTED_MEDIA_TYPE', 'body: old Excel workbooks (.xls) are not read; save the sheet as .xlsx or CSV');
      const format = type === XLSX || isZip(req.body) ? 'xlsx' : 'csv';
      const kind = String(req.params.kind) as ImportKind;
      let report;
      try {
        report = await importOrg(ctx.connection, kind, req.body, format, { dryRun: req.query.dryRun === 'true', now: new Date(ctx.now()) });
      } catch (err) {
        if (err instanceof ImportFileError) throw new RuntimeError(400, 'INVALID_ARGUMENT', `body: ${err.message}`, { code: err.code, ...(err.params && { params: err.params }) });
        throw err;
      }
      if (!report.dryRun && report.accepted > 0 && ctx.auth !== 'unprotected') {
        const record = { action: `org.import`, actor: actorOf(callerOf(res)), target: `org/${kind}`, outcome: 'success' as const, after: { created: report.created, updated: report.updated, rejected: report.rejected.length } };
        await ctx.auth.trail.append(record, { ip: req.ip ?? null }).catch((err: unknown) => console.error(`AUDIT APPEND FAILED for ${JSON.stringify(record)}`, err));
      }
      res.json(report);
    });

  return router;
}

const isZip = (b: Buffer) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b;
const isOle = (b: Buffer) => b.length > 8 && b.readUInt32BE(0) === 0xd0cf11e0;
