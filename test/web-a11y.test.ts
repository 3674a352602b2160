// Scenario 6: no serious or critical accessibility violations (axe-core, WCAG 2.1 A/AA rules) on
// the sign-in page, the tasklist, a task's form with its errors, the start form and the instance
// view, in both languages.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { assertAccessible } from './helpers/axe.ts';
import { launchBrowser, openPage, signInAs, type Watched } from './helpers/browser.ts';
import { deployment, startSecureApp, type SecureApp } from './helpers/secure-app.ts';
import { assessForm, VALID_USCC, visitDiagram, visitForm } from './helpers/web-visit.ts';
import { programmeFeatures, recordVisit } from './helpers/web-programmes.ts';


describe('web app: accessibility (scenario 6)', function () {
  this.timeout(120_000);
  let app: SecureApp;
  let browser: Browser;
  let w: Watched;
  let instanceKey: string;

  before(async () => {
    app = await startSecureApp('web_a11y', { features: programmeFeatures() });
    const admin = await app.user('web-admin', ['administrator']);
    const r = await app.call(admin, 'POST', '/v2/deployments', deployment(
      ['visit.bpmn', await visitDiagram()], ['visit.form', JSON.stringify(visitForm())], ['assess.form', JSON.stringify(assessForm())],
    ));
    assert.equal(r.status, 200, r.text);
    const cadre = await app.login('cadre', 'gridflow-demo');
    const s = await app.call(cadre, 'POST', '/v2/process-instances', { processDefinitionId: 'web-visit', variables: {
      enterpriseName: '杭州临平生物医药有限公司', enterprise: VALID_USCC, channel: 'meeting', category: '安全生产', title: '危化品仓库安全评估咨询', description: '企业座谈会上提出。',
    } });
    instanceKey = s.json.processInstanceKey;
    await recordVisit(app, cadre, ['危化品仓库消防验收咨询']);
    browser = await launchBrowser();
    w = await openPage(browser, app.base, { suite: 'scenario-6-a11y', bypassCSP: true });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  const check = async (what: string) => {
    await w.screenshot(what);
    await assertAccessible(w.page, what);
  };

  it('sign-in page', async () => {
    await w.page.goto('/');
    await w.page.locator('[data-demo-login]').first().waitFor();
    await check('sign-in');
  });

  it('tasklist', async () => {
    await signInAs(w, 'cadre');
    await w.page.locator('.task-item').first().waitFor();
    await check('tasklist');
  });

  it('task form, claimed, with the errors of an empty submission', async () => {
    await w.page.locator('.task-item').first().click();
    await w.page.locator('[data-action="claim"]').click();
    await w.page.locator('[data-action="complete"]').click();
    await w.page.locator('.fjs-form-field-error').first().waitFor();
    await check('task-form-errors');
  });

  it('start form (the visit), in English too', async () => {
    await w.page.goto('/start');
    await w.page.locator('[data-start="web-visit"]').click();
    await w.page.getByLabel('企业名称').waitFor();
    await check('start-form-zh');
    await w.page.locator('.lang-switch button', { hasText: 'English' }).click();
    await w.page.locator('[data-action="start"]', { hasText: 'Submit' }).waitFor();
    await w.page.locator('.fjs-select-display', { hasText: 'Select' }).first().waitFor();
    await check('start-form-en');
    await w.page.locator('.lang-switch button', { hasText: '中文' }).click();
  });

  it('the shipped visit form (enterprise-service loop) with a demand and its errors', async () => {
    await w.page.goto('/start');
    await w.page.locator('[data-start="enterprise-service-loop"]').click();
    await w.page.getByLabel('企业名称').waitFor();
    await w.page.locator('.fjs-repeat-render-add').click();
    await w.page.locator('[data-action="start"]').click();
    await w.page.locator('.fjs-form-field-error').first().waitFor();
    await check('visit-record-errors');
  });

  it('instance view', async () => {
    await w.page.goto(`/instances/${instanceKey}`);
    await w.page.locator('.djs-element.gf-active').first().waitFor();
    await check('instance-view');
  });

  it('cases list and a case', async () => {
    await w.page.goto('/cases');
    await w.page.locator('[data-case-row]').first().waitFor();
    await check('cases');
    await w.page.locator('[data-case-row] a').first().click();
    await w.page.locator('.djs-element.gf-active').first().waitFor();
    await check('case');
  });

  it('phone width tasklist', async () => {
    const phone = await openPage(browser, app.base, { suite: 'scenario-6-a11y-phone', bypassCSP: true, width: 390, height: 844 });
    await signInAs(phone, 'cadre');
    await phone.page.locator('.task-item').first().waitFor();
    await phone.screenshot('tasklist');
    await assertAccessible(phone.page, 'phone width tasklist');
    await phone.context.close();
  });
});
