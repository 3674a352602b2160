// The analytics figures on a small fixed set of cases, against figures worked out by hand
// (November 2026 has no public holiday: working days are Monday to Friday).
import assert from 'node:assert/strict';
import { summary } from '../processes/analytics/figures.ts';
import { monthlyReport } from '../processes/analytics/monthly.ts';
import { caseModels } from '../processes/cases/model.ts';
import { CaseService } from '../processes/cases/service.ts';
import { orgModels } from '../processes/org/models.ts';
import { createZoneFeature } from '../processes/zone-feature.ts';
import { usccCheckCharacter } from '../forms/uscc.ts';
import { DEMO_PASSWORD } from '../web/identity/bootstrap.ts';
import { basic, startSecureApp, type SecureApp } from './helpers/secure-app.ts';

const uscc = (body17: string) => body17 + usccCheckCharacter(body17)!;
const E3 = uscc('91330113MA2D30001');
const E5 = uscc('91330113MA2D50001');
const at = (local: string) => ({ at: new Date(`2026-${local}+08:00`) });
const NOV = { from: new Date('2026-11-01T00:00:00+08:00'), to: new Date('2026-12-01T00:00:00+08:00') };

describe('zone: analytics', function () {
  this.timeout(60_000);
  let app: SecureApp;
  let facts: any;

  before(async () => {
    app = await startSecureApp('zone_analytics', { features: [createZoneFeature({ seed: false })] });
    const org = orgModels(app.db.connection);
    await org.grids.insertMany([1, 2, 3, 4, 5, 6].map((n) => ({ _id: String(n), name: `第${n}网格` })));
    await org.enterprises.insertMany([
      { _id: E3, name: '第三网格企业', industry: 'smart-manufacturing', gridId: '3' },
      { _id: E5, name: '第五网格企业', industry: 'biomedicine', gridId: '5' },
    ]);
    facts = caseModels(app.db.connection).facts;
    const s = new CaseService(app.db.connection);
    const open = async (enterprise: string, category: string, tags: string[], when: string) => (await s.open({ enterprise, category, title: category, tags }, at(when)))._id as string;
    const ev = (n: string, event: string, when: string, fields: Record<string, unknown> = {}) => s.apply(n, event, fields, at(when));

    // A: grid 3, safety, Mon 2 → Wed 4 (2 working days), deadline Mon 9 met, 满意.
    const a = await open(E3, 'safety', ['消防验收'], '11-02T10:00:00');
    await s.setDeadline(a, { slaDays: 5 }, at('11-02T10:00:00'));
    await ev(a, 'resolved', '11-04T11:00:00'); await ev(a, 'rated', '11-04T14:00:00', { rating: '满意' }); await ev(a, 'closed', '11-04T15:00:00');
    // B: grid 3, safety, Mon 2 → Mon 9 (5), resolved 09:00 before the 10:00 deadline, 基本满意.
    const b = await open(E3, 'safety', ['消防验收'], '11-02T10:00:00');
    await s.setDeadline(b, { slaDays: 5 }, at('11-02T10:00:00'));
    await ev(b, 'resolved', '11-09T09:00:00'); await ev(b, 'rated', '11-09T12:00:00', { rating: '基本满意' }); await ev(b, 'closed', '11-09T16:00:00');
    // C: grid 3, tax, Tue 3 → Tue 17 (10), escalated to tier 2, tier-1 deadline missed, 不满意.
    const c = await open(E3, 'tax', ['留抵退税'], '11-03T10:00:00');
    await s.setDeadline(c, { slaDays: 5 }, at('11-03T10:00:00'));
    await ev(c, 'escalated', '11-05T10:00:00', { reason: '需经开区协调' });
    await ev(c, 'overdue', '11-10T10:00:00');
    await s.setDeadline(c, { slaDays: 10 }, at('11-05T10:05:00'));
    await ev(c, 'resolved', '11-16T10:00:00'); await ev(c, 'rated', '11-17T09:00:00', { rating: '不满意' }); await ev(c, 'closed', '11-17T10:00:00');
    // D: grid 5, policy, Wed 4 → Thu 5 (1), reopened once after a bad rating, then 满意; no deadline.
    const d = await open(E5, 'policy', [], '11-04T10:00:00');
    await ev(d, 'resolved', '11-04T15:00:00'); await ev(d, 'rated', '11-04T16:00:00', { rating: '不满意' }); await ev(d, 'reopened', '11-04T16:30:00');
    await ev(d, 'resolved', '11-05T10:00:00'); await ev(d, 'rated', '11-05T11:00:00', { rating: '满意' }); await ev(d, 'closed', '11-05T12:00:00');
    // E: grid 5, land, Thu 5, still open; its deadline (Thu 12) passes within the month.
    const e = await open(E5, 'land', ['用地指标'], '11-05T10:00:00');
    await s.setDeadline(e, { slaDays: 5 }, at('11-05T10:00:00'));
    await ev(e, 'accepted', '11-05T11:00:00');
    // F: grid 3, safety, filed Fri Oct 30, closed Tue Nov 3 (2: Mon 2, Tue 3), 满意: closed in November, filed before.
    const f = await open(E3, 'safety', ['消防验收'], '10-30T10:00:00');
    await ev(f, 'rated', '11-03T09:00:00', { rating: '满意' }); await ev(f, 'closed', '11-03T10:00:00');
  });
  after(() => app.close());

  it('computes the zone\'s November figures', async () => {
    const s = await summary(facts, NOV);
    assert.equal(s.filed, 5);
    assert.equal(s.closed, 5);
    assert.deepEqual(s.byCategoryTierGrid, [
      { category: 'land', tier: 1, gridId: '5', cases: 1 },
      { category: 'policy', tier: 1, gridId: '5', cases: 1 },
      { category: 'safety', tier: 1, gridId: '3', cases: 2 },
      { category: 'tax', tier: 2, gridId: '3', cases: 1 },
    ]);
    assert.deepEqual(s.byMonthGrid, [{ month: '2026-11', gridId: '3', filed: 3, closed: 4 }, { month: '2026-11', gridId: '5', filed: 2, closed: 1 }]);
    // Resolution times [1, 2, 2, 5, 10]: p50 = rank 3, p90 = rank 5, average 20 / 5.
    assert.deepEqual(s.resolution, { cases: 5, p50: 2, p90: 10, average: 4 });
    assert.deepEqual(s.compliance, { withDeadline: 3, met: 2, rate: 0.6667 });
    assert.deepEqual(s.reopen, { reopenedCases: 1, reopenings: 1, rate: 0.2 });
    assert.deepEqual(s.ratings, { rated: 5, satisfied: 3, fair: 1, dissatisfied: 1, satisfactionRate: 0.8 });
    assert.deepEqual(s.topProblems.categories, [{ category: 'safety', cases: 2 }, { category: 'land', cases: 1 }, { category: 'policy', cases: 1 }, { category: 'tax', cases: 1 }]);
    assert.deepEqual(s.topProblems.tags, [{ tag: '消防验收', cases: 2 }, { tag: '用地指标', cases: 1 }, { tag: '留抵退税', cases: 1 }]);
  });

  it('computes one grid\'s figures', async () => {
    const s = await summary(facts, { ...NOV, gridIds: ['3'] });
    assert.deepEqual([s.filed, s.closed], [3, 4]);
    // [2, 2, 5, 10]: p50 = rank 2, p90 = rank 4, average 19 / 4.
    assert.deepEqual(s.resolution, { cases: 4, p50: 2, p90: 10, average: 4.75 });
    assert.deepEqual(s.reopen, { reopenedCases: 0, reopenings: 0, rate: 0 });
  });

  it('compiles the monthly grid report, with the cases open at the month\'s end', async () => {
    const r = await monthlyReport(facts, '2026-11', '5');
    assert.deepEqual([r.month, r.gridId, r.filed, r.closed, r.openAtEnd, r.overdueAtEnd], ['2026-11', '5', 2, 1, 1, 1]);
    const oct = await monthlyReport(facts, '2026-10', '3');
    assert.deepEqual([oct.filed, oct.closed, oct.openAtEnd, oct.overdueAtEnd], [1, 0, 1, 0], 'F was open at the end of October');
  });

  it('serves the figures over HTTP, scoped to the caller\'s grids', async () => {
    const committee = basic('committee', DEMO_PASSWORD);
    const leader = basic('leader', DEMO_PASSWORD);
    const zone = await app.call(committee, 'GET', '/api/analytics/summary?from=2026-11-01&to=2026-12-01');
    assert.equal(zone.status, 200, zone.text);
    assert.equal(zone.json.filed, 5);
    // Date-times whose '+' arrived unencoded (a space) mean what the caller wrote.
    const unencoded = await app.call(committee, 'GET', '/api/analytics/summary?from=2026-11-01T00:00:00+08:00&to=2026-12-01T00:00:00+08:00');
    assert.deepEqual([unencoded.status, unencoded.json.filed, unencoded.json.range.from], [200, 5, '2026-10-31T16:00:00.000Z']);
    assert.equal((await app.call(committee, 'GET', '/api/analytics/summary?from=2026-02-30T00:00:00Z')).status, 400);
    const mine = await app.call(leader, 'GET', '/api/analytics/summary?from=2026-11-01&to=2026-12-01');
    assert.deepEqual([mine.json.filed, mine.json.range.gridIds], [3, ['3']]);
    assert.equal((await app.call(leader, 'GET', '/api/analytics/summary?gridId=5')).status, 403);
    assert.equal((await app.call(basic('officer', DEMO_PASSWORD), 'GET', '/api/analytics/summary')).status, 403);
    const monthly = await app.call(leader, 'GET', '/api/analytics/monthly?month=2026-11');
    assert.deepEqual([monthly.json.gridId, monthly.json.closed], ['3', 4]);
    assert.equal((await app.call(committee, 'GET', '/api/analytics/monthly?month=2026-11')).json.filed, 5);
    // A case filed in this process shows at once, cached answers notwithstanding.
    await new CaseService(app.db.connection).open({ enterprise: E5, category: 'labour', title: '招工' }, at('11-20T10:00:00'));
    assert.equal((await app.call(committee, 'GET', '/api/analytics/summary?from=2026-11-01&to=2026-12-01')).json.filed, 6);
    assert.equal((await app.call(committee, 'GET', '/api/analytics/monthly?month=2026-13')).status, 400);
    assert.equal((await app.call(committee, 'GET', '/api/analytics/monthly')).status, 400);
  });
});
