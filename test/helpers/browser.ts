// A real browser for the web app's tests: Debian's Chromium driven by playwright-core, headless.
// Every page records dialogs (an XSS that ran), uncaught errors, console errors and CSP
// violations; screenshots go to test-artifacts/web/ (git-ignored) to be looked at.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'web');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage', '--font-render-hinting=none'],
  });
}

export interface Watched {
  page: Page;
  context: BrowserContext;
  /** Messages of dialogs opened (alert/confirm/prompt): none may open. */
  dialogs: string[];
  /** Uncaught exceptions and console errors. */
  errors: string[];
  /** Accept the next confirm() the page asks (a dialog the test expects), instead of recording it. */
  acceptNextDialog(): void;
  screenshot(name: string, opts?: { fullPage?: boolean }): Promise<string>;
}

export async function openPage(browser: Browser, base: string, opts: { width?: number; height?: number; locale?: string; suite: string; bypassCSP?: boolean }): Promise<Watched> {
  const context = await browser.newContext({
    baseURL: base,
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 860 },
    locale: opts.locale ?? 'zh-CN',
    deviceScaleFactor: 1,
    // Tests that inject axe-core, or check that hostile text runs nothing even without the CSP's help.
    bypassCSP: opts.bypassCSP ?? false,
    ...(opts.width !== undefined && opts.width < 500 && { isMobile: true, hasTouch: true, deviceScaleFactor: 2 }),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const dialogs: string[] = [];
  const errors: string[] = [];
  let accept = false;
  page.on('dialog', (d) => {
    if (accept && d.type() === 'confirm') { accept = false; void d.accept(); return; }
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  const dir = join(ARTIFACTS, opts.suite);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return {
    page, context, dialogs, errors,
    acceptNextDialog() { accept = true; },
    async screenshot(name, o = {}) {
      const file = join(dir, `${String(++n).padStart(2, '0')}-${name}.png`);
      // A full-page shot of a scrolled page would draw the sticky header mid-page.
      if (o.fullPage ?? true) await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: file, fullPage: o.fullPage ?? true, animations: 'disabled' });
      return file;
    },
  };
}

/** Signs in through the sign-in page (the demo password unless given). */
export async function signInAs(w: Watched, username: string, password = 'gridflow-demo'): Promise<void> {
  const { page } = w;
  await page.goto('/');
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('form button[type=submit]').click();
  await page.locator('.app-header [data-user]').waitFor({ state: 'attached' });
}

/**
 * For afterEach: a failed test leaves a screenshot of the page; after a passed one no dialog may have
 * opened and no page error been logged, except those `expected` matches (the HTTP refusals a page shows).
 */
export async function checkPageAfterTest(test: Mocha.Test | undefined, w: Watched, expected?: RegExp): Promise<void> {
  if (test?.state === 'failed') { await w?.screenshot('failure'); return; }
  assert.deepEqual(w.dialogs, [], 'no dialog may open');
  assert.deepEqual(expected ? w.errors.filter((e) => !expected.test(e)) : w.errors, [], 'no page errors');
}
