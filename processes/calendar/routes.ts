// /api/calendar: the working-day calendar's years (administrators: `org.manage`, like the zone's other
// reference data).
//   GET    /api/calendar/years          every year the calendar answers for now: its source (library |
//                                        supplement | provisional) and day counts
//   GET    /api/calendar/years/:year    one year's holidays and make-up workdays
//   PUT    /api/calendar/years/:year    enter or replace a year the library does not cover; body names the
//                                        version it was made on (0 for a new year): 409 VERSION_CONFLICT else
//   DELETE /api/calendar/years/:year?version=n   back to provisional counting
// Years the library covers are read-only (409 YEAR_COVERED_BY_LIBRARY). Changes are audited.
import express, { type Request, type Response, type Router } from 'express';
import { auditAsCaller, principalOf, requirePermission, type AuditRecord } from '../../engine/rest/access.ts';
import { HttpProblem } from '../../engine/rest/problem.ts';
import { closedObject, validate } from '../../engine/rest/validation.ts';
import type { FeatureContext } from '../../web/feature.ts';
import { calendarSourceOf, COVERED_YEARS, libraryDays, PROVISIONAL_LIMIT, provisionalYearsCounted, type CalendarDays } from '../working-days.ts';
import { statutoryHolidays } from './provisional.ts';
import { checkYearDays, MAX_HOLIDAYS, MAX_NAME, MAX_WORKDAYS } from './check.ts';
import { CalendarConflict, type EnteredYear, type WorkingCalendar } from './store.ts';

const yearParams = closedObject({ year: { type: 'string', pattern: '^[0-9]{4}$', 'x-message': 'must be a year such as 2027' } }, ['year']);
const versionSchema = { type: 'integer', minimum: 0, maximum: 1_000_000 };
const namedDays = (max: number) => ({
  type: 'array', maxItems: max,
  items: closedObject({
    date: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', 'x-message': 'must be a date yyyy-mm-dd' },
    name: { type: 'string', minLength: 1, maxLength: MAX_NAME },
  }, ['date', 'name']),
});
const yearBody = closedObject({
  version: versionSchema,
  holidays: namedDays(MAX_HOLIDAYS),
  workdays: namedDays(MAX_WORKDAYS),
  notice: closedObject({ title: { type: 'string', minLength: 1, maxLength: 200 }, number: { type: ['string', 'null'], maxLength: 100 } }, ['title']),
}, ['version', 'holidays', 'workdays', 'notice']);

const HOUR = 3_600_000;
const zoneYear = (ms: number) => new Date(ms + 8 * HOUR).getUTCFullYear();

export function calendarRoutes(ctx: FeatureContext, calendar: WorkingCalendar): Router {
  const router = express.Router();
  const admin = requirePermission('org.manage');

  const audit = async (req: Request, res: Response, record: Omit<AuditRecord, 'actor' | 'outcome'>) => {
    if (ctx.auth === 'unprotected') return;
    const { identity } = ctx.auth;
    await auditAsCaller((r, q) => identity.audit(r, q), req, res, record);
  };

  const yearOf = (req: Request) => {
    const year = Number(req.params.year);
    if (year < COVERED_YEARS.first || year > PROVISIONAL_LIMIT) {
      throw new HttpProblem(404, 'YEAR_OUTSIDE_CALENDAR', `path/year: the calendar answers for ${COVERED_YEARS.first}–${PROVISIONAL_LIMIT}, not ${year}`);
    }
    return year;
  };
  const writable = (year: number) => {
    if (calendarSourceOf(year) === 'library') {
      throw new HttpProblem(409, 'YEAR_COVERED_BY_LIBRARY', `path/year: ${year} comes from ${COVERED_YEARS.library} (the State Council's notice) and cannot be changed here`);
    }
  };

  const summary = (year: number) => {
    const { holidays, workdays, ...rest } = detail(year, calendar.get(year), calendar.versionOf(year));
    return { ...rest, holidays: holidays.length, workdays: workdays.length };
  };

  router.get('/years', admin, validate({}), async (_req, res) => {
    await calendar.refresh();
    const entered = calendar.list().map((y) => y.year);
    // Provisional years listed: the coming year (deadlines reach into it) and any counted so far.
    const last = Math.max(COVERED_YEARS.last + 1, zoneYear(ctx.now()) + 1, ...entered, ...provisionalYearsCounted());
    const items = [];
    for (let y = Math.min(last, PROVISIONAL_LIMIT); y >= COVERED_YEARS.first; y -= 1) items.push(summary(y));
    res.json({ items, library: COVERED_YEARS.library, provisional: items.filter((i) => i.source === 'provisional').map((i) => i.year) });
  });

  router.get('/years/:year', admin, validate({ params: yearParams }), async (req, res) => {
    const year = yearOf(req);
    await calendar.refresh();
    res.json(detail(year, calendar.get(year), calendar.versionOf(year)));
  });

  router.put('/years/:year', admin, validate({ params: yearParams, body: yearBody, bodyRequired: true }), async (req, res) => {
    const year = yearOf(req);
    writable(year);
    const body = req.body as CalendarDays & { version: number; notice: { title: string; number?: string | null } };
    const trim = (list: CalendarDays['holidays']) => list.map((d) => ({ date: d.date, name: d.name.trim() }));
    const days = { holidays: trim(body.holidays), workdays: trim(body.workdays) };
    const problem = checkYearDays(year, days);
    if (problem) throw new HttpProblem(400, problem.code, `${problem.field}: ${problem.message}`);
    if (body.notice.title.trim() === '') throw new HttpProblem(400, 'NAME_REQUIRED', 'body/notice/title: the notice title must not be blank');
    const before = calendar.get(year);
    const notice = { title: body.notice.title.trim(), number: body.notice.number?.trim() || null };
    const saved = await conflicts('body/version', () => calendar.put(year, days, notice, body.version, principalOf(res).id, new Date(ctx.now())));
    await audit(req, res, {
      action: before ? 'calendar.year.update' : 'calendar.year.create', target: `calendar/${year}`,
      before: before ? counts(before) : null, after: { ...counts(saved), notice: notice.title },
    });
    res.status(before ? 200 : 201).json(detail(year, saved, saved.version));
  });

  router.delete('/years/:year', admin, validate({ params: yearParams, query: closedObject({ version: { type: 'string', pattern: '^[0-9]{1,7}$', 'x-message': 'must be the version being deleted' } }, ['version']) }), async (req, res) => {
    const year = yearOf(req);
    writable(year);
    const before = calendar.get(year);
    if (!before) throw new HttpProblem(404, 'YEAR_NOT_ENTERED', `path/year: no administrator has entered ${year}; it is counted provisionally`);
    await conflicts('query/version', () => calendar.remove(year, Number(req.query.version), principalOf(res).id, new Date(ctx.now())));
    await audit(req, res, { action: 'calendar.year.delete', target: `calendar/${year}`, before: counts(before), after: null });
    res.status(204).end();
  });

  return router;
}

const counts = (y: EnteredYear) => ({ version: y.version, holidays: y.holidays.length, workdays: y.workdays.length });

function detail(year: number, entered: EnteredYear | undefined, version: number) {
  const source = calendarSourceOf(year)!;
  const days: CalendarDays = source === 'library' ? libraryDays(year) : entered ?? { holidays: statutoryHolidays(year), workdays: [] };
  return {
    year, source, version, readOnly: source === 'library', ...days,
    notice: source === 'supplement' ? entered!.notice : null,
    enteredBy: source === 'supplement' ? entered!.enteredBy : null,
    enteredAt: source === 'supplement' ? entered!.enteredAt : null,
  };
}

async function conflicts<T>(field: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CalendarConflict) throw new HttpProblem(409, 'VERSION_CONFLICT', `${field}: ${err.message}`);
    throw err;
  }
}
