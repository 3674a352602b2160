// The dashboards in a real browser on the demo zone (scenario 4's dashboard part): the committee
// sees the zone's charts drawn from the demo data, a grid leader sees their grid only, the
// monthly report shows its secondary analysis, and the English switch redraws everything in English.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { createZoneFeature } from '../processes/zone-feature.ts';
import { webAppFeature } from '../web/app-feature.ts';
import { launchBrowser, openPage, signInAs, type Watched } from './helpers/browser.ts';
import { startSecureApp, type SecureApp } from './helpers/secure-app.ts';

const CHARTS = ['chart-status', 'chart-tier', 'chart-category', 'chart-trend', 'chart-compliance', 'chart-ratings'];

/** How many pixels of a chart's canvas are painted (not transparent, not white). */
async function painted(page: Page, testId: string): Promise<number> {
  await page.locator(`[data-testid="${testId}"] canvas`).waitFor();
  await page.waitForTimeout(400); // the charts' entry animation
  return page.locator(`[data-testid="${testId}"] canvas`).first().evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3]! > 0 && !(d[i]! > 245 && d[i + 1]! > 245 && d[i + 2]! > 245)) n++;
    return n;
  });
}

const kpi = async (page: Page, title: string) => Number((await page.locator('.gf-kpi', { has: page.locator('.gf-kpi-title', { hasText: new RegExp(`^${title}$`) }) }).locator('.gf-kpi-value').innerText()).replace(/[^\d]/g, ''));

describe('web app: dashboards on the demo zone (scenario 4)', function () {
  this.timeout(180_000);
  let app: SecureApp;
  let browser: Browser;
  const pages: Watched[] = [];

  before(async () => {
    app = await startSecureApp('web_dashboard', { features: [createZoneFeature(), webAppFeature] });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  afterEach(async function () {
    for (const w of pages.splice(0)) {
      if (this.currentTest?.state === 'failed') await w.screenshot('failure');
      else {
        assert.deepEqual(w.dialogs, [], 'no dialog may open');
        assert.deepEqual(w.errors, [], 'no page errors');
      }
      await w.context.close();
    }
  });

  const open = async (suite: string, username: string) => {
    const w = await openPage(browser, app.base, { suite, height: 1100 });
    pages.push(w);
    await signInAs(w, username);
    return w;
  };

  it('the committee sees the zone: every chart drawn from the demo data, figures as the API gives them', async () => {
    const committee = await app.login('committee', 'gridflow-demo');
    const api = await app.call(committee, 'GET', '/api/analytics/summary?from=2026-01-01');
    assert.equal(api.status, 200, api.text);
    assert.ok(api.json.filed > 50, `the demo zone has cases: ${api.json.filed}`);

    const w = await open('dashboard-committee', 'committee');
    const { page } = w;
    await page.goto('/dashboard?period=all');
    for (const id of [...CHARTS, 'chart-grid']) assert.ok(await painted(page, id) > 500, `${id} is drawn`);
    const all = await app.call(committee, 'GET', '/api/analytics/summary');
    assert.equal(await kpi(page, '立件'), all.json.filed);
    assert.equal(await kpi(page, '办结'), all.json.closed);
    assert.match(await page.locator('.page-header p').innerText(), /全区/);
    await w.screenshot('dashboard-zone');

    await page.locator('[data-testid=grid-select]').selectOption('3');
    await page.locator('[data-testid=chart-grid]').waitFor({ state: 'detached' });
    const grid3 = await app.call(committee, 'GET', '/api/analytics/summary?gridId=3');
    await page.waitForFunction((n) => document.querySelector('.gf-kpi-value')?.textContent?.replace(/[^\d]/g, '') === String(n), grid3.json.filed);
    await w.screenshot('dashboard-zone-grid-3');

    await page.goto('/dashboard/monthly');
    const report = page.locator('[data-testid=monthly-report]');
    await report.waitFor();
    await page.locator('[data-testid=findings] li').first().waitFor();
    assert.ok(await painted(page, 'chart-top-problems') > 300, 'the month\'s top problems are drawn');
    assert.ok(await report.locator('table.gf-cross').count() >= 2, 'category × tier and category × grid tables');
    await w.screenshot('monthly-report-zone');
  });

  it('a grid leader sees their grid only', async () => {
    const leader = await app.login('leader', 'gridflow-demo');
    const mine = await app.call(leader, 'GET', '/api/analytics/summary');
    const w = await open('dashboard-leader', 'leader');
    const { page } = w;
    await page.goto('/dashboard?period=all');
    for (const id of CHARTS) assert.ok(await painted(page, id) > 500, `${id} is drawn`);
    assert.equal(await page.locator('[data-testid=chart-grid]').count(), 0, 'no comparison of grids');
    assert.equal(await page.locator('[data-testid=grid-select]').count(), 0, 'one grid: nothing to choose');
    assert.equal(await kpi(page, '立件'), mine.json.filed);
    assert.match(await page.locator('.page-header p').innerText(), /本网格/);
    await w.screenshot('dashboard-grid-3');
  });

  it('on a phone (390 px) the leader\'s dashboard fits the screen', async () => {
    const w = await openPage(browser, app.base, { suite: 'dashboard-phone', width: 390, height: 844 });
    pages.push(w);
    await signInAs(w, 'leader');
    const { page } = w;
    await page.goto('/dashboard?period=all');
    for (const id of CHARTS) assert.ok(await painted(page, id) > 300, `${id} is drawn`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (${overflow} px too wide)`);
    await w.screenshot('dashboard-phone');
  });

  it('the English switch redraws the dashboard and the monthly report in English', async () => {
    const w = await open('dashboard-english', 'committee');
    const { page } = w;
    await page.goto('/dashboard?period=all');
    await page.locator('[data-testid=chart-status] canvas').waitFor();
    await page.locator('.lang-switch button', { hasText: 'English' }).click();
    await page.locator('.page-header h1', { hasText: 'Dashboard' }).waitFor();
    for (const title of ['Filed', 'Closed', 'Deadlines met', 'Satisfied']) await page.locator('.gf-kpi-title', { hasText: title }).first().waitFor();
    await page.locator('.card-title', { hasText: 'By category' }).waitFor();
    for (const id of CHARTS) assert.ok(await painted(page, id) > 500, `${id} is drawn in English`);
    const text = await page.locator('[data-testid=dashboard]').innerText();
    assert.doesNotMatch(text, /[\u4e00-\u9fff]/, `no Chinese left on the English dashboard: ${text.match(/.{0,20}[\u4e00-\u9fff]+.{0,20}/)?.[0]}`);
    await w.screenshot('dashboard-english');

    await page.goto('/dashboard/monthly');
    await page.locator('.page-header h1', { hasText: 'Monthly grid report' }).waitFor();
    await page.locator('[data-testid=findings] li').first().waitFor();
    // Tags are the cadres' own words (data); everything else is the page's.
    const monthly = await page.locator('[data-testid=monthly]').evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.gf-tags').forEach((t) => t.remove());
      return copy.innerText;
    });
    assert.doesNotMatch(monthly, /[\u4e00-\u9fff]/, `no Chinese left on the English monthly report: ${monthly.match(/.{0,20}[\u4e00-\u9fff]+.{0,20}/)?.[0]}`);
    await w.screenshot('monthly-report-english');
    await page.locator('.lang-switch button', { hasText: '中文' }).click();
    await page.locator('.page-header h1', { hasText: '网格月报' }).waitFor();
  });
});
