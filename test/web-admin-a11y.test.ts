// No serious or critical accessibility violations (axe-core, WCAG 2.1 A/AA and best practice) on
// the dashboards and the admin pages the app draws itself (users, org import with its report,
// plugins with a settings form), in Chinese and in English. The modeler's and the form designer's
// canvases are the libraries' own and are not checked here.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { createPluginsFeature } from '../plugins/host/feature.ts';
import { createZoneFeature } from '../processes/zone-feature.ts';
import { adminFeature } from '../web/admin-api.ts';
import { webAppFeature } from '../web/app-feature.ts';
import { assertAccessible } from './helpers/axe.ts';
import { ARTIFACTS, launchBrowser, openPage, signInAs, type Watched } from './helpers/browser.ts';
import { startSecureApp, type SecureApp } from './helpers/secure-app.ts';


describe('web app: accessibility of the dashboards and admin pages', function () {
  this.timeout(180_000);
  let app: SecureApp;
  let browser: Browser;
  let w: Watched;

  before(async () => {
    app = await startSecureApp('web_admin_a11y', { features: [createZoneFeature(), webAppFeature, adminFeature, createPluginsFeature()] });
    browser = await launchBrowser();
    w = await openPage(browser, app.base, { suite: 'admin-a11y', bypassCSP: true });
    await signInAs(w, 'admin');
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  const check = async (what: string) => {
    await w.screenshot(what);
    await assertAccessible(w.page, what);
  };

  for (const locale of ['中文', 'English'] as const) {
    it(`dashboards and admin pages (${locale})`, async () => {
      const { page } = w;
      await page.goto('/dashboard?period=all');
      await page.locator('.lang-switch button', { hasText: locale }).click();
      await page.locator('[data-testid=chart-status] canvas').waitFor();
      await check(`dashboard-${locale}`);

      await page.goto('/dashboard/monthly');
      await page.locator('[data-testid=findings] li').first().waitFor();
      await check(`monthly-${locale}`);

      await page.goto('/admin/users');
      await page.locator('[data-testid=users-table] tbody tr').first().waitFor();
      await page.locator('.page-header .btn-primary').click();
      await check(`users-${locale}`);

      const file = join(ARTIFACTS, 'admin-a11y', 'cadres.csv');
      writeFileSync(file, '干部编号,姓名,老中青,来源单位,所属网格\nC900,测试干部,青,经开区机关,3\nC901,,老,经开区机关,3\n');
      await page.goto('/admin/org-import');
      await page.locator('[data-testid=org-file]').setInputFiles(file);
      await page.locator('[data-testid=org-check]').click();
      await page.locator('[data-testid=org-report]').waitFor();
      await check(`org-import-${locale}`);

      await page.goto('/admin/plugins');
      await page.locator('[data-testid=plugin-http-call]').waitFor();
      await page.locator('.card', { has: page.locator('[data-testid=plugin-http-call]') }).locator('.card-header .btn').last().click();
      await page.locator('[data-testid=settings-http-call]').waitFor();
      await check(`plugins-${locale}`);
    });
  }
});
