// Scenario 4 (the instance view) in a real browser: the diagram highlights the active element and
// marks the path taken; the English switch turns the whole page English and is remembered; an
// administrator retries an incident; a grid leader cancels an instance of the grid.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { webAppFeature } from '../web/app-feature.ts';
import { DEMO_WORKER } from '../web/identity/bootstrap.ts';
import { bpmn, flow, serviceTask } from './helpers/bpmn.ts';
import { launchBrowser, openPage, signInAs, type Watched } from './helpers/browser.ts';
import { basic, deployment, startSecureApp, type Caller, type SecureApp } from './helpers/secure-app.ts';
import { assessForm, visitDiagram, visitForm, VALID_USCC } from './helpers/web-visit.ts';

describe('web app: the instance view and the English switch (scenario 4)', function () {
  this.timeout(120_000);
  let app: SecureApp;
  let browser: Browser;
  let admin: Caller;
  let visitKey: string;
  let failingKey: string;

  before(async () => {
    app = await startSecureApp('web_instance', { features: [webAppFeature] });
    admin = await app.user('web-admin', ['administrator']);
    const failing = bpmn('web-failing', `
      <bpmn:startEvent id="s"/>${serviceTask('notify', 'web.notify')}<bpmn:endEvent id="e"/>
      ${flow('a', 's', 'notify')}${flow('b', 'notify', 'e')}`).replace('isExecutable="true">', 'name="企业通知推送" isExecutable="true">');
    const r = await app.call(admin, 'POST', '/v2/deployments', deployment(
      ['visit.bpmn', await visitDiagram()], ['visit.form', JSON.stringify(visitForm())], ['assess.form', JSON.stringify(assessForm())], ['failing.bpmn', failing],
    ));
    assert.equal(r.status, 200, r.text);
    const started = await app.call(admin, 'POST', '/v2/process-instances', { processDefinitionId: 'web-visit', variables: {
      gridId: 3, enterpriseName: '杭州临平智造科技有限公司', enterprise: VALID_USCC, channel: 'onsite', category: '用地规划', title: '新厂房用地指标咨询', description: '咨询工业用地指标。',
    } });
    assert.equal(started.status, 200, started.text);
    visitKey = started.json.processInstanceKey;

    const f = await app.call(admin, 'POST', '/v2/process-instances', { processDefinitionId: 'web-failing', variables: { gridId: 3 } });
    failingKey = f.json.processInstanceKey;
    const worker = basic(DEMO_WORKER.clientId, DEMO_WORKER.secret);
    const jobs = await app.call(worker, 'POST', '/v2/jobs/activation', { type: 'web.notify', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 5_000 });
    assert.equal(jobs.json.jobs.length, 1, jobs.text);
    const failed = await app.call(worker, 'POST', `/v2/jobs/${jobs.json.jobs[0].jobKey}/failure`, { retries: 0, errorMessage: '短信网关超时 (SMS gateway timed out)' });
    assert.equal(failed.status, 204, failed.text);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('highlights the active element and marks the path taken', async () => {
    const w = await openPage(browser, app.base, { suite: 'scenario-4' });
    await signInAs(w, 'leader');
    await w.page.locator('[data-nav="instances"]').click();
    await w.page.locator(`[data-instance-link="${visitKey}"]`).click();
    await w.page.locator('.djs-element.gf-active[data-element-id="assess"]').waitFor();
    assert.equal(await w.page.locator('.djs-element.gf-done[data-element-id="start"]').count(), 1);
    assert.equal(await w.page.locator('.djs-element.gf-taken[data-element-id="f1"]').count(), 1);
    assert.equal(await w.page.locator('.djs-element.gf-taken[data-element-id="f3"]').count(), 0);
    assert.match(await w.page.locator('[data-open-task="assess"]').innerText(), /网格研判[\s\S]*第3网格/);
    assert.match(await w.page.locator('.variables').innerText(), /新厂房用地指标咨询/);
    await w.screenshot('instance-view-zh');
    assertClean(w);
    await w.context.close();
  });

  it('switches to English, everywhere on the page, and remembers it', async () => {
    const w = await openPage(browser, app.base, { suite: 'scenario-4-en' });
    await signInAs(w, 'leader');
    await w.page.goto(`/instances/${visitKey}`);
    await w.page.locator('.djs-element.gf-active').first().waitFor();
    await w.page.locator('.lang-switch button', { hasText: 'English' }).click();
    await w.page.locator('.card-title', { hasText: 'Diagram' }).waitFor();
    assert.equal(await w.page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await w.page.locator('[data-nav="tasks"]').innerText(), 'Tasks');
    await w.page.reload();
    await w.page.locator('.card-title', { hasText: 'Open tasks' }).waitFor();
    const text = await w.page.locator('#main').innerText();
    // Chinese left on the page is data (names from the diagram and the variables), not the interface.
    const chrome = text.replace(/企业走访与诉求办理|网格研判|新厂房用地指标咨询|杭州临平智造科技有限公司|用地规划|咨询工业用地指标。|记录走访|经开区协调办理|回访总结|办结|处理方式？/g, '');
    assert.doesNotMatch(chrome, /[\u4e00-\u9fff]/, `interface text left in Chinese: ${chrome.match(/.{0,20}[\u4e00-\u9fff]+.{0,20}/)?.[0]}`);
    await w.screenshot('instance-view-en');
    await w.page.locator('[data-nav="tasks"]').click();
    await w.page.locator('.task-item').first().waitFor();
    await w.screenshot('tasklist-en');
    assertClean(w);
    await w.context.close();
  });

  it('lets an administrator retry an incident', async () => {
    const w = await openPage(browser, app.base, { suite: 'scenario-4-incident' });
    await signInAs(w, 'admin');
    await w.page.goto(`/instances/${failingKey}`);
    const incident = w.page.locator('[data-incident]');
    await incident.waitFor();
    assert.match(await incident.innerText(), /短信网关超时/);
    await w.page.locator('.djs-element.gf-incident[data-element-id="notify"]').waitFor();
    await w.screenshot('incident');
    const key = await incident.getAttribute('data-incident');
    await incident.locator('[data-action="retry"]').click();
    await w.page.locator('.alert-success', { hasText: '已重试' }).waitFor();
    await w.page.locator(`[data-incident="${key}"]`).waitFor({ state: 'detached' });
    const after = await app.call(admin, 'POST', '/v2/incidents/search', { filter: { incidentKey: key } });
    assert.equal(after.json.items[0].state, 'RESOLVED');
    await w.screenshot('incident-retried');
    assertClean(w);
    await w.context.close();
  });

  it('lets a grid leader cancel an instance of the grid, after confirming', async () => {
    const w = await openPage(browser, app.base, { suite: 'scenario-4-cancel' });
    await signInAs(w, 'leader');
    await w.page.goto(`/instances/${visitKey}`);
    w.acceptNextDialog();
    await w.page.locator('[data-action="cancel-instance"]').click();
    await w.page.locator('[data-state="TERMINATED"]').waitFor();
    await w.screenshot('cancelled');
    const pi = await app.call(admin, 'GET', `/v2/process-instances/${visitKey}`);
    assert.equal(pi.json.state, 'TERMINATED');
    assertClean(w);
    await w.context.close();
  });
});

function assertClean(w: Watched) {
  assert.deepEqual(w.dialogs, []);
  assert.deepEqual(w.errors, []);
}
