import assert from 'node:assert/strict';
import { isValidUscc } from '../forms/uscc.ts';
import { caseModels } from '../processes/cases/model.ts';
import { DEMO_FIGURES, seedDemoZone, ZONE_DEMO_USERS } from '../processes/demo/org-seed.ts';
import { orgModels } from '../processes/org/models.ts';
import { CASE_CATEGORIES, INDUSTRIES } from '../processes/org/reference.ts';
import { recordModel } from '../processes/records/model.ts';
import { createZoneFeature } from '../processes/zone-feature.ts';
import { summary } from '../processes/analytics/figures.ts';
import { DEMO_PASSWORD } from '../web/identity/bootstrap.ts';
import { startSecureApp, type SecureApp } from './helpers/secure-app.ts';

describe('zone: the demo seed', function () {
  this.timeout(120_000);
  let app: SecureApp;
  let seededIn = 0;
  before(async () => {
    const t = Date.now();
    app = await startSecureApp('zone_seed', { features: [createZoneFeature()] });
    seededIn = Date.now() - t;
  });
  after(() => app.close());

  it('reproduces the zone\'s figures: 6 grids, 246 cadres, 16 mentors, the departments, 1,600 enterprises', async () => {
    const org = orgModels(app.db.connection);
    assert.equal(await org.grids.countDocuments({}), DEMO_FIGURES.grids);
    assert.equal(await org.cadres.countDocuments({}), 246);
    assert.equal(await org.mentors.countDocuments({}), 16);
    assert.equal(await org.departments.countDocuments({}), 8);
    assert.equal(await org.enterprises.countDocuments({}), 1600);
    const cadres = await org.cadres.find({}).lean<any[]>();
    for (const cohort of ['old', 'middle', 'young']) assert.ok(cadres.filter((c) => c.cohort === cohort).length >= 40, `cohort ${cohort}`);
    for (const unit of ['zone-agency', 'donghu', 'seconded']) assert.ok(cadres.filter((c) => c.unit === unit).length >= 30, `unit ${unit}`);
    for (const g of ['1', '2', '3', '4', '5', '6']) assert.equal(cadres.filter((c) => c.gridId === g && c.roles.includes('leader')).length, 1);
    assert.equal(new Set(cadres.map((c) => c.name)).size, 246, 'names are distinct');
    assert.ok(cadres.some((c) => c.username === 'cadre' && c.gridId === '3'));
    assert.ok(cadres.some((c) => c.username === 'leader' && c.gridId === '3' && c.roles.includes('leader')));
  });

  it('gives every enterprise a valid, distinct USCC, an industry of the zone and a grid', async () => {
    const all = await orgModels(app.db.connection).enterprises.find({}).lean<any[]>();
    assert.ok(all.every((e) => isValidUscc(e._id)), 'valid USCC');
    assert.equal(new Set(all.map((e) => e._id)).size, 1600);
    for (const i of INDUSTRIES) assert.ok(all.some((e) => e.industry === i.code), i.code);
    for (const g of ['1', '2', '3', '4', '5', '6']) assert.ok(all.filter((e) => e.gridId === g).length > 250, `grid ${g}`);
  });

  it('adds months of case history across grids, categories and tiers, and cadre records', async () => {
    const { cases, facts } = caseModels(app.db.connection);
    const n = await cases.countDocuments({});
    assert.ok(n >= 250, `${n} cases`);
    assert.equal(await facts.countDocuments({}), n);
    const s = await summary(facts, {});
    assert.ok(s.closed > n * 0.8);
    assert.ok(s.byMonthGrid.length >= 30, 'six months × six grids');
    for (const tier of [1, 2, 3]) assert.ok(s.byCategoryTierGrid.some((r) => r.tier === tier), `tier ${tier}`);
    assert.ok(CASE_CATEGORIES.filter((c) => s.byCategoryTierGrid.some((r) => r.category === c.code)).length >= 9);
    assert.ok(s.reopen.reopenedCases > 0 && s.ratings.dissatisfied > 0 && s.compliance.met < s.compliance.withDeadline);
    assert.ok(s.resolution.p50! > 0 && s.resolution.p90! >= s.resolution.p50!);
    assert.ok(await cases.countDocuments({ closedAt: null }) > 0, 'some cases are in flight');
    const records = recordModel(app.db.connection);
    for (const kind of ['mentor-score', 'challenge-result', 'rotation-placement', 'case-handled']) assert.ok(await records.countDocuments({ kind }) > 0, kind);
  });

  it('creates logins for the programmes\' groups, and gives the demo committee its group', async () => {
    const store = app.auth.identity.store;
    for (const u of ZONE_DEMO_USERS) assert.ok(await store.user(u.username), u.username);
    assert.ok((await store.user('committee'))!.groups.includes('committee'));
    assert.deepEqual((await store.user('leader'))!.groups, ['grid-3'], 'the grid leader stays within its grid; tier 2 is `center`');
    await app.login('officer-eco', DEMO_PASSWORD);
  });

  it('seeds in well under a minute, once, and never touches a zone with data', async () => {
    console.log(`      demo zone seeded (app start included) in ${seededIn} ms`);
    assert.ok(seededIn < 60_000);
    const again = await seedDemoZone(app.db.connection, app.auth.identity, Date.now);
    assert.equal(again.seeded, false);
    assert.equal(await orgModels(app.db.connection).cadres.countDocuments({}), 246);
  });

  it('leaves a database with zone data alone even without a seed claim', async () => {
    const other = await startSecureApp('zone_seed_nonempty', { features: [createZoneFeature({ seed: false })] });
    try {
      await orgModels(other.db.connection).grids.create({ _id: '1', name: '第1网格' });
      const r = await seedDemoZone(other.db.connection, other.auth.identity, Date.now);
      assert.deepEqual([r.seeded, r.reason], [false, 'the zone has data']);
      assert.equal(await orgModels(other.db.connection).enterprises.countDocuments({}), 0);
    } finally {
      await other.close();
    }
  });
});
