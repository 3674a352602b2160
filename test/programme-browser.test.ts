// The shipped diagrams and forms open in the browser as the modeler and Tasklist show them:
// bpmn-js imports every diagram without a warning; form-js renders every form (Chinese labels),
// and for a valid submission of the main forms it reports no error where the server accepts it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { shippedResources, type ShippedResource } from '../processes/diagrams/ship.ts';
import { validateSubmission } from '../forms/index.ts';
import { launchBrowser } from './helpers/browser.ts';

const lib = (path: string) => readFileSync(new URL(`../node_modules/${path}`, import.meta.url), 'utf8');

describe('programmes in the browser: bpmn-js and form-js', function () {
  this.timeout(120_000);
  let browser: Browser;
  let page: Page;
  let resources: ShippedResource[];
  before(async () => {
    resources = await shippedResources();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body><div id="canvas" style="width:1500px;height:900px"></div><div id="form"></div></body></html>');
    await page.addScriptTag({ content: lib('bpmn-js/dist/bpmn-viewer.production.min.js') });
    await page.addScriptTag({ content: lib('@bpmn-io/form-js/dist/form-viewer.umd.js') });
  });
  after(() => browser?.close());

  it('bpmn-js imports every diagram without warnings and draws every element', async () => {
    for (const d of resources.filter((r) => r.kind === 'process')) {
      const result = await page.evaluate(async (xml) => {
        const viewer = new (window as any).BpmnJS({ container: '#canvas' });
        const { warnings } = await viewer.importXML(xml);
        const drawn = viewer.get('elementRegistry').getAll().filter((e: any) => e.type !== 'label').length;
        viewer.destroy();
        return { warnings: warnings.map((w: any) => w.message), drawn };
      }, d.content);
      assert.deepEqual(result.warnings, [], d.name);
      const elements = (d.content.match(/<bpmndi:BPMN(Shape|Edge) /g) ?? []).length;
      assert.equal(result.drawn, elements + 1, `${d.name}: every shape and edge drawn (plus the root)`);
    }
  });

  it('form-js renders every form with its Chinese labels', async () => {
    for (const f of resources.filter((r) => r.kind === 'form')) {
      const result = await page.evaluate(async (schema) => {
        const form = new (window as any).FormViewer.Form({ container: document.querySelector('#form') });
        const { warnings } = await form.importSchema(JSON.parse(schema), {});
        const labels = [...document.querySelectorAll('#form label')].map((l) => l.textContent ?? '');
        form.destroy();
        return { warnings: warnings.map((w: any) => String(w.message ?? w)), labels };
      }, f.content);
      assert.deepEqual(result.warnings, [], f.name);
      assert.ok(result.labels.some((l) => /\p{Script=Han}/u.test(l)), `${f.name} shows Chinese labels`);
    }
  });

  it('form-js and the server agree on valid and invalid submissions of the handling forms', async () => {
    const cases: Array<[formId: string, data: Record<string, unknown>, expectErrors: string[]]> = [
      ['case-handle-zone', { decision: 'escalate', targetDept: 'dept-market', reason: '需区市场监管局现场核查' }, []],
      ['case-handle-zone', { decision: 'escalate', targetDept: 'dept-market' }, ['reason']],
      ['case-followup', { followUpDate: '2026-11-27', followUpChannel: '电话', rating: '不满意' }, ['ratingComment']],
      ['rotation-score', { scores: { communication: 4, judgement: 5, coordination: 3, discovery: 4, depth: 9 }, mentorComment: '表现积极，善于沟通' }, ['scores.depth']],
    ];
    for (const [formId, data, expected] of cases) {
      const schema = resources.find((r) => r.kind === 'form' && r.id === formId)!.content;
      const formJs = await page.evaluate(async ({ schema, data }) => {
        const form = new (window as any).FormViewer.Form({ container: document.querySelector('#form') });
        await form.importSchema(JSON.parse(schema), data);
        const { errors } = form.submit();
        form.destroy();
        return errors as Record<string, string[]>;
      }, { schema, data });
      const server = validateSubmission(JSON.parse(schema), data, {});
      const serverPaths = server.ok ? [] : server.errors.map((e) => e.path);
      assert.deepEqual(serverPaths, expected, `${formId}: server`);
      assert.equal(Object.keys(formJs).length, expected.length, `${formId}: form-js errors ${JSON.stringify(formJs)}`);
    }
  });
});
