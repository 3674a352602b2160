// Scenario 5: the tasklist and the visit form on a 390-px-wide phone: nothing wider than the
// screen, the navigation folded into a menu, the form usable and its errors visible.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { webAppFeature } from '../web/app-feature.ts';
import { launchBrowser, openPage, signInAs, type Watched } from './helpers/browser.ts';
import { deployment, startSecureApp, type SecureApp } from './helpers/secure-app.ts';
import { assessForm, VALID_USCC, visitDiagram, visitForm } from './helpers/web-visit.ts';

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
    app = await startSecureApp('web_mobile', { features: [webAppFeature] });
    const admin = await app.user('web-admin', ['administrator']);
    const r = await app.call(admin, 'POST', '/v2/deployments', deployment(
      ['visit.bpmn', await visitDiagram()], ['visit.form', JSON.stringify(visitForm())], ['assess.form', JSON.stringify(assessForm())],
    ));
    assert.equal(r.status, 200, r.text);
    const cadre = await app.login('cadre', 'gridflow-demo');
    for (const title of ['污水管网接入审批进度咨询', '高新技术企业认定政策解读']) {
      const s = await app.call(cadre, 'POST', '/v2/process-instances', { processDefinitionId: 'web-visit', variables: {
        enterpriseName: '杭州东湖家纺布艺有限公司', enterprise: VALID_USCC, channel: 'phone', category: '政策咨询', title, description: '企业来电咨询。',
      } });
      assert.equal(s.status, 200, s.text);
    }
    browser = await launchBrowser();
    w = await openPage(browser, app.base, { suite: 'scenario-5-phone', ...PHONE });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') return w?.screenshot('failure').then(() => undefined);
    assert.deepEqual(w.dialogs, []);
    assert.deepEqual(w.errors, []);
  });

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
    await w.page.locator('[data-start="web-visit"]').click();
    await w.page.getByLabel('企业名称').waitFor();
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
