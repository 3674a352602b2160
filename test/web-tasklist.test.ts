// Scenario 3 of the web app in a real browser: a cadre records a visit from the start form, finds
// the resulting task in the group queue, claims it, submits with a required field empty and sees
// the error on that field (and the server's errors on the fields the browser cannot check),
// fixes them, submits, and the case moves to the next step for the right group.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { webAppFeature } from '../web/app-feature.ts';
import { launchBrowser, openPage, signInAs, type Watched } from './helpers/browser.ts';
import { deployment, startSecureApp, type Caller, type SecureApp } from './helpers/secure-app.ts';
import { assessForm, VALID_USCC, visitDiagram, visitForm } from './helpers/web-visit.ts';

describe('web app: recording a visit and working its task (scenario 3)', function () {
  this.timeout(120_000);
  let app: SecureApp;
  let browser: Browser;
  let admin: Caller;
  let w: Watched;

  before(async () => {
    app = await startSecureApp('web_tasklist', { features: [webAppFeature] });
    admin = await app.user('web-admin', ['administrator']);
    const r = await app.call(admin, 'POST', '/v2/deployments', deployment(
      ['visit.bpmn', await visitDiagram()], ['visit.form', JSON.stringify(visitForm())], ['assess.form', JSON.stringify(assessForm())],
    ));
    assert.equal(r.status, 200, r.text);
    browser = await launchBrowser();
    w = await openPage(browser, app.base, { suite: 'scenario-3' });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') return w?.screenshot('failure').then(() => undefined);
    assert.deepEqual(w.dialogs, [], 'no dialog may open');
    assert.deepEqual(w.errors.filter((e) => !/status of 4\d\d/.test(e)), [], 'no page errors');
  });

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

  it('records a visit from the start form; the server refuses a wrong credit code on its field', async () => {
    const { page } = w;
    await page.locator('[data-nav="start"]').click();
    await page.locator('[data-start="web-visit"]').click();
    await page.getByLabel('企业名称').waitFor();
    await page.getByLabel('企业名称').fill('杭州临平智造科技有限公司');
    await page.getByLabel('统一社会信用代码').fill('91330110MA2B00001X'); // wrong check character
    await pickOption(page, '走访方式', '现场走访');
    await pickOption(page, '诉求类别', '用地规划');
    await page.getByLabel('诉求标题').fill('新厂房用地指标咨询');
    await page.getByLabel('诉求内容').fill('企业计划扩建二期厂房，咨询工业用地指标与规划调整流程。');
    await w.screenshot('visit-form-filled');
    await page.locator('[data-action="start"]').click();

    const field = page.locator('.fjs-form-field', { has: page.getByLabel('统一社会信用代码') });
    await field.locator('.fjs-form-field-error').waitFor();
    assert.match(await field.locator('.fjs-form-field-error').innerText(), /统一社会信用代码|校验|信用代码/);
    await page.locator('#form-errors').waitFor();
    await w.screenshot('visit-form-server-error');

    await page.getByLabel('统一社会信用代码').fill(VALID_USCC);
    await page.locator('[data-action="start"]').click();
    await page.locator('[data-started]').waitFor();
    await w.screenshot('visit-started');
  });

  it('finds the task in the group queue with its due badge, claims it and is stopped by an empty required field', async () => {
    const { page } = w;
    await page.locator('a', { hasText: '前往待办任务' }).click();
    const item = page.locator('.task-item', { hasText: '网格研判' });
    await item.waitFor();
    assert.match(await item.innerText(), /新厂房用地指标咨询/);
    assert.match(await item.innerText(), /第3网格/);
    assert.match(await item.innerText(), /剩 \d+ 个工作日|今日到期/);
    assert.match(await item.innerText(), /待认领/);
    await w.screenshot('group-queue');

    await item.click();
    await page.locator('[data-action="claim"]').click();
    await page.locator('[data-action="complete"]').waitFor();
    await page.locator('.alert-success', { hasText: '已认领' }).waitFor();
    await w.screenshot('claimed');

    await page.getByText('上报经开区（二级）').click();
    await page.locator('[data-action="complete"]').click();
    const opinion = page.locator('.fjs-form-field', { has: page.getByLabel('研判意见') });
    await opinion.locator('.fjs-form-field-error').waitFor();
    assert.equal((await opinion.locator('.fjs-form-field-error').innerText()).trim(), '此项为必填项。', 'the browser\'s check reads as the server\'s, in Chinese');
    await w.screenshot('required-field-error');
  });

  it('shows the server\'s error on a field the browser cannot check, then submits and the case goes to the zone', async () => {
    const { page } = w;
    await page.getByLabel('研判意见').fill('企业用地需求属实，需经开区协调规划资源部门。');
    await page.getByLabel('联系人手机').fill('12345678901'); // not a mainland mobile number
    await page.locator('[data-action="complete"]').click();
    const mobile = page.locator('.fjs-form-field', { has: page.getByLabel('联系人手机') });
    await mobile.locator('.fjs-form-field-error').waitFor();
    await w.screenshot('server-field-error');

    await page.getByLabel('联系人手机').fill('13812345678');
    await page.locator('[data-action="complete"]').click();
    await page.locator('.alert-success', { hasText: '任务已提交' }).waitFor();
    await w.screenshot('submitted');

    const next = await app.call(admin, 'POST', '/v2/user-tasks/search', { filter: { state: 'CREATED', processDefinitionId: 'web-visit' } });
    assert.equal(next.status, 200, next.text);
    assert.equal(next.json.items.length, 1);
    assert.equal(next.json.items[0].elementId, 'zone');
    assert.deepEqual(next.json.items[0].candidateGroups, ['zone-center']);
  });
});

/** form-js selects are searchable dropdowns: open, then choose the option by its label. */
async function pickOption(page: Watched['page'], label: string, option: string) {
  const field = page.locator('.fjs-form-field', { has: page.getByLabel(label) });
  await field.locator('.fjs-input-group').click();
  await field.locator('.fjs-dropdownlist-item', { hasText: option }).click();
}
