// The programmes feature on a demo platform: it deploys the shipped diagrams and forms, drives
// in-flight demo work to every stage of every programme, and on a second start deploys and seeds
// nothing. The demo work is visible to the people whose tasks it is.
import assert from 'node:assert/strict';
import { programmesFeature } from '../processes/programmes.ts';
import { Driver } from '../processes/demo/drive.ts';
import { zoneFeature } from '../processes/zone-feature.ts';
import { PROGRAMMES } from '../processes/diagrams/ship.ts';
import { startSecureApp, type SecureApp } from './helpers/secure-app.ts';
import type { FeatureContext } from '../web/feature.ts';


describe('programmes feature: deployment and demo flows', () => {
  let app: SecureApp;
  const logs: string[] = [];
  let seededIn = 0;
  before(async function () {
    this.timeout(180_000);
    const started = Date.now();
    // As npm start runs them: the zone (handlers, the demo zone's organisation), then the programmes.
    const timed = { name: 'programmes', start: (ctx: FeatureContext) => programmesFeature.start!({ ...ctx, log: (l: string) => logs.push(l) }) };
    app = await startSecureApp('programme_demo', { features: [zoneFeature, timed] });
    seededIn = Date.now() - started;
  });
  after(() => app.close());

  const open = async (processDefinitionId: string) =>
    (await app.runtime.searchUserTasks({ filter: { processDefinitionId, state: 'CREATED' }, page: { limit: 1000 } })).items.map((t) => t.elementId).sort();

  it('leaves work waiting at every stage of every programme', async () => {
    console.log(`      platform start with the demo zone and demo flows: ${seededIn} ms; ${logs.join('; ')}`);
    assert.ok(logs.some((l) => /demo work seeded in \d+ ms/.test(l)), logs.join('; '));
    for (const id of PROGRAMMES) {
      const { page } = await app.runtime.searchProcessInstances({ filter: { processDefinitionId: id, state: 'ACTIVE' }, page: { limit: 1 } });
      assert.ok(page.totalItems > 0, `${id} has instances in flight`);
    }
    // The last steps' jobs may still be running when the start returns.
    const stages = ['assess', 'handle_t1', 'accept_t2', 'accept_t3', 'committee_handle', 'review', 'follow_up', 'accept_t1'];
    const drive = new Driver(app.runtime, { timeoutMs: 20_000 });
    await drive.until(async () => { const tiers = await open('three-tier-handling'); return stages.every((s) => tiers.includes(s)) && tiers.filter((t) => t === 'accept_t2').length === 2; }, 'a case at every stage');
    const tiers = await open('three-tier-handling');
    assert.equal(tiers.filter((t) => t === 'accept_t2').length, 2, 'escalated by hand to the zone, and returned to it by the district');
    const critical = (await app.runtime.searchProcessInstances({ filter: { processDefinitionId: 'three-tier-handling', state: 'ACTIVE' }, page: { limit: 100 } })).items;
    assert.ok(critical.length >= 10);
    assert.ok((await open('enterprise-service-loop')).includes('summary'));
    const challenges = await open('challenge-solve');
    assert.ok(challenges.includes('approve') && challenges.includes('apply'), challenges.join(', '));
    const inExecution = await app.runtime.searchElementInstances({ filter: { elementId: 'report_due', state: 'ACTIVE' } });
    assert.equal(inExecution.items.length, 1, 'a challenge in execution waits for its first progress report');
    const rotation = await open('rotation-participant');
    assert.ok(rotation.includes('place'), 'a cohort being placed');
    const onSite = await app.runtime.searchElementInstances({ filter: { elementId: 'log_due', state: 'ACTIVE' } });
    assert.equal(onSite.items.length, 3, 'a cohort of three mid-placement');
    assert.equal((await open('grid-report')).filter((t) => t === 'write').length, 2, 'last month: two grids still to report');
  });

  it('the whistle reached the committee, and its members see it', async () => {
    const committee = await app.login('committee', 'gridflow-demo');
    const r = await app.call(committee, 'POST', '/v2/user-tasks/search', { filter: { elementId: 'committee_handle', state: 'CREATED' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.items.length, 1);
  });

  it('the review waits for the grid cadre who filed the case, and they see it', async () => {
    const reviews = (await app.runtime.searchUserTasks({ filter: { elementId: 'review', state: 'CREATED' } })).items;
    assert.deepEqual(reviews.map((t) => [t.assignee, t.candidateGroups]), [['cadre4', ['grid-4']]]);
    const cadre4 = await app.login('cadre4', 'gridflow-demo');
    const r = await app.call(cadre4, 'POST', '/v2/user-tasks/search', { filter: { elementId: 'review', state: 'CREATED', assignee: 'cadre4' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.items.length, 1);
  });

  it('a second start deploys nothing and seeds nothing', async () => {
    const before = (await app.runtime.searchProcessInstances({ page: { limit: 1 } })).page.totalItems;
    const lines: string[] = [];
    await programmesFeature.start!({ runtime: app.runtime, connection: app.db.connection, auth: app.auth, now: () => app.clock.now(), log: (l) => lines.push(l) });
    assert.deepEqual(lines, []);
    assert.equal((await app.runtime.searchProcessInstances({ page: { limit: 1 } })).page.totalItems, before);
  });
});
