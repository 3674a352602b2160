// Scenario 5: the tasklist and the visit form (the shipped enterprise-service loop's) on a 390-px-wide phone: nothing wider than the
// screen, the navigation folded into a menu, the form usable and its errors visible.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, signInAs, checkPageAfterTest, type Watched } from './helpers/browser.ts';
import { startSecureApp, type SecureApp } from './helpers/secure-app.ts';
import { programmeFeatures, recordVisit } from './helpers/web-programmes.ts';

const PHONE = { width: 390, height: 844 };

async function assertFits(page: Page, what: string) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client, `${what}: the page is ${scroll}px wide on a ${client}px screen`);
}

describe('web app at phone width (scenario 5)', function () {
  this.timeout(120_000);
  let app: SecureApp;
  let browser: Browser;
  let w: Watched;

  before(async () => {
    app = await startSecureApp('web_mobile', { features: programmeFeatures() });
    await recordVisit(app, await app.login('cadre', 'gridflow-demo'), ['污水管网接入审批进度咨询', '高新技术企业认定政策解读']);
    browser = await launchBrowser();
    w = await openPage(browser, app.base, { suite: 'scenario-5-phone', ...PHONE });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  afterEach(function () { return checkPageAfterTest(this.currentTest, w); });

  it('signs in and shows the tasklist within the screen, the navigation in a menu', async () => {
    await w.page.goto('/');
    await w.page.locator('#username').waitFor();
    await assertFits(w.page, 'sign-in');
    await w.screenshot('sign-in');
    await signInAs(w, 'cadre');
    await w.page.locator('.task-item').first().waitFor();
    assert.equal(await w.page.locator('.app-nav').isVisible(), false, 'the navigation is folded');
    await assertFits(w.page, 'tasklist');
    await w.screenshot('tasklist');
    await w.page.locator('.menu-button').click();
    await w.page.locator('[data-nav="start"]').waitFor();
    await w.screenshot('menu-open');
    await w.page.locator('.menu-button').click();
  });

  it('opens a task full-screen, claims it and shows a field error within the screen', async () => {
    await w.page.locator('.task-item').first().click();
    await w.page.locator('[data-action="claim"]').click();
    await w.page.locator('[data-action="complete"]').waitFor();
    assert.equal(await w.page.locator('.tasklist-list').isVisible(), false, 'the list gives way to the task');
    await w.page.locator('[data-action="complete"]').click();
    await w.page.locator('.fjs-form-field-error').first().waitFor();
    assert.match(await w.page.locator('.fjs-form-field-error').first().innerText(), /必填/);
    await assertFits(w.page, 'task form');
    await w.screenshot('task-form-errors');
    await w.page.locator('.back-link').click();
    await w.page.locator('.task-item').first().waitFor();
  });

  it('fills in the visit form at phone width', async () => {
    await w.page.locator('.menu-button').click();
    await w.page.locator('[data-nav="start"]').click();
    await w.page.locator('[data-start="enterprise-service-loop"]').click();
    await w.page.getByLabel('企业名称').waitFor();
    await w.page.locator('.fjs-repeat-render-add').click();
    await w.page.getByLabel('诉求概要').waitFor();
    await assertFits(w.page, 'visit form');
    await w.screenshot('visit-form');
    await w.page.getByLabel('企业名称').fill('杭州东湖家纺布艺有限公司');
    await w.page.locator('[data-action="start"]').click();
    await w.page.locator('.fjs-form-field-error').first().waitFor();
    await assertFits(w.page, 'visit form with errors');
    await w.screenshot('visit-form-errors');
  });

  it('signs out back to the sign-in page, and the session is gone', async () => {
    await w.page.locator('.header-tools button', { hasText: '退出登录' }).click();
    await w.page.locator('#username').waitFor();
    const session = await w.page.evaluate(() => fetch('/api/session').then((r) => r.json() as Promise<{ authenticated: boolean }>));
    assert.equal(session.authenticated, false);
  });
});
