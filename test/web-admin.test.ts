// The admin pages in a real browser. Scenario 1: an administrator changes the tier-1 deadline of
// the three-tier process in the modeler's properties panel and deploys; the new version is
// listed; a new case uses it and a case already running keeps its version. Scenario 2: an
// administrator adds a required field to a form in the designer and deploys; the next task shows
// it. And the modeler's palette and context pad in both languages.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { usccCheckCharacter } from '../forms/uscc.ts';
import { Driver } from '../processes/demo/drive.ts';
import { deployShipped } from '../processes/diagrams/ship.ts';
import { createZoneFeature } from '../processes/zone-feature.ts';
import { adminFeature } from '../web/admin-api.ts';
import { webAppFeature } from '../web/app-feature.ts';
import { launchBrowser, openPage, signInAs, checkPageAfterTest, type Watched } from './helpers/browser.ts';
import { startSecureApp, type SecureApp } from './helpers/secure-app.ts';

const ENTERPRISE = '91330110MA2KXY712' + usccCheckCharacter('91330110MA2KXY712');

describe('web app: admin pages (scenarios 1 and 2)', function () {
  this.timeout(180_000);
  let app: SecureApp;
  let browser: Browser;
  let drive: Driver;
  let w: Watched;

  before(async () => {
    app = await startSecureApp('web_admin', { features: [createZoneFeature({ seed: false }), webAppFeature, adminFeature] });
    await deployShipped(app.runtime);
    drive = new Driver(app.runtime, { settle: () => app.runtime.idle() });
    browser = await launchBrowser();
    w = await openPage(browser, app.base, { suite: 'admin', height: 1000 });
    await signInAs(w, 'admin');
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  // /api/plugins/templates answers 404 without the plugins feature: the modeler models on without templates.
  // A deployment the server refuses is a 400 the page shows.
  afterEach(function () { return checkPageAfterTest(this.currentTest, w, /status of 40[04]/); });

  const fileCase = (title: string) => drive.start('three-tier-handling', {
    enterprise: ENTERPRISE, enterpriseName: '杭州临平示例智能制造有限公司', gridId: '3', filedBy: 'cadre',
    title, category: 'approval', urgency: 'urgent', description: '新建厂房消防验收排期过长，影响投产',
  });
  const versionOf = async (pik: string) => (await app.runtime.getProcessInstance(pik)).processDefinitionVersion;
  const deadlineOf = async (pik: string) => {
    await drive.tasks(pik, 'accept_t1');
    await drive.until(async () => typeof (await drive.variables(pik)).deadline === 'string', `the tier-1 deadline of ${pik}`);
    return new Date(String((await drive.variables(pik)).deadline));
  };

  it('scenario 1: the tier-1 deadline changed in the properties panel is deployed as a new version that new cases use', async () => {
    const running = await fileCase('厂房消防验收（修改前立件）');
    assert.equal(await versionOf(running), 1);

    const { page } = w;
    await page.goto('/admin/modeler');
    await page.locator('[data-page="admin-modeler"] .djs-palette').waitFor();
    const option = page.locator('[data-testid=process-select] option', { hasText: '三级闭环办理' });
    await page.locator('[data-testid=process-select]').selectOption(await option.getAttribute('value'));
    await page.locator('[data-testid=modeler-status]', { hasText: '基于版本 1' }).waitFor();
    await page.locator('.djs-element[data-element-id="deadline_t1"]').waitFor();
    await w.screenshot('modeler-three-tier-v1');

    await page.locator('.djs-element[data-element-id="deadline_t1"] .djs-hit').first().click();
    const panel = page.locator('[data-testid=properties-panel]');
    await panel.locator('.bio-properties-panel-header-label', { hasText: '计算网格办理时限' }).waitFor();
    await panel.locator('[data-group-id="group-inputs"] .bio-properties-panel-group-header').click();
    const slaDays = panel.locator('[data-group-id="group-inputs"] .bio-properties-panel-collapsible-entry', { hasText: 'slaDays' });
    await slaDays.locator('.bio-properties-panel-collapsible-entry-header').click();
    const source = slaDays.locator('.bio-properties-panel-feel-editor-container .cm-content').first();
    await source.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('5');
    await panel.locator('.bio-properties-panel-header-label').click();
    await page.locator('[data-testid=modeler-status] .badge', { hasText: '有未部署的修改' }).waitFor();
    await w.screenshot('modeler-tier1-deadline-5-days');

    await page.locator('[data-testid=deploy]').click();
    await page.locator('[data-testid=modeler-notice]', { hasText: '已部署：three-tier-handling 版本 2' }).waitFor();
    const listed = page.locator('[data-testid=versions] li[data-version="2"]');
    await listed.waitFor();
    assert.match(await listed.innerText(), /最新/);
    assert.match(await page.locator('[data-testid=versions] li[data-version="1"]').innerText(), /1 个运行中/);
    await w.screenshot('modeler-deployed-v2');
    // The page remembers what it has open: a reload opens version 2 again.
    await page.reload();
    await page.locator('[data-testid=modeler-status]', { hasText: '基于版本 2' }).waitFor();

    // The deployed version carries the change, and only it.
    const defs = await app.runtime.searchProcessDefinitions({ filter: { processDefinitionId: 'three-tier-handling' }, sort: [{ field: 'version', order: 'ASC' }] });
    assert.deepEqual(defs.items.map((d) => d.version), [1, 2]);
    const xml = await app.runtime.getProcessDefinitionXml(defs.items[1]!.processDefinitionKey);
    assert.match(xml, /source="=5" target="slaDays"/);
    assert.doesNotMatch(xml, /source="=3" target="slaDays"/);

    // A new case runs on version 2; the running one stays on version 1 and keeps its 3 working days.
    const fresh = await fileCase('厂房消防验收（修改后立件）');
    assert.equal(await versionOf(fresh), 2);
    assert.equal(await versionOf(running), 1);
    for (const pik of [running, fresh]) await drive.complete(pik, 'assess', { analysis: '涉及审批时限，需协调', whistle: false });
    const [before, after] = [await deadlineOf(running), await deadlineOf(fresh)];
    assert.ok(after > before, `the new version's deadline (${after.toISOString()}) is later than the old one's (${before.toISOString()})`);
    const calendarDays = (after.getTime() - before.getTime()) / 86_400_000;
    assert.ok(calendarDays >= 2, `two more working days: ${calendarDays} calendar days later`);
  });

  it('scenario 2: a required field added in the form designer is on the next task, not on a task already open', async () => {
    const earlier = await fileCase('已在办的诉求（表单修改前）');
    await drive.complete(earlier, 'assess', { analysis: '一般政策咨询，网格可办', whistle: false });
    const [earlierTask] = await drive.tasks(earlier, 'accept_t1');

    const { page } = w;
    await page.goto('/admin/forms?form=case-accept');
    await page.locator('[data-testid=designer-status]', { hasText: '版本 1' }).waitFor();
    await page.locator('.fjs-palette-field[data-field-type=textfield]').waitFor();
    await w.screenshot('designer-case-accept-v1');

    await page.locator('.fjs-palette-field[data-field-type=textfield]').dragTo(page.locator('.fjs-drop-container-vertical').first());
    const props = page.locator('.fjs-properties-container');
    const general = props.locator('[data-group-id="group-general"]');
    if (!(await general.locator('[data-entry-id="label"]').isVisible())) await general.locator('.bio-properties-panel-group-header').click();
    await props.locator('[data-entry-id="label"] .cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('联系电话');
    await props.locator('[data-entry-id="key"] input').fill('contactPhone');
    await props.locator('[data-group-id="group-validation"] .bio-properties-panel-group-header').click();
    await props.locator('[data-entry-id="required"] input').check();
    await page.locator('.fjs-editor-container .fjs-form-field-label', { hasText: '联系电话' }).waitFor();

    // The server's own validation on sample data: the new field is required.
    await page.locator('[data-testid=sample-data]').fill(JSON.stringify({ handler: '张三', plan: '三日内上门核查' }));
    await page.locator('[data-testid=check-form]').click();
    const verdict = page.locator('[data-testid=preview-result]');
    await verdict.waitFor();
    assert.match(await verdict.innerText(), /联系电话/);
    await w.screenshot('designer-required-field-preview');

    // A pattern that is no regular expression: the server refuses the save, and the page says why
    // in Chinese from the problem's code, naming the field by its label and the property as the panel does.
    await props.locator('[data-entry-id="pattern"] input').fill('([0-9]');
    await page.waitForTimeout(400);
    await page.locator('[data-testid=save-form]').click();
    const refused = page.locator('[data-testid=designer-problems] li');
    await refused.first().waitFor();
    assert.match(await refused.first().innerText(), /^联系电话（Field_\w+）的「正则表达式」：“\(\[0-9\]”不是有效的正则表达式。$/);
    await w.screenshot('designer-save-refused');
    await page.locator('.lang-switch button', { hasText: 'English' }).click();
    await page.locator('[data-testid=designer-problems] li', { hasText: 'not a valid regular expression' }).waitFor();
    await page.locator('.lang-switch button', { hasText: '中文' }).click();
    // The switch makes the designer anew with the form kept: the field is selected again to fix it.
    await page.locator('.fjs-editor-container .fjs-element', { has: page.locator('.fjs-form-field-label', { hasText: '联系电话' }) }).last().click();
    const pattern = props.locator('[data-entry-id="pattern"] input');
    if (!(await pattern.isVisible())) await props.locator('[data-group-id="group-validation"] .bio-properties-panel-group-header').click();
    await pattern.fill('');
    await page.waitForTimeout(400);
    await page.locator('[data-testid=save-form]').click();
    await page.locator('[data-testid=designer-notice]', { hasText: '已部署：case-accept 版本 2' }).waitFor();
    assert.match(await page.locator('[data-testid=form-links]').innerText(), /网格受理/);
    await w.screenshot('designer-deployed-v2');

    const fieldsOf = async (userTaskKey: string) => {
      const form = await app.runtime.getUserTaskForm(userTaskKey);
      return (JSON.parse(form!.schema) as { components: Array<{ key?: string; validate?: { required?: boolean } }> }).components;
    };
    const next = await fileCase('新的诉求（表单修改后）');
    await drive.complete(next, 'assess', { analysis: '一般政策咨询，网格可办', whistle: false });
    const [nextTask] = await drive.tasks(next, 'accept_t1');
    const added = (await fieldsOf(nextTask!.userTaskKey)).find((c) => c.key === 'contactPhone');
    assert.equal(added?.validate?.required, true, 'the next task shows the new required field');
    assert.equal((await fieldsOf(earlierTask!.userTaskKey)).some((c) => c.key === 'contactPhone'), false, 'the task already open keeps its form');

    // The cadre of grid 3 opens the new task: the field is there.
    const cadre = await openPage(browser, app.base, { suite: 'admin-cadre' });
    try {
      await signInAs(cadre, 'cadre');
      await cadre.page.goto(`/tasks/${nextTask!.userTaskKey}`);
      await cadre.page.getByText('联系电话').first().waitFor();
      await cadre.screenshot('next-task-shows-new-field');
    } finally {
      await cadre.context.close();
    }
  });

  it('the form designer\'s canvas, palette and properties panel speak Chinese: new fields, their placeholders, the panel\'s choices', async () => {
    const { page } = w;
    await page.goto('/admin/forms');
    await page.locator('[data-testid=new-form-id]').fill('designer-words');
    await page.getByRole('button', { name: '创建', exact: true }).click();
    await page.locator('[data-testid=designer-status]', { hasText: 'designer-words' }).waitFor();
    const canvas = page.locator('.fjs-editor-container .fjs-form');
    for (const type of ['select', 'textfield', 'taglist', 'filepicker', 'iframe']) {
      await page.locator(`.fjs-palette-field[data-field-type=${type}]`).dragTo(page.locator('.fjs-drop-container-vertical').first());
    }
    await canvas.locator('.fjs-form-field-label', { hasText: '下拉选择' }).waitFor();
    await canvas.locator('.fjs-form-field-label', { hasText: '内嵌网页' }).waitFor();
    const onCanvas = await canvas.innerText();
    for (const word of ['请选择', '文本框', '标签列表', '文件上传', '选择文件', '未选择文件', '内嵌网页']) assert.ok(onCanvas.includes(word), `the canvas shows ${word}: ${onCanvas}`);
    assert.doesNotMatch(onCanvas, /[A-Za-z]{3,}/, `nothing in English on the canvas: ${onCanvas.match(/.{0,20}[A-Za-z]{3,}.{0,20}/)?.[0]}`);

    // The text field's validation: the pattern's choices are the panel's own words.
    await canvas.locator('.fjs-form-field-textfield').click({ force: true });
    const props = page.locator('.fjs-properties-container');
    await props.locator('.bio-properties-panel-header-label', { hasText: '文本框' }).waitFor();
    await props.locator('[data-group-id="group-validation"] .bio-properties-panel-group-header').click();
    const pattern = props.locator('[data-entry-id="validationType"] select');
    await pattern.waitFor();
    assert.deepEqual(await pattern.locator('option').allInnerTexts(), ['自定义', '电子邮箱', '电话']);
    const panel = await props.innerText();
    assert.doesNotMatch(panel.replace(/FEEL|HTML|URL|ID/g, ''), /[A-Za-z]{3,}/, `nothing in English in the panel: ${panel.match(/.{0,20}[A-Za-z]{3,}.{0,20}/)?.[0]}`);
    const palette = await page.locator('.fjs-palette-container').innerText();
    assert.doesNotMatch(palette.replace(/HTML/g, ''), /[A-Za-z]{3,}/, `the palette in Chinese: ${palette.match(/.{0,20}[A-Za-z]{3,}.{0,20}/)?.[0]}`);
    await w.screenshot('designer-chinese-canvas');
    // Every other kind of field: what the canvas and the panel write of their own is Chinese (the
    // panel's code editors, inputs and list entries' names hold the form's own words).
    for (const type of ['datetime', 'checkbox', 'radio', 'table', 'image', 'html', 'documentPreview', 'dynamiclist']) {
      await page.locator(`.fjs-palette-field[data-field-type=${type}]`).dragTo(page.locator('.fjs-drop-container-vertical').first());
      await props.locator('.bio-properties-panel-group').first().waitFor();
      // Opening a group can move the others: a header gone meanwhile is skipped.
      for (const h of await props.locator('.bio-properties-panel-group-header:not(.open)').all()) await h.click({ timeout: 2000 }).catch(() => undefined);
      const own = await props.evaluate((el) => {
        const copy = el.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('.cm-editor, input, textarea, .bio-properties-panel-header-label, .bio-properties-panel-collapsible-entry-header-title').forEach((x) => x.remove());
        return copy.innerText;
      });
      const english = own.replace(/FEEL|HTML|Markdown|data URI|URL|ID/g, '').match(/.{0,20}[A-Za-z]{3,}.{0,20}/)?.[0];
      assert.equal(english, undefined, `the ${type} panel in Chinese`);
    }
    const canvasNow = await canvas.innerText();
    assert.doesNotMatch(canvasNow.replace(/HTML/g, ''), /[A-Za-z]{3,}/, `nothing in English on the canvas: ${canvasNow.match(/.{0,20}[A-Za-z]{3,}.{0,20}/)?.[0]}`);
    await w.screenshot('designer-chinese-all-fields');
    // The fields dropped here keep their Chinese labels in the schema that is deployed.
    await page.locator('[data-testid=save-form]').click();
    await page.locator('[data-testid=designer-notice]', { hasText: '已部署：designer-words 版本 1' }).waitFor();
  });

  it('the modeler\'s palette, context pad and properties panel speak Chinese, and English after the switch, keeping the diagram', async () => {
    const { page } = w;
    await page.goto('/admin/modeler');
    await page.locator('[data-page="admin-modeler"] .djs-palette').waitFor();
    await page.locator('[data-testid=new-select]').selectOption({ label: '从内置方案：三级闭环办理' });
    await page.locator('[data-testid=modeler-status]', { hasText: 'three-tier-handling' }).waitFor();
    const titles = () => page.locator('.djs-palette .entry').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.getAttribute('title') ?? '').filter(Boolean));
    const zh = await titles();
    assert.ok(zh.length > 8, 'the palette has its tools');
    for (const title of zh) assert.match(title, /[\u4e00-\u9fff]/, `palette entry in Chinese: ${title}`);
    await page.locator('.djs-element[data-element-id="assess"] .djs-hit').first().click();
    const pad = await page.locator('.djs-context-pad .entry').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.getAttribute('title') ?? ''));
    assert.ok(pad.length > 3, 'the context pad is open');
    for (const title of pad) assert.match(title, /[\u4e00-\u9fff]/, `context pad entry in Chinese: ${title}`);
    // The change-type menu (diagram-js's popup menu) lists its choices, in Chinese.
    await page.locator('.djs-context-pad .entry[data-action="replace"]').click();
    const choices = page.locator('.djs-popup .entry');
    await choices.first().waitFor();
    assert.ok(await choices.count() > 5, 'the change-type menu lists the task types');
    const menu = await page.locator('.djs-popup').innerText();
    assert.match(menu, /服务任务/);
    assert.doesNotMatch(menu, /[A-Za-z]{4,}/, `nothing in English in the menu: ${menu.match(/.{0,20}[A-Za-z]{4,}.{0,20}/)?.[0]}`);
    await w.screenshot('modeler-change-type-menu');
    await page.keyboard.press('Escape');
    const groups = await page.locator('[data-testid=properties-panel] .bio-properties-panel-group-header-title').allInnerTexts();
    for (const g of groups) assert.match(g, /[\u4e00-\u9fff]/, `properties panel group in Chinese: ${g}`);
    await w.screenshot('modeler-chinese-context-pad');

    await page.locator('.lang-switch button', { hasText: 'English' }).click();
    await page.locator('.page-header h1', { hasText: 'Process modeler' }).waitFor();
    await page.locator('.djs-palette .entry[data-action="create.start-event"]').waitFor();
    assert.equal(await page.locator('.djs-palette .entry[data-action="create.start-event"]').evaluate((e) => e.getAttribute('aria-label') ?? e.getAttribute('title')), 'Create start event');
    await page.locator('[data-testid=modeler-status]', { hasText: 'three-tier-handling' }).waitFor();
    await page.locator('.djs-element[data-element-id="assess"]').waitFor();
    for (const title of await titles()) assert.doesNotMatch(title, /[\u4e00-\u9fff]/, `palette entry in English: ${title}`);
    assert.match(await page.locator('[data-testid=properties-panel]').innerText(), /General/);
    await w.screenshot('modeler-english');
    // The form designer in English: form-js's own words as they are.
    await page.goto('/admin/forms?form=case-accept');
    await page.locator('.page-header h1', { hasText: 'Form designer' }).waitFor();
    await page.locator('.fjs-palette-field[data-field-type=textfield]', { hasText: 'Text field' }).waitFor();
    await page.locator('[data-testid=designer-status]', { hasText: 'Editing: case-accept' }).waitFor();
    await page.locator('[data-testid=form-links]', { hasText: 'latest version' }).waitFor();
    await w.screenshot('designer-english');
    await page.goto('/admin/modeler');
    await page.locator('.lang-switch button', { hasText: '中文' }).click();
    await page.locator('.page-header h1', { hasText: '流程建模' }).waitFor();
  });

  it('a diagram Camunda\'s linting accepts but the platform refuses: the server\'s problems in Chinese, element by element', async () => {
    const { page } = w;
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_2" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.30.0" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  <bpmn:process id="policy-broadcast" name="政策推送" isExecutable="true">
    <bpmn:startEvent id="start" name="开始"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:callActivity id="billing" name="计费"><bpmn:extensionElements><zeebe:calledElement processId="billing-unknown" propagateAllChildVariables="false" /></bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:callActivity>
    <bpmn:userTask id="review" name="审核政策"><bpmn:extensionElements><zeebe:userTask /><zeebe:formDefinition formId="policy-review" /></bpmn:extensionElements><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="broadcast" name="广播政策"><bpmn:incoming>f3</bpmn:incoming><bpmn:signalEventDefinition id="sd" signalRef="policy" /></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="billing" />
    <bpmn:sequenceFlow id="f2" sourceRef="billing" targetRef="review" />
    <bpmn:sequenceFlow id="f3" sourceRef="review" targetRef="broadcast" />
  </bpmn:process>
  <bpmn:signal id="policy" name="policy-published" />
  <bpmndi:BPMNDiagram id="d2"><bpmndi:BPMNPlane id="p2" bpmnElement="policy-broadcast">
    <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="152" y="82" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="billing_di" bpmnElement="billing"><dc:Bounds x="240" y="60" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="review_di" bpmnElement="review"><dc:Bounds x="392" y="60" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="broadcast_di" bpmnElement="broadcast"><dc:Bounds x="544" y="82" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="188" y="100" /><di:waypoint x="240" y="100" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="340" y="100" /><di:waypoint x="392" y="100" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f3_di" bpmnElement="f3"><di:waypoint x="492" y="100" /><di:waypoint x="544" y="100" /></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;
    await page.goto('/admin/modeler');
    await page.locator('[data-page="admin-modeler"] .djs-palette').waitFor();
    await page.locator('[data-testid=upload]').setInputFiles({ name: 'policy-broadcast.bpmn', mimeType: 'application/xml', buffer: Buffer.from(xml) });
    await page.locator('[data-testid=modeler-status]', { hasText: 'policy-broadcast' }).waitFor();
    await page.locator('[data-testid=deploy]').click();
    const notice = page.locator('[data-testid=modeler-notice]', { hasText: '服务器拒绝了部署，有 3 个问题' });
    await notice.waitFor();
    const text = await notice.innerText();
    assert.match(text, /billing：调用活动调用的流程 billing-unknown 尚未部署。/);
    assert.match(text, /broadcast：平台引擎不支持信号结束事件（结束事件可用：无类型、错误、终止）。/);
    // A user task whose form cannot be resolved, worded from its code with the form's id.
    assert.match(text, /review：用户任务关联的表单 policy-review（绑定：最新版本）找不到/);
    assert.doesNotMatch(text, /cannot be resolved/);
    await w.screenshot('modeler-server-problems');
    await page.locator('.lang-switch button', { hasText: 'English' }).click();
    await page.locator('.page-header h1', { hasText: 'Process modeler' }).waitFor();
    await page.locator('[data-testid=deploy]').click();
    await page.locator('[data-testid=modeler-notice]', { hasText: 'The server refused the deployment (3 problems)' }).waitFor();
    assert.match(await page.locator('[data-testid=modeler-notice]').innerText(), /billing: call activity calls process 'billing-unknown', which is not deployed/);
    assert.match(await page.locator('[data-testid=modeler-notice]').innerText(), /review: User task 'review' links form 'policy-review' \(binding latest\), which cannot be resolved/);
    await page.locator('.lang-switch button', { hasText: '中文' }).click();
    await page.locator('.page-header h1', { hasText: '流程建模' }).waitFor();
  });

  it('an uploaded Camunda Modeler diagram: lint errors block deployment and show on the canvas, fixed it deploys; old versions open; the XML downloads', async () => {
    const { page } = w;
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.30.0" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  <bpmn:process id="enterprise-callback" name="企业回访提醒" isExecutable="true">
    <bpmn:startEvent id="start" name="开始"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="remind" name="发送回访提醒"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:endEvent id="end" name="结束"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="remind" />
    <bpmn:sequenceFlow id="f2" sourceRef="remind" targetRef="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="p" bpmnElement="enterprise-callback">
    <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="152" y="82" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="remind_di" bpmnElement="remind"><dc:Bounds x="240" y="60" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="392" y="82" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="188" y="100" /><di:waypoint x="240" y="100" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="340" y="100" /><di:waypoint x="392" y="100" /></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;
    await page.goto('/admin/modeler');
    await page.locator('[data-page="admin-modeler"] .djs-palette').waitFor();
    await page.locator('[data-testid=upload]').setInputFiles({ name: 'enterprise-callback.bpmn', mimeType: 'application/xml', buffer: Buffer.from(xml) });
    await page.locator('[data-testid=modeler-status]', { hasText: 'enterprise-callback' }).waitFor();
    const problem = page.locator('[data-testid=problems] li', { hasText: 'remind' });
    await problem.waitFor();
    assert.match(await problem.innerText(), /错误[\s\S]*「服务任务」必须设置「任务定义类型」/);
    await page.locator('.gf-lint-badge.gf-lint-error').first().waitFor();
    await page.locator('[data-testid=deploy]').click();
    await page.locator('[data-testid=modeler-notice]', { hasText: '有 1 个错误，修正后才能部署' }).waitFor();
    assert.equal((await app.runtime.searchProcessDefinitions({ filter: { processDefinitionId: 'enterprise-callback' } })).items.length, 0, 'nothing deployed');
    await w.screenshot('modeler-upload-lint-error');

    // The problem's link selects the task; its job type is set in the properties panel.
    await problem.locator('button').click();
    const panel = page.locator('[data-testid=properties-panel]');
    await panel.locator('.bio-properties-panel-header-label', { hasText: '发送回访提醒' }).waitFor();
    const type = panel.locator('[data-entry-id="taskDefinitionType"] .cm-content, [data-entry-id="taskDefinitionType"] input').first();
    await type.waitFor();
    await type.click();
    await page.keyboard.type('gridflow.notify.email');
    await panel.locator('.bio-properties-panel-header-label').click();
    await page.locator('[data-testid=problems]').waitFor({ state: 'detached' });
    await page.locator('[data-testid=deploy]').click();
    await page.locator('[data-testid=modeler-notice]', { hasText: '已部署：enterprise-callback 版本 1' }).waitFor();
    assert.match(await page.locator('[data-testid=modeler-notice]').innerText(), /gridflow\.notify\.email 没有平台内的处理器/, 'the server\'s warning is shown');

    // Version 2, then back to version 1.
    await page.locator('.djs-element[data-element-id="remind"] .djs-hit').first().click();
    await panel.locator('[data-group-id="group-general"] .bio-properties-panel-group-header').click().catch(() => undefined);
    const name = panel.locator('[data-entry-id="name"] textarea, [data-entry-id="name"] input').first();
    await name.fill('发送回访提醒（短信）');
    await panel.locator('.bio-properties-panel-header-type').click();
    await page.locator('[data-testid=deploy]').click();
    await page.locator('[data-testid=modeler-notice]', { hasText: '版本 2' }).waitFor();
    await page.locator('[data-testid=versions] li[data-version="1"]').getByRole('button', { name: '打开' }).click();
    await page.locator('[data-testid=modeler-status]', { hasText: '基于版本 1' }).waitFor();
    await page.locator('[data-testid=modeler-status]', { hasText: '旧版本' }).waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载 XML' }).click();
    const file = await download;
    assert.equal(file.suggestedFilename(), 'enterprise-callback-v1.bpmn');
    const text = await (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
    assert.match(text, /name="发送回访提醒"/);
    assert.match(text, /type="gridflow.notify.email"/);
    await w.screenshot('modeler-old-version');
  });
});
