// The shipped programmes for the web app's tests: the zone (without its demo seed) and the
// programmes (without demo flows) beside the web app, and visits recorded through the
// enterprise-service loop's start form as a cadre would.
import assert from 'node:assert/strict';
import { programmesFeature } from '../../processes/programmes.ts';
import { createZoneFeature } from '../../processes/zone-feature.ts';
import { webAppFeature } from '../../web/app-feature.ts';
import type { Feature } from '../../web/feature.ts';
import type { Caller, SecureApp } from './secure-app.ts';
import { VALID_USCC } from './web-visit.ts';

/** Features for startSecureApp; GRIDFLOW_DEMO_FLOWS=false keeps the programmes' demo work out. */
export function programmeFeatures(): Feature[] {
  process.env.GRIDFLOW_DEMO_FLOWS = 'false';
  return [createZoneFeature({ seed: false }), programmesFeature, webAppFeature];
}

/** Records a visit with these demands (titles) in grid 3; resolves when each case's first task is open. */
export async function recordVisit(app: SecureApp, as: Caller, titles: string[]): Promise<void> {
  const forms = await app.call(as, 'GET', '/api/start-forms');
  const loop = forms.json.items.find((i: { processDefinitionId: string }) => i.processDefinitionId === 'enterprise-service-loop');
  assert.ok(loop, forms.text);
  const r = await app.call(as, 'POST', `/api/start-forms/${loop.processDefinitionKey}`, { variables: {
    enterprise: VALID_USCC, enterpriseName: '杭州东湖家纺布艺有限公司', gridId: '3', filedBy: '第3网格干部', visitDate: '2026-11-26', channel: '现场',
    policies: ['安全生产'], handbookPacks: 2,
    demands: titles.map((title) => ({ title, category: 'policy', urgency: 'normal', description: '企业座谈会上提出。' })),
  } });
  assert.equal(r.status, 201, r.text);
  for (let i = 0; i < 100; i++) {
    const open = await app.call(as, 'GET', '/api/tasklist');
    if (open.json.items.filter((t: { title?: string }) => titles.includes(t.title ?? '')).length >= titles.length) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  assert.fail(`the cases of ${titles.join(', ')} never reached a task`);
}
