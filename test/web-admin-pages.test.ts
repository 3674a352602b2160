// The other admin pages in a real browser: users and groups, the org data import with its report
// of rejected rows, plugins and their settings (a form generated from the JSON Schema), and the
// modeler with the plugins' element templates loaded.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { usccCheckCharacter } from '../forms/uscc.ts';
import { createPluginsFeature } from '../plugins/host/feature.ts';
import { createZoneFeature } from '../processes/zone-feature.ts';
import { adminFeature } from '../web/admin-api.ts';
import { webAppFeature } from '../web/app-feature.ts';
import { ARTIFACTS, launchBrowser, openPage, signInAs, checkPageAfterTest, type Watched } from './helpers/browser.ts';
import { startSecureApp, type Caller, type SecureApp } from './helpers/secure-app.ts';

const uscc = (body: string) => body + usccCheckCharacter(body);

describe('web app: users, org import and plugins pages', function () {
  this.timeout(180_000);
  let app: SecureApp;
  let browser: Browser;
  let admin: Caller;
  let w: Watched;

  before(async () => {
    app = await startSecureApp('web_admin_pages', { features: [createZoneFeature(), webAppFeature, adminFeature, createPluginsFeature()] });
    admin = await app.login('admin', 'gridflow-demo');
    browser = await launchBrowser();
    w = await openPage(browser, app.base, { suite: 'admin-pages', height: 1000 });
    await signInAs(w, 'admin');
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  // Refusals the pages show (a weak password, invalid settings, an old .xls file) are 400s and 415s in the console.
  afterEach(function () { return checkPageAfterTest(this.currentTest, w, /status of 4(00|15)/); });

  it('users: an administrator creates a cadre of grid 3; a weak password is refused with the reason', async () => {
    const { page } = w;
    await page.goto('/admin/users');
    await page.locator('[data-testid=users-table] td', { hasText: 'cadre' }).first().waitFor();
    await page.getByRole('button', { name: '新建用户' }).click();
    await page.locator('#new-username').fill('wang-xm');
    await page.locator('#new-display').fill('王小明');
    await page.locator('#new-password').fill('123456789012');
    await page.locator('#new-group-grid-3').check();
    await page.getByRole('button', { name: '创建', exact: true }).click();
    await page.locator('.alert-error').waitFor();
    await page.locator('#new-password').fill('Linping-grid-service-2026');
    await page.getByRole('button', { name: '创建', exact: true }).click();
    await page.locator('[data-testid=users-table] td', { hasText: 'wang-xm' }).waitFor();
    const r = await app.call(admin, 'GET', '/api/users/wang-xm');
    assert.deepEqual([r.json.displayName, r.json.roles, r.json.groups], ['王小明', ['cadre'], ['grid-3']]);
    await w.screenshot('users');
  });

  it('org import: a check lists each rejected row with its field and reason and writes nothing; the import writes the rows that pass', async () => {
    const before = await app.call(admin, 'GET', '/api/org/enterprises?pageSize=1');
    const csv = [
      '统一社会信用代码,企业名称,产业,所属网格,联系人,联系电话',
      `${uscc('91330110MA2KX0001')},杭州临平新测试科技有限公司,智能制造,3,李明,13800000000`,
      '91330110MA2KX00012,校验位不对的公司,生物医药,3,赵六,13900000000',
      `${uscc('91330110MA2KX0002')},网格不存在的公司,家纺布艺,99,钱七,13700000000`,
    ].join('\n');
    const file = join(ARTIFACTS, 'admin-pages', 'enterprises.csv');
    writeFileSync(file, csv);

    const { page } = w;
    await page.goto('/admin/org-import');
    await page.getByRole('radio', { name: '企业' }).check();
    await page.locator('[data-testid=org-file]').setInputFiles(file);
    await page.locator('[data-testid=org-check]').click();
    const rejections = page.locator('[data-testid=rejections] tbody tr');
    await rejections.first().waitFor();
    assert.equal(await rejections.count(), 2);
    assert.match(await rejections.nth(0).innerText(), /^3\s+统一社会信用代码/);
    assert.match(await rejections.nth(1).innerText(), /^4\s+所属网格/);
    // The reasons in the user's language, from the server's codes.
    assert.match(await rejections.nth(0).innerText(), /“91330110MA2KX00012”不是有效的统一社会信用代码/);
    assert.match(await rejections.nth(1).innerText(), /网格 99 不存在/);
    assert.match(await page.locator('[data-testid=org-report]').innerText(), /通过 1 行/);
    assert.equal((await app.call(admin, 'GET', '/api/org/enterprises?pageSize=1')).json.page.totalItems, before.json.page.totalItems, 'a check writes nothing');
    await w.screenshot('org-import-check');
    await page.locator('.lang-switch button', { hasText: 'English' }).click();
    await rejections.nth(1).filter({ hasText: 'Grid 99 does not exist.' }).waitFor();
    assert.match(await rejections.nth(0).innerText(), /is not a valid unified social credit code/);
    await w.screenshot('org-import-check-english');
    await page.locator('.lang-switch button', { hasText: '中文' }).click();
    await rejections.nth(1).filter({ hasText: '网格 99 不存在' }).waitFor();

    await page.locator('[data-testid=org-import]').click();
    await page.locator('[data-testid=org-report]', { hasText: '新增 1' }).waitFor();
    assert.equal((await app.call(admin, 'GET', '/api/org/enterprises?pageSize=1')).json.page.totalItems, before.json.page.totalItems + 1);
    await w.screenshot('org-import-done');

    // A file refused as a whole says why in the user's language, naming the missing column as the page does.
    const headless = join(ARTIFACTS, 'admin-pages', 'no-credit-code.csv');
    writeFileSync(headless, '企业名称,产业,所属网格\n杭州临平某公司,智能制造,3\n');
    await page.locator('[data-testid=org-file]').setInputFiles(headless);
    await page.locator('[data-testid=org-check]').click();
    await page.locator('[data-testid=org-error]', { hasText: '第一行缺少必需的列：统一社会信用代码。' }).waitFor();
    await w.screenshot('org-import-missing-column');
    // Files refused before they are read: an old Excel workbook (the server's 415) and an empty file.
    const xls = join(ARTIFACTS, 'admin-pages', 'old.xls');
    writeFileSync(xls, Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]));
    await page.locator('[data-testid=org-file]').setInputFiles(xls);
    await page.locator('[data-testid=org-check]').click();
    await page.locator('[data-testid=org-error]', { hasText: '旧版 Excel（.xls）等格式请另存为 .xlsx 或 CSV' }).waitFor();
    const empty = join(ARTIFACTS, 'admin-pages', 'empty.csv');
    writeFileSync(empty, '');
    await page.locator('[data-testid=org-file]').setInputFiles(empty);
    await page.locator('[data-testid=org-check]').click();
    await page.locator('[data-testid=org-error]', { hasText: '文件是空的。' }).waitFor();
  });

  it('plugins: the settings form follows the schema; the server refuses what the schema refuses', async () => {
    const { page } = w;
    await page.goto('/admin/plugins');
    const card = page.locator('.card', { has: page.locator('[data-testid=plugin-http-call]') });
    await card.waitFor();
    await card.getByRole('button', { name: '设置' }).click();
    const timeout = page.locator('[data-testid=settings-http-call] #settings-defaultTimeoutMs');
    const form = page.locator('[data-testid=settings-http-call]');
    // Each setting is named by its schema's title, in Chinese.
    await timeout.waitFor();
    assert.deepEqual(await form.locator('label[for^="settings-"]').allInnerTexts(), ['默认超时（毫秒）', '允许调用的主机', '重试前等待（毫秒）']);
    // … and described in Chinese (the schema's description; x-description-en in English).
    assert.deepEqual(await form.locator('.gf-field-help').allInnerTexts(), ['任务未设置超时时，请求的超时时间', '每行一项。填写后，只允许调用这些主机名', '遇到 5xx 或网络错误时，重试前等待的时间']);
    // The browser holds back what the schema's bounds refuse …
    await timeout.fill('50');
    await form.getByRole('button', { name: '保存设置' }).click();
    assert.equal(await timeout.evaluate((e: HTMLInputElement) => e.validity.rangeUnderflow), true);
    // … and the server refuses it when it comes as JSON.
    await form.getByRole('tab', { name: 'JSON' }).click();
    await form.locator('textarea').fill(JSON.stringify({ defaultTimeoutMs: 50 }));
    await form.getByRole('button', { name: '保存设置' }).click();
    await form.locator('.alert-error', { hasText: 'defaultTimeoutMs' }).waitFor();
    await form.getByRole('tab', { name: '表单' }).click();
    await timeout.fill('20000');
    await page.locator('[data-testid=settings-http-call] #settings-allowedHosts').fill('api.example.gov.cn\nopen.zj.gov.cn');
    await page.locator('[data-testid=settings-http-call]').getByRole('button', { name: '保存设置' }).click();
    await page.locator('[data-testid=settings-http-call] .alert-success').waitFor();
    const r = await app.call(admin, 'GET', '/api/plugins/http-call/settings');
    assert.equal(r.json.settings.defaultTimeoutMs, 20000);
    assert.deepEqual(r.json.settings.allowedHosts, ['api.example.gov.cn', 'open.zj.gov.cn']);
    await w.screenshot('plugins-settings');

    const review = page.locator('.card', { has: page.locator('[data-testid=plugin-department-review]') });
    await review.getByRole('button', { name: '设置' }).click();
    const rules = page.locator('[data-testid=settings-department-review]');
    await rules.locator('fieldset legend', { hasText: '统计入库规则' }).waitFor();
    const labels = await rules.locator('.gf-list-item').first().locator('label').allInnerTexts();
    assert.deepEqual(labels.map((l) => l.replace(/\s*\*$/, '')), ['统计类别', '所属行业', '营业收入下限（万元）', '从业人员下限（人）']);
    await w.screenshot('plugins-list-settings');
    await page.locator('.lang-switch button', { hasText: 'English' }).click();
    await rules.locator('fieldset legend', { hasText: 'Enrolment rules' }).waitFor();
    assert.match(await rules.innerText(), /Minimum revenue \(10,000 yuan\)/);
    assert.match(await rules.innerText(), /In 10,000 yuan/);
    assert.doesNotMatch(await rules.locator('.gf-field-help').first().innerText(), /[\u4e00-\u9fff]/, 'described in English');
    await w.screenshot('plugins-list-settings-english');
    await page.locator('.lang-switch button', { hasText: '中文' }).click();
    await rules.locator('fieldset legend', { hasText: '统计入库规则' }).waitFor();
    assert.match(await rules.innerText(), /单位：万元/);
  });

  it('the modeler offers the enabled plugins\' element templates', async () => {
    const templates = await app.call(admin, 'GET', '/api/plugins/templates');
    assert.ok(templates.json.length > 0);
    const { page } = w;
    await page.goto('/admin/modeler');
    await page.locator('[data-testid=modeler-status]', { hasText: `已载入 ${templates.json.length} 个插件模板` }).waitFor();
  });
});
