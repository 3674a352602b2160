// The working-day calendar page in a real browser: the coming year counted provisionally with its
// banner, an administrator entering 2027 (a refused make-up day first), the year listed as entered,
// the English switch, and deleting the entry again; no serious accessibility violations (axe-core)
// on the list and the editor.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { createZoneFeature } from '../processes/zone-feature.ts';
import { webAppFeature } from '../web/app-feature.ts';
import { assertAccessible } from './helpers/axe.ts';
import { launchBrowser, openPage, signInAs, checkPageAfterTest, type Watched } from './helpers/browser.ts';
import { startSecureApp, type Caller, type SecureApp } from './helpers/secure-app.ts';

describe('web app: the working-day calendar page', function () {
  this.timeout(180_000);
  let app: SecureApp;
  let browser: Browser;
  let admin: Caller;
  let w: Watched;

  before(async () => {
    app = await startSecureApp('web_admin_calendar', { features: [createZoneFeature({ seed: false }), webAppFeature] });
    admin = await app.login('admin', 'gridflow-demo');
    browser = await launchBrowser();
    w = await openPage(browser, app.base, { suite: 'admin-calendar', height: 1000, bypassCSP: true });
    await signInAs(w, 'admin');
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  // The refused make-up day is a 400 in the console.
  afterEach(function () { return checkPageAfterTest(this.currentTest, w, /status of 400/); });

  const accessible = (what: string) => assertAccessible(w.page, what);

  it('shows 2027 as provisional with its banner', async () => {
    const { page } = w;
    await page.goto('/admin/calendar');
    await page.locator('[data-testid=provisional-banner]', { hasText: '2027年节假日安排尚未录入，期限按周末和法定节日暂算' }).waitFor();
    assert.equal(await page.locator('[data-testid=calendar-years] tr[data-year="2027"]').getAttribute('data-source'), 'provisional');
    assert.equal(await page.locator('[data-testid=calendar-years] tr[data-year="2026"]').getAttribute('data-source'), 'library');
    await w.screenshot('provisional');
    await accessible('list');
    await page.locator('[data-testid=calendar-years] tr[data-year="2026"]').getByRole('button', { name: '查看' }).click();
    await page.locator('.alert-info', { hasText: '2026年来自内置数据（chinese-days' }).waitFor();
    await page.locator('.gf-list li', { hasText: '2026-02-14春节' }).first().waitFor(); // a make-up Saturday
    assert.equal(await page.locator('[data-testid=calendar-editor]').count(), 0, 'no editor for a built-in year');
    await page.getByRole('button', { name: '取消' }).click();
  });

  it('enters 2027: the Spring Festival week and a make-up Saturday; a weekday make-up day is refused with its reason', async () => {
    const { page } = w;
    await page.locator('[data-testid=provisional-banner]').getByRole('button', { name: '录入2027年' }).click();
    const editor = page.locator('[data-testid=calendar-editor]');
    await editor.waitFor();
    // Prefilled with the statutory holidays: 除夕 to 初三 are rows 2–5.
    assert.equal(await editor.getByLabel('节假日 2 日期', { exact: true }).inputValue(), '2027-02-05');
    assert.equal(await editor.locator('[data-testid=calendar-holidays] input[type=date]').count(), 13);
    await accessible('editor');
    for (const date of ['2027-02-09', '2027-02-10', '2027-02-11']) {
      await page.locator('[data-testid=add-holidays]').click();
      const n = await editor.locator('[data-testid=calendar-holidays] input[type=date]').count();
      await editor.getByLabel(`节假日 ${n} 日期`, { exact: true }).fill(date);
      await editor.getByLabel(`节假日 ${n} 名称`, { exact: true }).fill('春节');
    }
    await page.locator('[data-testid=add-workdays]').click();
    await editor.getByLabel('调休上班日 1 日期', { exact: true }).fill('2027-02-17');
    await editor.getByLabel('调休上班日 1 名称', { exact: true }).fill('春节');
    await page.locator('#notice-number').fill('国办发明电〔2026〕7号');
    await page.locator('[data-testid=calendar-save]').click();
    await editor.locator('.alert-error', { hasText: '调休上班日第 1 行：2027-02-17 不是周六或周日' }).waitFor();
    await w.screenshot('refused');
    await editor.getByLabel('调休上班日 1 日期', { exact: true }).fill('2027-02-20');
    await page.locator('[data-testid=calendar-save]').click();
    await page.locator('[data-testid=calendar-message]', { hasText: '已保存2027年（第 1 版）' }).waitFor();
    const row = page.locator('[data-testid=calendar-years] tr[data-year="2027"][data-source="supplement"]');
    await row.waitFor();
    assert.match(await row.innerText(), /管理员录入[\s\S]*16 天[\s\S]*1 天[\s\S]*国务院办公厅关于2027年部分节假日安排的通知[\s\S]*admin/);
    assert.equal(await page.locator('[data-testid=provisional-banner]', { hasText: '2027年' }).count(), 0);
    await w.screenshot('entered');

    const r = await app.call(admin, 'GET', '/api/calendar/years/2027');
    assert.equal(r.json.source, 'supplement');
    assert.deepEqual(r.json.workdays, [{ date: '2027-02-20', name: '春节' }]);
    assert.equal(r.json.notice.number, '国办发明电〔2026〕7号');
    assert.deepEqual(r.json.holidays.filter((d: any) => d.name === '春节').map((d: any) => d.date), ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11']);
  });

  it('speaks English on the switch, and deletes the entry back to provisional', async () => {
    const { page } = w;
    await page.locator('.lang-switch button', { hasText: 'English' }).click();
    await page.locator('[data-testid=calendar-years] tr[data-year="2027"]', { hasText: 'Entered' }).waitFor();
    await page.locator('[data-testid=calendar-years] tr[data-year="2026"]', { hasText: 'Built-in' }).waitFor();
    await page.locator('[data-testid=calendar-message]', { hasText: 'Saved 2027 (version 1).' }).waitFor();
    assert.match(await page.locator('[data-testid=calendar-years] tr[data-year="2027"]').innerText(), /16 days\s+1 day\s/);
    await w.screenshot('english');
    await page.locator('.lang-switch button', { hasText: '中文' }).click();
    await page.locator('[data-testid=calendar-years] tr[data-year="2027"]').getByRole('button', { name: '编辑' }).click();
    w.acceptNextDialog();
    await page.getByRole('button', { name: '删除录入' }).click();
    await page.locator('[data-testid=calendar-message]', { hasText: '已删除2027年的录入' }).waitFor();
    await page.locator('[data-testid=provisional-banner]', { hasText: '2027年节假日安排尚未录入' }).waitFor();
    assert.equal((await app.call(admin, 'GET', '/api/calendar/years/2027')).json.source, 'provisional');
  });
});
