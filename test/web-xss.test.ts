// Hostile text where users and administrators can put text (variables, form labels and text,
// case titles, process and task names, user names) renders as text and runs nothing. The page
// runs without the Content-Security-Policy here, so an injection would execute if the app let one
// through: dialogs, a global set by the payload and stray elements are all checked.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { webAppFeature } from '../web/app-feature.ts';
import { bpmn, flow, userTask } from './helpers/bpmn.ts';
import { launchBrowser, openPage, signInAs, type Watched } from './helpers/browser.ts';
import { deployment, startSecureApp, type SecureApp } from './helpers/secure-app.ts';
import { VALID_USCC, visitForm, withFlowRefs } from './helpers/web-visit.ts';

const IMG = `<img src=x onerror="window.__xss=(window.__xss||0)+1;alert('xss')">`;
const SCRIPT = `<script>window.__xss=(window.__xss||0)+1;alert('xss')</script>`;
const HOSTILE = `${IMG}${SCRIPT}"'><svg onload="alert('xss')">`;
const xmlAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

describe('web app: hostile text renders as text', function () {
  this.timeout(120_000);
  let app: SecureApp;
  let browser: Browser;
  let w: Watched;
  let instanceKey: string;

  before(async () => {
    app = await startSecureApp('web_xss', { features: [webAppFeature] });
    const admin = await app.user('web-admin', ['administrator']);
    const form = { ...visitForm(HOSTILE), id: 'web-xss-visit' };
    const taskForm = {
      id: 'web-xss-task', type: 'default', schemaVersion: 16,
      components: [
        { type: 'text', id: 'intro', text: `说明 ${HOSTILE} **粗体** [链接](javascript:alert('xss'))` },
        { type: 'textfield', id: 'shown', key: 'title', label: HOSTILE, readonly: true },
        { type: 'textarea', id: 'note', key: 'note', label: `备注 ${HOSTILE}`, validate: { required: true } },
        { type: 'select', id: 'pick', key: 'pick', label: '选项', values: [{ label: HOSTILE, value: 'a' }, { label: '正常选项', value: 'b' }] },
      ],
    };
    const xml = withFlowRefs(bpmn('web-xss', `
      <bpmn:startEvent id="start" name="${xmlAttr(HOSTILE)}"><bpmn:extensionElements><zeebe:formDefinition formId="web-xss-visit"/></bpmn:extensionElements></bpmn:startEvent>
      ${userTask('work', '<zeebe:formDefinition formId="web-xss-task"/><zeebe:assignmentDefinition candidateGroups="grid-3"/>', xmlAttr(`办理 ${HOSTILE}`))}
      <bpmn:endEvent id="end"/>
      ${flow('f1', 'start', 'work')}${flow('f2', 'work', 'end')}`).replace('isExecutable="true">', `name="${xmlAttr(`走访 ${HOSTILE}`)}" isExecutable="true">`));
    const r = await app.call(admin, 'POST', '/v2/deployments', deployment(['xss.bpmn', xml], ['visit.form', JSON.stringify(form)], ['task.form', JSON.stringify(taskForm)]));
    assert.equal(r.status, 200, r.text);
    await app.auth.identity.store.createUser({ username: 'hostile', displayName: `王${IMG}`, password: 'correct-horse-battery-7', roles: ['cadre'], groups: ['grid-3'] });
    const cadre = await app.login('cadre', 'gridflow-demo');
    const s = await app.call(cadre, 'POST', '/v2/process-instances', { processDefinitionId: 'web-xss', variables: {
      enterpriseName: HOSTILE, enterprise: VALID_USCC, channel: 'onsite', category: '政策咨询', title: `诉求 ${HOSTILE}`, description: HOSTILE, caseNumber: `SQ-${HOSTILE}`,
    } });
    assert.equal(s.status, 200, s.text);
    instanceKey = s.json.processInstanceKey;
    browser = await launchBrowser();
    w = await openPage(browser, app.base, { suite: 'xss', bypassCSP: true });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await w.screenshot('failure');
    assert.deepEqual(w.dialogs, [], 'a payload opened a dialog');
    assert.equal(await w.page.evaluate(() => (window as unknown as { __xss?: number }).__xss ?? 0), 0, 'a payload ran');
    assert.equal(await w.page.locator('img[src="x"][onerror], svg[onload], #main script').count(), 0, 'a payload became an element');
  });

  it('a hostile user name in the header', async () => {
    await signInAs(w, 'hostile', 'correct-horse-battery-7');
    assert.match(await w.page.locator('.user-chip .name').innerText(), /王<img src=x onerror=/);
    await w.screenshot('header');
  });

  it('hostile variables, case titles, process and task names in the tasklist and the task', async () => {
    await w.page.locator('.task-item').first().waitFor();
    const item = await w.page.locator('.task-item').first().innerText();
    assert.ok(item.includes(`办理 ${HOSTILE}`), item);
    assert.ok(item.includes(`诉求 ${HOSTILE}`), item);
    await w.page.locator('.task-item').first().click();
    await w.page.locator('[data-action="claim"]').click();
    await w.page.locator('[data-action="complete"]').waitFor();
    assert.ok((await w.page.locator('#task-title').innerText()).includes(HOSTILE));
    await w.screenshot('task');
  });

  it('hostile form labels, options and text, and errors naming them', async () => {
    const labels = await w.page.locator('.form-view label').allInnerTexts();
    assert.ok(labels.some((l) => l.includes(HOSTILE)), labels.join(' | '));
    assert.equal(await w.page.locator('.form-view [onerror], .form-view [onload], .form-view a[href^="javascript:"]').count(), 0);
    await w.page.locator('[data-action="complete"]').click();
    await w.page.locator('.fjs-form-field-error').first().waitFor();
    await w.screenshot('task-form');
  });

  it('hostile start form labels', async () => {
    await w.page.goto('/start');
    const card = w.page.locator('[data-start="web-xss"]');
    assert.ok((await card.innerText()).includes(HOSTILE));
    await card.click();
    await w.page.locator('.form-view label').first().waitFor();
    assert.ok((await w.page.locator('.form-view label').first().innerText()).includes(HOSTILE));
    await w.screenshot('start-form');
  });

  it('hostile names and variables in the instance view and its diagram', async () => {
    await w.page.goto(`/instances/${instanceKey}`);
    await w.page.locator('.djs-element.gf-active').first().waitFor();
    assert.ok((await w.page.locator('h1').innerText()).includes(HOSTILE));
    assert.ok((await w.page.locator('.variables').innerText()).includes(HOSTILE));
    assert.ok((await w.page.locator('.timeline').innerText()).includes(HOSTILE));
    await w.screenshot('instance');
  });
});
