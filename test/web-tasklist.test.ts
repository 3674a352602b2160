// Scenario 3 of the web app in a real browser, on the shipped programmes: a cadre records a visit
// with one demand from the enterprise-service loop's start form, finds the resulting case's task
// (分析研判) in the group queue, claims it, submits with a required field empty and sees the
// error on that field (and the server's errors on fields the browser cannot check), fixes it,
// submits, and the case moves on to the grid's acceptance (网格受理) for grid 3.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { programmesFeature } from '../processes/programmes.ts';
import { createZoneFeature } from '../processes/zone-feature.ts';
import { webAppFeature } from '../web/app-feature.ts';
import { launchBrowser, openPage, signInAs, checkPageAfterTest, type Watched } from './helpers/browser.ts';
import { startSecureApp, type Caller, type SecureApp } from './helpers/secure-app.ts';
import { VALID_USCC } from './helpers/web-visit.ts';

describe('web app: recording a visit and working its case (scenario 3, shipped programmes)', function () {
  this.timeout(180_000);
  let app: SecureApp;
  let browser: Browser;
  let admin: Caller;
  let w: Watched;
  let flows: string | undefined;

  before(async () => {
    flows = process.env.GRIDFLOW_DEMO_FLOWS;
    process.env.GRIDFLOW_DEMO_FLOWS = 'false';
    app = await startSecureApp('web_tasklist', { features: [createZoneFeature({ seed: false }), programmesFeature, webAppFeature] });
    admin = await app.user('web-admin', ['administrator']);
    browser = await launchBrowser();
    w = await openPage(browser, app.base, { suite: 'scenario-3' });
  });

  after(async () => {
    if (flows === undefined) delete process.env.GRIDFLOW_DEMO_FLOWS; else process.env.GRIDFLOW_DEMO_FLOWS = flows;
    await browser?.close();
    await app?.close();
  });

  afterEach(function () { return checkPageAfterTest(this.currentTest, w, /status of 4\d\d/); });

  it('signs in from the page that lists the demo logins', async () => {
    const { page } = w;
    await page.goto('/');
    await page.locator('[data-demo-login="cadre"]').waitFor();
    await w.screenshot('sign-in');
    await signInAs(w, 'cadre');
    await page.locator('[data-page="tasks"] .task-list').waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    await w.screenshot('tasklist-empty');
  });

  it('records a visit with a demand from the start form; the server refuses a wrong credit code on its field', async () => {
    const { page } = w;
    await page.locator('[data-nav="start"]').click();
    await page.locator('[data-start="enterprise-service-loop"]').click();
    await page.getByLabel('企业名称').waitFor();
    await page.getByLabel('统一社会信用代码').fill('91330110MA2B00001X'); // wrong check character
    await page.getByLabel('企业名称').fill('杭州临平智造科技有限公司');
    await pickOption(page, '所属网格', '第三网格');
    await page.getByLabel('走访干部').fill('第3网格干部');
    await page.getByLabel('走访日期').fill('2026-11-26');
    await page.getByLabel('走访日期').press('Enter');
    await page.getByText('现场', { exact: true }).click();
    await page.locator('.fjs-repeat-render-add').click();
    await page.getByLabel('诉求概要').fill('新厂房用地指标咨询');
    await pickOption(page, '问题类别', '土地规划');
    await pickOption(page, '紧急程度', '一般');
    await page.getByLabel('具体情况').fill('企业计划扩建二期厂房，咨询工业用地指标与规划调整流程。');
    await w.screenshot('visit-form-filled');
    await page.locator('[data-action="start"]').click();

    const field = page.locator('.fjs-form-field', { has: page.getByLabel('统一社会信用代码') });
    await field.locator('.fjs-form-field-error').waitFor();
    assert.match(await field.locator('.fjs-form-field-error').innerText(), /统一社会信用代码/);
    await page.locator('#form-errors').waitFor();
    await w.screenshot('visit-form-server-error');

    await page.getByLabel('统一社会信用代码').fill(VALID_USCC);
    await page.locator('[data-action="start"]').click();
    await page.locator('[data-started]').waitFor();
    await w.screenshot('visit-started');
  });

  it('finds the case\'s task in the group queue, claims it and is stopped by an empty required field', async () => {
    const { page } = w;
    await page.locator('a', { hasText: '前往待办任务' }).click();
    const item = page.locator('.task-item', { hasText: '分析研判' });
    await waitForTask(page, item);
    assert.match(await item.innerText(), /新厂房用地指标咨询/);
    assert.match(await item.innerText(), /第3网格/);
    assert.match(await item.innerText(), /待认领/);
    await w.screenshot('group-queue');

    await item.click();
    await page.locator('[data-action="claim"]').click();
    await page.locator('[data-action="complete"]').waitFor();
    await page.locator('.alert-success', { hasText: '已认领' }).waitFor();
    await w.screenshot('claimed');

    await page.locator('[data-action="complete"]').click();
    const analysis = page.locator('.fjs-form-field', { has: page.getByLabel('分析研判意见') });
    await analysis.locator('.fjs-form-field-error').waitFor();
    assert.equal((await analysis.locator('.fjs-form-field-error').innerText()).trim(), '此项为必填项。', 'the browser\'s check reads as the server\'s, in Chinese');
    await w.screenshot('required-field-error');
  });

  it('submits once fixed, and the case moves on to grid 3\'s acceptance', async () => {
    const { page } = w;
    await page.getByLabel('分析研判意见').fill('企业用地需求属实，属网格职责范围，由网格受理办理。');
    await page.locator('[data-action="complete"]').click();
    await page.locator('.alert-success', { hasText: '任务已提交' }).waitFor();
    await w.screenshot('submitted');

    let next: { elementId: string; candidateGroups: string[] }[] = [];
    for (let i = 0; i < 50 && next.length === 0; i++) {
      const r = await app.call(admin, 'POST', '/v2/user-tasks/search', { filter: { state: 'CREATED', processDefinitionId: 'three-tier-handling' } });
      next = r.json.items;
      if (next.length === 0) await new Promise((res) => setTimeout(res, 200));
    }
    assert.equal(next.length, 1);
    assert.equal(next[0]!.elementId, 'accept_t1');
    assert.deepEqual(next[0]!.candidateGroups, ['grid-3']);
    const item = page.locator('.task-item', { hasText: '网格受理' });
    await waitForTask(page, item);
    await w.screenshot('next-step-in-queue');
  });

  it('shows the case: its record, its timeline and its process at grid 3\'s acceptance', async () => {
    const { page } = w;
    await page.locator('.task-item', { hasText: '网格受理' }).click();
    await page.locator('a[href^="/cases/"]').click();
    await page.locator('[data-case]').waitFor();
    await page.locator('.djs-element.gf-active[data-element-id="accept_t1"]').waitFor();
    const text = await page.locator('#main').innerText();
    assert.match(text, /新厂房用地指标咨询/);
    assert.match(text, /土地规划/);
    assert.match(text, /立件/);
    assert.match(text, /杭州临平智造科技有限公司/);
    await w.screenshot('case');
  });

  it('lists the case among the grid\'s open cases, found by its enterprise', async () => {
    const { page } = w;
    const number = await page.locator('[data-case]').getAttribute('data-case');
    await page.locator('[data-nav="cases"]').click();
    await page.locator(`[data-case-row="${number}"]`).waitFor();
    await page.locator('#c-q').fill('临平智造');
    await page.locator('form[role="search"] button[type="submit"]').click();
    await page.waitForURL(/q=/);
    await page.locator(`[data-case-row="${number}"]`).waitFor();
    assert.match(await page.locator(`[data-case-row="${number}"]`).innerText(), /新厂房用地指标咨询[\s\S]*第3网格[\s\S]*土地规划/);
    await w.screenshot('cases');
  });
});

/** form-js selects are searchable dropdowns: open, then choose the option by its label. */
async function pickOption(page: Page, label: string, option: string) {
  const field = page.locator('.fjs-form-field', { has: page.getByLabel(label) }).last();
  await field.locator('.fjs-input-group').click();
  await field.locator('.fjs-dropdownlist-item', { hasText: option }).first().click();
}

/** Jobs between the start and the task run in the background: reload the list until it shows. */
async function waitForTask(page: Page, item: ReturnType<Page['locator']>) {
  for (let i = 0; i < 20; i++) {
    if (await item.count() > 0) return;
    await page.waitForTimeout(300);
    await page.locator('[data-view="groups"]').click();
    await page.reload();
    await page.locator('.list-count').waitFor();
  }
  await item.waitFor();
}
