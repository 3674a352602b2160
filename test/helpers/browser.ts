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
  // A failed request's console message names no URL: the location does.
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}${m.location()?.url ? ` (${m.location().url})` : ''}`); });
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

/** Latin words a page may show in Chinese: the product's name, formats and units, standards. */
export const LATIN_ALLOWED = ['Gridflow', 'XML', 'BPMN', 'DMN', 'FEEL', 'Excel', 'CSV', 'JSON', 'HTML', 'ID', 'HTTP', 'HTTPS', 'SMTP', 'TLS', 'STARTTLS', 'URL', 'API', 'MiB', 'KB', 'MB', 'ms', 'Camunda', 'Zeebe', 'English', 'iframe', 'ISO', 'Markdown', 'Ctrl', 'Shift', 'Esc', 'Enter'];

/** Runs in the page: every Latin word of visible text and of placeholders, titles and accessible names. */
const STRAY_WORDS_IN_PAGE = String.raw`(root) => {
    const skip = 'script, style, code, pre, kbd, samp, textarea, input, select option:not(:checked), svg, .djs-container, [translate="no"], [aria-hidden="true"]';
    const visible = (el) => {
      const box = el.getClientRects();
      const style = getComputedStyle(el);
      return box.length > 0 && style.visibility !== 'hidden' && style.display !== 'none';
    };
    const words = (text) => text.split(/[\s\u3000，。、；：！？（）《》「」“”‘’【】]+/)
      .map((t) => t.replace(/^[([{"'«…]+|[)\]}"'»:;,.!?…]+$/g, ''))
      .filter((t) => /^[A-Za-z][A-Za-z']*[A-Za-z]$/.test(t) && t !== t.toUpperCase() && !/[a-z][A-Z]/.test(t));
    const out = [];
    const scope = document.querySelector(root) ?? document.body;
    const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest(skip) || !visible(el)) continue;
      const text = (n.textContent ?? '').trim();
      for (const word of words(text)) out.push({ word, text });
    }
    for (const el of scope.querySelectorAll('[placeholder], [title], [aria-label]')) {
      if (el.closest('.djs-container, [translate="no"]') || !visible(el)) continue;
      for (const attr of ['placeholder', 'title', 'aria-label']) {
        const text = el.getAttribute(attr)?.trim();
        if (text) for (const word of words(text)) out.push({ word, text: '[' + attr + '] ' + text });
      }
    }
    return out;
}`;

/**
 * The English words a page shows in Chinese mode: visible text, placeholders, titles and accessible
 * names, each with the text it was found in. Ids and codes are not words (a token with a digit, '_',
 * '.', '/', '@' or '-' inside, in capitals or in camelCase); nor is text in `code`, `pre`, `kbd`, `textarea`,
 * inputs, the diagram canvas (its labels are data) or under [translate=no]. `allow` adds words
 * (data such as user names) or patterns of whole texts.
 */
export async function strayEnglish(page: Page, opts: { root?: string; allow?: Array<string | RegExp> } = {}): Promise<string[]> {
  // A string, not a function: the test runner's compiler would name its inner functions with a helper the page lacks.
  const found = await page.evaluate(`(${STRAY_WORDS_IN_PAGE})(${JSON.stringify(opts.root ?? 'body')})`) as Array<{ word: string; text: string }>;
  const allowed = new Set(LATIN_ALLOWED.map((w) => w.toLowerCase()));
  // bpmn.io's licence mark on every diagram, with its own title.
  const patterns = [/^\[title\] Powered by bpmn\.io$/, ...(opts.allow ?? []).filter((a): a is RegExp => a instanceof RegExp)];
  const strings = (opts.allow ?? []).filter((a): a is string => typeof a === 'string');
  for (const s of strings) allowed.add(s.toLowerCase());
  const stray = found.filter((f) => !allowed.has(f.word.toLowerCase()) && !patterns.some((p) => p.test(f.text)));
  return [...new Set(stray.map((f) => `${f.word} ← ${f.text.slice(0, 120)}`))];
}

/** Fails with every stray English word of the page (see strayEnglish). */
export async function assertChinese(w: Watched, where: string, opts: { root?: string; allow?: Array<string | RegExp> } = {}): Promise<void> {
  const stray = await strayEnglish(w.page, opts);
  assert.deepEqual(stray, [], `English words left on ${where} in Chinese mode`);
}
