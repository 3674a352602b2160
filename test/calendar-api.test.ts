// /api/calendar: the working-day calendar's years as administrators enter them (access, validation,
// versions, audit) and how the working-day functions follow them, also from a second connection.
import assert from 'node:assert/strict';
import { openDatabase, type Database } from '../engine/db/connect.ts';
import { WorkingCalendar } from '../processes/calendar/store.ts';
import { isWorkingDay } from '../processes/working-days.ts';
import { createZoneFeature } from '../processes/zone-feature.ts';
import { DEMO_PASSWORD } from '../web/identity/bootstrap.ts';
import { ANONYMOUS, basic, startSecureApp, type SecureApp } from './helpers/secure-app.ts';

const admin = basic('admin', DEMO_PASSWORD);
const NOTICE = { title: '国务院办公厅关于2027年部分节假日安排的通知', number: '国办发明电〔2026〕7号' };
const spring = ['05', '06', '07', '08', '09', '10', '11'].map((d) => ({ date: `2027-02-${d}`, name: '春节' }));
const year2027 = (version: number, extra: Record<string, unknown> = {}) => ({
  version, notice: NOTICE, holidays: [{ date: '2027-01-01', name: '元旦' }, ...spring], workdays: [{ date: '2027-02-20', name: '春节' }], ...extra,
});
const at = (iso: string) => new Date(`${iso}T10:00:00+08:00`);

describe('calendar: /api/calendar', function () {
  this.timeout(60_000);
  let app: SecureApp;

  before(async () => {
    app = await startSecureApp('calendar_api', { features: [createZoneFeature({ seed: false })] });
  });
  after(() => app.close());

  it('is for administrators only', async () => {
    assert.equal((await app.call(ANONYMOUS, 'GET', '/api/calendar/years')).status, 401);
    for (const who of ['committee', 'leader', 'cadre']) {
      const r = await app.call(basic(who, DEMO_PASSWORD), 'GET', '/api/calendar/years');
      assert.equal(r.status, 403, who);
      assert.match(r.json.detail, /'org\.manage'/);
      assert.equal((await app.call(basic(who, DEMO_PASSWORD), 'PUT', '/api/calendar/years/2027', year2027(0))).status, 403);
    }
    assert.equal((await app.call(admin, 'GET', '/api/calendar/years')).status, 200);
  });

  it('lists the library\'s years and the coming one as provisional', async () => {
    const r = await app.call(admin, 'GET', '/api/calendar/years');
    assert.match(r.json.library, /^chinese-days /);
    const y2026 = r.json.items.find((i: any) => i.year === 2026);
    assert.deepEqual({ source: y2026.source, readOnly: y2026.readOnly }, { source: 'library', readOnly: true });
    assert.ok(y2026.holidays > 20 && y2026.workdays > 3);
    const y2027 = r.json.items.find((i: any) => i.year === 2027);
    assert.deepEqual({ source: y2027.source, holidays: y2027.holidays, workdays: y2027.workdays, version: y2027.version }, { source: 'provisional', holidays: 13, workdays: 0, version: 0 });
    assert.ok(r.json.provisional.includes(2027));
    const one = await app.call(admin, 'GET', '/api/calendar/years/2027');
    assert.deepEqual(one.json.holidays.filter((d: any) => d.name === '春节').map((d: any) => d.date), ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08']);
    const library = await app.call(admin, 'GET', '/api/calendar/years/2026');
    assert.ok(library.json.workdays.some((d: any) => d.date === '2026-02-14' && d.name === '春节'));
  });

  it('refuses bad years and days with a code and the field', async () => {
    const put = (body: unknown, year = '2027') => app.call(admin, 'PUT', `/api/calendar/years/${year}`, body);
    const cases: Array<[unknown, number, string, RegExp, string?]> = [
      [year2027(0), 409, 'YEAR_COVERED_BY_LIBRARY', /path\/year: 2026 comes from chinese-days/, '2026'],
      [year2027(0), 404, 'YEAR_OUTSIDE_CALENDAR', /path\/year/, '2101'],
      [year2027(0), 400, 'INVALID_ARGUMENT', /path\/year must be a year/, '27'],
      [year2027(0, { holidays: [{ date: '2028-01-01', name: '元旦' }] }), 400, 'DATE_OUTSIDE_YEAR', /body\/holidays\/0\/date: 2028-01-01 is not in 2027/],
      [year2027(0, { holidays: [{ date: '2027-02-30', name: '春节' }] }), 400, 'INVALID_DATE', /body\/holidays\/0\/date/],
      [year2027(0, { holidays: [{ date: '2027/02/05', name: '春节' }] }), 400, 'INVALID_ARGUMENT', /body\/holidays\/0\/date must be a date yyyy-mm-dd/],
      [year2027(0, { workdays: [{ date: '2027-02-06', name: '春节' }] }), 400, 'DAY_BOTH_HOLIDAY_AND_WORKDAY', /body\/workdays\/0\/date: 2027-02-06 is already a holiday/],
      [year2027(0, { holidays: [...spring, spring[0]] }), 400, 'DUPLICATE_DATE', /body\/holidays\/7\/date/],
      [year2027(0, { workdays: [{ date: '2027-02-17', name: '春节' }] }), 400, 'WORKDAY_NOT_WEEKEND', /body\/workdays\/0\/date: 2027-02-17 is a Wednesday/],
      [year2027(0, { holidays: [{ date: '2027-02-05', name: '' }] }), 400, 'INVALID_ARGUMENT', /body\/holidays\/0\/name/],
      [year2027(0, { holidays: [{ date: '2027-02-05', name: '   ' }] }), 400, 'NAME_REQUIRED', /body\/holidays\/0\/name/],
      [year2027(0, { holidays: [{ date: '2027-02-05', name: '春'.repeat(41) }] }), 400, 'INVALID_ARGUMENT', /body\/holidays\/0\/name/],
      [year2027(0, { holidays: Array.from({ length: 61 }, (_, i) => ({ date: '2027-03-01', name: String(i) })) }), 400, 'INVALID_ARGUMENT', /body\/holidays/],
      [year2027(0, { notice: { title: ' ' } }), 400, 'NAME_REQUIRED', /body\/notice\/title/],
      [year2027(0, { notice: undefined }), 400, 'INVALID_ARGUMENT', /body\/notice is required/],
      [year2027(0, { extra: 1 }), 400, 'INVALID_ARGUMENT', /body\/extra is not allowed/],
      [year2027(-1), 400, 'INVALID_ARGUMENT', /body\/version/],
      [year2027(3), 409, 'VERSION_CONFLICT', /body\/version: year 2027 is at version 0, not 3/],
    ];
    for (const [body, status, code, detail, year] of cases) {
      const r = await put(body, year);
      const label = `${JSON.stringify(body).slice(0, 120)} → ${r.status} ${r.json?.title} ${r.json?.detail}`;
      assert.equal(r.status, status, label);
      assert.equal(r.json.title, code, label);
      assert.match(r.json.detail, detail, label);
      assert.match(r.type, /problem\+json/);
    }
    assert.equal((await app.call(admin, 'GET', '/api/calendar/years/2027')).json.source, 'provisional', 'nothing was written');
  });

  it('enters 2027 (Spring Festival and a make-up Saturday), and the working days follow at once', async () => {
    assert.equal(isWorkingDay(at('2027-02-10')), true, 'provisional before');
    const r = await app.call(admin, 'PUT', '/api/calendar/years/2027', year2027(0));
    assert.equal(r.status, 201, r.json?.detail);
    assert.deepEqual({ source: r.json.source, version: r.json.version, enteredBy: r.json.enteredBy, notice: r.json.notice }, { source: 'supplement', version: 1, enteredBy: 'admin', notice: NOTICE });
    assert.equal(isWorkingDay(at('2027-02-10')), false, 'Feb 10 is in the entered Spring Festival');
    assert.equal(isWorkingDay(at('2027-02-20')), true, 'make-up Saturday');
    const list = await app.call(admin, 'GET', '/api/calendar/years');
    const y = list.json.items.find((i: any) => i.year === 2027);
    assert.deepEqual({ source: y.source, holidays: y.holidays, workdays: y.workdays, version: y.version }, { source: 'supplement', holidays: 8, workdays: 1, version: 1 });
    assert.ok(!list.json.provisional.includes(2027));
    const entries = await app.auth.trail.list(1, 1000);
    const audit = entries.find((e: any) => e.action === 'calendar.year.create');
    assert.ok(audit, 'audited');
    assert.equal(audit!.target, 'calendar/2027');
    assert.deepEqual(audit!.actor, { kind: 'user', id: 'admin' });
  });

  it('lets one of two edits of the same version win', async () => {
    const tries = await Promise.all([0, 1, 2, 3].map((i) => app.call(admin, 'PUT', '/api/calendar/years/2027', year2027(1, { notice: { title: `${NOTICE.title}（第${i}稿）` } }))));
    assert.deepEqual(tries.map((r) => r.status).sort(), [200, 409, 409, 409]);
    assert.ok(tries.filter((r) => r.status === 409).every((r) => r.json.title === 'VERSION_CONFLICT'));
    assert.equal((await app.call(admin, 'GET', '/api/calendar/years/2027')).json.version, 2);
    assert.ok((await app.auth.trail.list(1, 1000)).some((e: any) => e.action === 'calendar.year.update'));
  });

  it('deletes an entered year back to provisional counting, and it can be entered again', async () => {
    assert.equal((await app.call(admin, 'DELETE', '/api/calendar/years/2027')).status, 400, 'the version is required');
    assert.equal((await app.call(admin, 'DELETE', '/api/calendar/years/2027?version=1')).json.title, 'VERSION_CONFLICT');
    assert.equal((await app.call(admin, 'DELETE', '/api/calendar/years/2026?version=0')).json.title, 'YEAR_COVERED_BY_LIBRARY');
    assert.equal((await app.call(admin, 'DELETE', '/api/calendar/years/2028?version=0')).json.title, 'YEAR_NOT_ENTERED');
    assert.equal((await app.call(admin, 'DELETE', '/api/calendar/years/2027?version=2')).status, 204);
    const after = await app.call(admin, 'GET', '/api/calendar/years/2027');
    assert.deepEqual({ source: after.json.source, version: after.json.version }, { source: 'provisional', version: 3 });
    assert.equal(isWorkingDay(at('2027-02-10')), true);
    assert.ok((await app.auth.trail.list(1, 1000)).some((e: any) => e.action === 'calendar.year.delete'));
    assert.equal((await app.call(admin, 'PUT', '/api/calendar/years/2027', year2027(3))).status, 201);
  });

  it('reaches another connection on its next refresh, and edits there race fairly', async () => {
    let other: Database | undefined;
    const elsewhere = new WorkingCalendar((other = await openDatabase({ uri: app.db.uri })).connection);
    try {
      await elsewhere.start();
      assert.equal(elsewhere.get(2027)?.version, 4);
      assert.equal((await app.call(admin, 'PUT', '/api/calendar/years/2027', year2027(4, { workdays: [] }))).status, 200);
      assert.equal(elsewhere.get(2027)?.workdays.length, 1, 'not yet');
      await elsewhere.refresh();
      assert.equal(elsewhere.get(2027)?.workdays.length, 0);
      const days = { holidays: spring, workdays: [] };
      const results = await Promise.allSettled([
        elsewhere.put(2027, days, NOTICE, 5, 'other', new Date()),
        app.call(admin, 'PUT', '/api/calendar/years/2027', year2027(5)),
      ]);
      const wins = (results[0].status === 'fulfilled' ? 1 : 0) + (results[1].status === 'fulfilled' && results[1].value.status === 200 ? 1 : 0);
      assert.equal(wins, 1, JSON.stringify(results.map((r) => (r.status === 'fulfilled' ? (r.value as any).status ?? 'ok' : String(r.reason)))));
    } finally {
      elsewhere.stop();
      await other?.close();
    }
  });
});
