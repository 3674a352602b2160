// Every page of the web app in Chinese, with no English word of the interface left on it (ids,
// codes, proper names and units allowed: see strayEnglish in helpers/browser.ts), then in English
// with the switch. On the demo zone with the shipped programmes and the plugins, as a cadre (the
// tasklist, a task's form, start forms) and as the administrator (the rest).
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { createPluginsFeature } from '../plugins/host/feature.ts';
import { programmesFeature } from '../processes/programmes.ts';
import { createZoneFeature } from '../processes/zone-feature.ts';
import { adminFeature } from '../web/admin-api.ts';
import { webAppFeature } from '../web/app-feature.ts';
import { assertChinese, checkPageAfterTest, launchBrowser, openPage, signInAs, type Watched } from './helpers/browser.ts';
import { recordVisit } from './helpers/web-programmes.ts';
import { startSecureApp, type SecureApp } from './helpers/secure-app.ts';

// The demo zone's users and groups, and the shipped plugins' templates, carry an English gloss in
// their names ("第3网格干部 (demo cadre, grid 3)", "部门审查 (Department review)"): data, not the interface.
const DEMO_NAMES = /[\u4e00-\u9fff][^()]* \([A-Za-z][A-Za-z0-9 ,-]*\)$/;
// User names are ids (an open task's assignee).
const USERS = ['cadre', 'admin'];

/** Opens a page and waits until it has drawn its content (no spinner, lazy chunks and their styles in). */
async function show(page: Page, path: string, ready: string): Promise<void> {
  await page.goto(path);
  await page.locator(ready).first().waitFor();
  await page.locator('.loading').first().waitFor({ state: 'detached' }).catch(() => undefined);
  await page.waitForTimeout(300);
}

async function toLanguage(page: Page, name: 'English' | '中文'): Promise<void> {
  await page.locator('.lang-switch button', { hasText: name }).click();
  await page.locator('html').getAttribute('lang');
}

describe('web app: every page in Chinese, none with English words left', function () {
  this.timeout(300_000);
  let app: SecureApp;
  let browser: Browser;
  let cadre: Watched;
  let admin: Watched;
  let flows: string | undefined;
  let taskKey = '';
  let startKey = '';
  let caseNumber = '';
  let instanceKey = '';

  before(async () => {
    flows = process.env.GRIDFLOW_DEMO_FLOWS;
    process.env.GRIDFLOW_DEMO_FLOWS = 'false';
    app = await startSecureApp('web_chinese', { features: [createZoneFeature(), programmesFeature, webAppFeature, adminFeature, createPluginsFeature()] });
    const cadreCaller = await app.login('cadre', 'gridflow-demo');
    await recordVisit(app, cadreCaller, ['园区道路照明不足']);
    const tasks = await app.call(cadreCaller, 'GET', '/api/tasklist?view=groups');
    const task = tasks.json.items.find((t: { title?: string }) => t.title === '园区道路照明不足');
    assert.ok(task, tasks.text);
    taskKey = String(task.userTaskKey);
    caseNumber = String(task.caseNumber);
    instanceKey = String(task.processInstanceKey);
    const forms = await app.call(cadreCaller, 'GET', '/api/start-forms');
    startKey = String(forms.json.items.find((i: { processDefinitionId: string }) => i.processDefinitionId === 'enterprise-service-loop').processDefinitionKey);
    browser = await launchBrowser();
    cadre = await openPage(browser, app.base, { suite: 'chinese-cadre', height: 1000 });
    admin = await openPage(browser, app.base, { suite: 'chinese-admin', height: 1000 });
    await signInAs(cadre, 'cadre');
    await signInAs(admin, 'admin');
  });

  after(async () => {
    if (flows === undefined) delete process.env.GRIDFLOW_DEMO_FLOWS; else process.env.GRIDFLOW_DEMO_FLOWS = flows;
    await browser?.close();
    await app?.close();
  });

  afterEach(async function () {
    await checkPageAfterTest(this.currentTest, cadre);
    await checkPageAfterTest(this.currentTest, admin);
  });

  it('the sign-in page with the demo logins', async function () {
    const visitor = await openPage(browser, app.base, { suite: 'chinese-signin' });
    await show(visitor.page, '/', '[data-demo-login="cadre"]');
    await assertChinese(visitor, 'the sign-in page', { allow: [DEMO_NAMES, ...USERS] });
    await visitor.screenshot('sign-in');
    await checkPageAfterTest(this.test as Mocha.Test, visitor);
    await visitor.context.close();
  });

  it('the tasklist, a task with its form (claimed, with a date field), the start list and a start form', async () => {
    const { page } = cadre;
    await show(page, '/tasks?view=groups', '[data-page="tasks"] .task-list');
    await assertChinese(cadre, 'the tasklist', { allow: [DEMO_NAMES, ...USERS] });
    await cadre.screenshot('tasklist');
    await show(page, `/tasks/${taskKey}`, '.fjs-form');
    await page.locator('[data-action="claim"]').click();
    await page.locator('[data-action="complete"]').waitFor();
    await page.waitForTimeout(300);
    await assertChinese(cadre, 'a task with its form', { allow: [DEMO_NAMES, ...USERS] });
    await cadre.screenshot('task');
    await show(page, '/start', '[data-start]');
    await assertChinese(cadre, 'the start list', { allow: [DEMO_NAMES, ...USERS] });
    await show(page, `/start/${startKey}`, '.fjs-form');
    // form-js's date field: its placeholder in the user's language, and its calendar.
    const date = page.locator('.fjs-form-field-datetime input').first();
    assert.equal(await date.getAttribute('placeholder'), '年/月/日');
    await date.click();
    await page.locator('.flatpickr-calendar.open').waitFor();
    assert.match(await page.locator('.flatpickr-calendar.open .flatpickr-weekdays').innerText(), /周一/);
    await assertChinese(cadre, 'a start form with its date picker open', { allow: [DEMO_NAMES, ...USERS] });
    await cadre.screenshot('start-form-date');
    await page.keyboard.press('Escape');
    await toLanguage(page, 'English');
    await show(page, `/start/${startKey}`, '.fjs-form');
    assert.equal(await date.getAttribute('placeholder'), 'yyyy/mm/dd');
    await date.click();
    assert.match(await page.locator('.flatpickr-calendar.open .flatpickr-weekdays').innerText(), /Mon/);
    await cadre.screenshot('start-form-date-english');
    await page.keyboard.press('Escape');
    await toLanguage(page, '中文');
  });

  /** Each page (path, what shows it is ready, its name) opened as the administrator, checked and photographed. */
  const eachInChinese = async (pages: Array<[string, string, string]>) => {
    for (const [path, ready, where] of pages) {
      await show(admin.page, path, ready);
      await assertChinese(admin, where, { allow: [DEMO_NAMES, ...USERS] });
      await admin.screenshot(where.replace(/\W+/g, '-'));
    }
  };

  it('cases, a case, instances, an instance, and the dashboards', async () => {
    const pages: Array<[string, string, string]> = [
      ['/cases', '[data-page="cases"] table', 'the cases list'],
      [`/cases/${caseNumber}`, '[data-page="case"] .timeline, [data-page="case"] h1', 'a case'],
      ['/instances', '[data-page="instances"] table', 'the instances list'],
      [`/instances/${instanceKey}`, '[data-page="instance"] .djs-container', 'an instance'],
      ['/dashboard', '[data-testid="chart-status"] canvas', 'the dashboard'],
      ['/dashboard/monthly', '[data-testid=export-monthly]', 'the monthly report'],
    ];
    await eachInChinese(pages);
  });

  it('the administrators\' pages: modeler, form designer, users, org import, plugins with their settings, calendar', async () => {
    const { page } = admin;
    const pages: Array<[string, string, string]> = [
      ['/admin/modeler', '.djs-palette', 'the modeler'],
      ['/admin/forms?form=visit-record', '.fjs-editor-container, [data-testid=form-editor] .fjs-container', 'the form designer'],
      ['/admin/users', '[data-testid=users-table] td', 'users and groups'],
      ['/admin/org-import', '[data-testid=org-file]', 'the org import'],
      ['/admin/calendar', '[data-page="admin-calendar"] table, [data-page="admin-calendar"] h1', 'the calendar'],
    ];
    await eachInChinese(pages);
    // The modeler's properties panel with a user task selected and every group open.
    await show(page, '/admin/modeler', '.djs-palette');
    await page.locator('[data-testid=new-select]').selectOption({ label: '从内置方案：三级闭环办理' });
    await page.locator('.djs-element[data-element-id="assess"] .djs-hit').first().click();
    const panel = page.locator('[data-testid=properties-panel]');
    await panel.locator('.bio-properties-panel-header-label').first().waitFor();
    for (const h of await panel.locator('.bio-properties-panel-group-header:not(.open)').all()) await h.click({ timeout: 2000 }).catch(() => undefined);
    await assertChinese(admin, 'the modeler\'s properties panel of a user task', { root: '[data-testid=properties-panel]' });
    await admin.screenshot('modeler-user-task-panel');
    await show(page, '/admin/plugins', '[data-testid=plugin-http-call]');
    for (const id of ['http-call', 'notification', 'department-review']) {
      await page.locator('.card', { has: page.locator(`[data-testid=plugin-${id}]`) }).getByRole('button', { name: '设置' }).click();
      await page.locator(`[data-testid=settings-${id}] label`).first().waitFor();
    }
    await assertChinese(admin, 'the plugins with their settings', { allow: [DEMO_NAMES, ...USERS] });
    await admin.screenshot('plugins-settings');
  });

  it('with the switch, every page\'s title and the navigation in English', async () => {
    const { page } = admin;
    await show(page, '/tasks', '.page-header h1');
    await toLanguage(page, 'English');
    const cjk = /[\u4e00-\u9fff]/;
    for (const path of ['/tasks', '/start', '/cases', '/instances', '/dashboard', '/dashboard/monthly', '/admin/modeler', '/admin/forms', '/admin/users', '/admin/org-import', '/admin/calendar', '/admin/plugins']) {
      await show(page, path, '.page-header h1');
      const title = await page.locator('.page-header h1').innerText();
      assert.doesNotMatch(title, cjk, `${path}: ${title}`);
      const nav = await page.locator('.app-header nav, .app-nav').first().innerText().catch(() => '');
      assert.doesNotMatch(nav, cjk, `${path}: the navigation ${nav}`);
    }
    await admin.screenshot('plugins-english');
    await toLanguage(page, '中文');
  });
});
