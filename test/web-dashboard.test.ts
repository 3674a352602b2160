// The dashboards in a real browser on the demo zone (scenario 4's dashboard part): the committee
// sees the zone's charts drawn from the demo data, a grid leader sees their grid only, the
// monthly report shows its secondary analysis, and the English switch redraws everything in English.
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
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

/** The workbook the page's export button saves. */
async function exported(page: Page): Promise<{ name: string; book: ExcelJS.Workbook }> {
  const download = page.waitForEvent('download');
  await page.locator('[data-testid=export-monthly]').click();
  const file = await download;
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.concat(await (await file.createReadStream()).toArray()) as any);
  return { name: file.suggestedFilename(), book };
}
const rowOf = (sheet: ExcelJS.Worksheet, label: string) => {
  let found: unknown[] | undefined;
  sheet.eachRow((r) => { if (r.getCell(1).value === label && !found) found = (r.values as unknown[]).slice(1); });
  return found;
};

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
    // The monthly report with its export button fits too.
    await page.goto('/dashboard/monthly');
    await page.locator('[data-testid=monthly-report]').waitFor();
    await page.locator('[data-testid=export-monthly]').waitFor();
    const reportOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(reportOverflow <= 0, `the monthly report: no sideways scrolling (${reportOverflow} px too wide)`);
    await w.screenshot('monthly-report-phone');
  });

  it('the monthly report and its secondary analysis export to Excel with the report\'s own access rules', async () => {
    const w = await open('monthly-export', 'committee');
    const { page } = w;
    await page.goto('/dashboard/monthly');
    await page.locator('[data-testid=findings] li').first().waitFor();
    const month = await page.locator('[data-testid=month]').inputValue();
    const committee = await app.login('committee', 'gridflow-demo');
    const zone = (await app.call(committee, 'GET', `/api/analytics/monthly?month=${month}`)).json;
    const { name, book } = await exported(page);
    assert.equal(name, `网格月报-${month}.xlsx`);
    assert.deepEqual(book.worksheets.map((x) => x.name), ['网格月报', '二次分析研判', '高频问题']);
    const figures = book.getWorksheet('网格月报')!;
    assert.deepEqual(rowOf(figures, '指标'), ['指标', '全区']);
    assert.deepEqual(rowOf(figures, '立件'), ['立件', zone.filed]);
    assert.deepEqual(rowOf(figures, '月末超时'), ['月末超时', zone.overdueAtEnd]);
    // The findings as the page words them.
    for (const finding of await page.locator('[data-testid=findings] li').allInnerTexts()) assert.ok(rowOf(figures, finding), `the workbook says: ${finding}`);
    const secondary = book.getWorksheet('二次分析研判')!;
    const tables: string[] = [];
    secondary.eachRow((r) => { if (typeof r.getCell(1).value === 'string' && /×/.test(String(r.getCell(1).value))) tables.push(String(r.getCell(1).value)); });
    assert.deepEqual(tables, ['全区 · 类别 × 层级', '全区 · 类别 × 网格']);
    assert.deepEqual(rowOf(secondary, '合计')?.at(-1), zone.filed, 'the cross table adds up to the month\'s cases');
    const top = zone.topProblems.categories[0];
    assert.ok(top, 'the month has cases');
    let topRow: unknown[] | undefined;
    book.getWorksheet('高频问题')!.eachRow((r) => { if (!topRow && r.getCell(2).value === top.cases) topRow = r.values as unknown[]; });
    assert.ok(topRow && /[\u4e00-\u9fff]/.test(String(topRow[1])), `the top category named in Chinese: ${topRow}`);
    await w.screenshot('monthly-export-button');

    // A grid leader's export holds their grid only; another grid, or a month that is no month, is refused.
    const lw = await open('monthly-export-leader', 'leader');
    await lw.page.goto('/dashboard/monthly');
    await lw.page.locator('[data-testid=monthly-report]').waitFor();
    const mine = await exported(lw.page);
    assert.deepEqual(rowOf(mine.book.getWorksheet('网格月报')!, '指标'), ['指标', '第3网格']);
    const leader = await app.login('leader', 'gridflow-demo');
    assert.equal((await app.call(leader, 'GET', `/api/reports/monthly.xlsx?month=${month}&gridId=1`)).status, 403);
    const bad = await app.call(leader, 'GET', '/api/reports/monthly.xlsx?month=2026-13');
    assert.equal(bad.status, 400);
    assert.match(bad.json.detail, /month/);
    assert.equal((await app.call(committee, 'GET', `/api/reports/monthly.xlsx?month=${month}&lang=fr`)).status, 400);
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
    await page.locator('[data-testid=export-monthly]', { hasText: 'Export to Excel' }).waitFor();
    const english = await exported(page);
    assert.deepEqual(english.book.worksheets.map((x) => x.name), ['Monthly grid report', 'Secondary analysis', 'Most frequent problems']);
    assert.match(english.name, /^monthly-grid-report-\d{4}-\d{2}\.xlsx$/);
    await w.screenshot('monthly-report-english');
    await page.locator('.lang-switch button', { hasText: '中文' }).click();
    await page.locator('.page-header h1', { hasText: '网格月报' }).waitFor();
  });
});
