// The web app's figures: every bundle chunk's size (raw and gzip), and the tasklist's first load
// on localhost in Chromium: navigation to DOMContentLoaded, to first contentful paint and to the
// list of tasks drawn, cold (empty cache) and warm (cached bundles), median of BENCH_WEB_RUNS.
// `node --import tsx bench/web-load.ts` (the platform on a fresh test database, like the tests).
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildApp, DIST_DIR, APP_DIR } from '../web/app/build.ts';
import { webAppFeature } from '../web/app-feature.ts';
import { launchBrowser } from '../test/helpers/browser.ts';
import { mochaHooks } from '../test/helpers/database.ts';
import { deployment, startSecureApp } from '../test/helpers/secure-app.ts';
import { assessForm, VALID_USCC, visitDiagram, visitForm } from '../test/helpers/web-visit.ts';

const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 7);
const TASKS = Number(process.env.BENCH_WEB_TASKS ?? 30);
const kb = (n: number) => (n / 1024).toFixed(1).padStart(8);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function bundles() {
  const build = await buildApp({ minify: true });
  console.log(`\nBundles (esbuild, minified; built in ${build.ms} ms)\n`);
  console.log(`${'file'.padEnd(34)} ${'raw KB'.padStart(8)} ${'gzip KB'.padStart(8)}  loaded by`);
  let total = 0, totalGz = 0, entryGz = 0;
  const rows = build.outputs.filter((o) => /\.(js|css)$/.test(o.file)).map((o) => {
    const content = readFileSync(join(DIST_DIR, o.file));
    const gz = gzipSync(content, { level: 9 }).length;
    return { ...o, gz };
  }).sort((a, b) => b.gz - a.gz);
  for (const r of rows) {
    const by = r.entryPoint ? relative(APP_DIR, r.entryPoint) : (r.file.endsWith('.css') ? 'stylesheet of a chunk' : 'shared chunk');
    console.log(`${r.file.padEnd(34)} ${kb(r.bytes)} ${kb(r.gz)}  ${by}`);
    total += r.bytes; totalGz += r.gz;
    if (r.entryPoint?.endsWith('main.tsx') || r.file.startsWith('assets/app-')) entryGz += r.gz;
  }
  console.log(`${'all chunks'.padEnd(34)} ${kb(total)} ${kb(totalGz)}`);
  console.log(`${'entry (app-*.js + app-*.css)'.padEnd(34)} ${''.padStart(8)} ${kb(entryGz)}`);
}

async function tasklistLoad() {
  const app = await startSecureApp('bench_web_load', { features: [webAppFeature] });
  const admin = await app.user('bench-admin', ['administrator']);
  const d = await app.call(admin, 'POST', '/v2/deployments', deployment(['visit.bpmn', await visitDiagram()], ['visit.form', JSON.stringify(visitForm())], ['assess.form', JSON.stringify(assessForm())]));
  if (d.status !== 200) throw new Error(d.text);
  const cadre = await app.login('cadre', 'gridflow-demo');
  for (let i = 0; i < TASKS; i++) {
    await app.call(cadre, 'POST', '/v2/process-instances', { processDefinitionId: 'web-visit', variables: {
      enterpriseName: `杭州临平企业${i + 1}`, enterprise: VALID_USCC, channel: 'onsite', category: '政策咨询', title: `诉求 ${i + 1}`, description: '—',
    } });
  }
  const session = cadre.headers.cookie!.split('=');
  const browser = await launchBrowser();
  const loaded = { files: [] as number[], bytes: [] as number[], api: [] as number[] };
  const figures = { cold: { dcl: [] as number[], fcp: [] as number[], list: [] as number[] }, warm: { dcl: [] as number[], fcp: [] as number[], list: [] as number[] } };
  try {
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 } });
      await context.addCookies([{ name: session[0]!, value: session.slice(1).join('='), url: app.base }]);
      const page = await context.newPage();
      for (const kind of ['cold', 'warm'] as const) {
        await page.goto(`${app.base}/tasks`);
        await page.locator('.task-item').first().waitFor();
        const listAt = await page.evaluate(() => performance.now());
        if (kind === 'cold') {
          const r = await page.evaluate(() => {
            const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
            const assets = res.filter((e) => e.name.includes('/assets/'));
            const api = res.find((e) => e.name.includes('/api/tasklist'));
            return { files: assets.length, bytes: assets.reduce((n, e) => n + e.transferSize, 0), api: api ? api.duration : NaN };
          });
          loaded.files.push(r.files); loaded.bytes.push(r.bytes); loaded.api.push(r.api);
        }
        const t = await page.evaluate(() => {
          const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
          const fcp = performance.getEntriesByName('first-contentful-paint')[0];
          return { dcl: nav.domContentLoadedEventEnd, fcp: fcp ? fcp.startTime : NaN };
        });
        figures[kind].dcl.push(t.dcl);
        figures[kind].fcp.push(t.fcp);
        figures[kind].list.push(listAt);
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await app.close();
  }
  console.log(`\nTasklist first load on localhost (Chromium, headless, ${TASKS} open tasks, median of ${RUNS}; ms from navigation start)\n`);
  console.log(`${''.padEnd(28)} ${'DOMContentLoaded'.padStart(17)} ${'first paint'.padStart(12)} ${'tasks listed'.padStart(13)}`);
  for (const kind of ['cold', 'warm'] as const) {
    const f = figures[kind];
    console.log(`${(kind === 'cold' ? 'cold (empty cache)' : 'warm (cached bundles)').padEnd(28)} ${median(f.dcl).toFixed(0).padStart(17)} ${median(f.fcp).toFixed(0).padStart(12)} ${median(f.list).toFixed(0).padStart(13)}`);
  }
  console.log(`\ncold load: ${median(loaded.files)} bundle files, ${(median(loaded.bytes) / 1024).toFixed(1)} KB transferred (gzip); GET /api/tasklist ${median(loaded.api).toFixed(0)} ms`);
}

try {
  await bundles();
  await tasklistLoad();
} finally {
  await mochaHooks.afterAll.call({ timeout: () => undefined } as never);
}
