// The server enforces a task's form on completion through Camunda's REST API: 422 with every
// failing field (path, label, code, message in the caller's language), nothing written.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createApp } from '../web/server.ts';
import { bpmn, flow } from './helpers/bpmn.ts';
import { testRuntime } from './helpers/runtime.ts';
import type { EmbeddedRuntime } from '../engine/embedded/embedded-runtime.ts';

const form = JSON.stringify({
  id: 'demand', type: 'default', components: [
    { type: 'textfield', key: 'enterprise.uscc', label: '统一社会信用代码', validate: { required: true, validationType: 'uscc' } },
    { type: 'textfield', key: 'title', label: '诉求标题', validate: { required: true, maxLength: 20 } },
    { type: 'number', key: 'score', label: '评分', validate: { min: 1, max: 5 } },
    { type: 'textarea', key: 'reason', label: '退回理由', conditional: { hide: '=decision != "return"' }, validate: { required: true } },
    { type: 'select', key: 'decision', label: '处理决定', values: [{ label: '办结', value: 'resolve' }, { label: '退回', value: 'return' }] },
  ],
});

describe('forms are enforced when a task is completed', () => {
  let rt: EmbeddedRuntime;
  let base: string;
  let server: any;
  before(async () => {
    ({ runtime: rt } = await testRuntime('forms_enforcement'));
    await rt.deploy([{ name: 'demand.form', content: form }, { name: 'file.bpmn', content: bpmn('file', `
      <bpmn:startEvent id="s"/>${flow('f0', 's', 'fill')}
      <bpmn:userTask id="fill" name="立件"><bpmn:extensionElements><zeebe:userTask/><zeebe:formDefinition formId="demand"/></bpmn:extensionElements></bpmn:userTask>
      ${flow('f1', 'fill', 'e')}<bpmn:endEvent id="e"/>`) }]);
    server = createApp({ runtime: rt, auth: 'unprotected' }).listen(0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => { server?.close(); await rt.stop(); });

  const task = async () => {
    const { processInstanceKey } = await rt.createProcessInstance({ processDefinitionId: 'file' });
    return { pik: processInstanceKey, key: (await rt.searchUserTasks({ filter: { processInstanceKey } })).items[0].userTaskKey };
  };
  const complete = (key: string, variables: unknown, lang = 'en') => fetch(`${base}/v2/user-tasks/${key}/completion`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': lang }, body: JSON.stringify({ variables }),
  });

  it('refuses a submission that breaks the form, naming every field, in the caller\'s language; the task stays open', async () => {
    const t = await task();
    const res = await complete(t.key, { enterprise: { uscc: '91330110MA2H3XXXX1' }, score: 9, decision: 'return' }, 'zh-CN,zh;q=0.9');
    assert.equal(res.status, 422);
    assert.match(res.headers.get('content-type')!, /problem\+json/);
    const body = await res.json();
    const byPath = Object.fromEntries(body.errors.map((e: any) => [e.path, e]));
    assert.equal(byPath['enterprise.uscc'].code, 'USCC');
    assert.equal(byPath['title'].code, 'REQUIRED');
    assert.equal(byPath['score'].code, 'MAX');
    assert.equal(byPath['reason'].code, 'REQUIRED', 'a visible required field');
    assert.equal(byPath['title'].label, '诉求标题');
    assert.match(byPath['title'].message, /[\u4e00-\u9fff]/, 'message in Chinese');
    const en = await (await complete(t.key, {}, 'en')).json();
    assert.match(en.errors.find((e: any) => e.path === 'title').message, /[A-Za-z]/);
    assert.equal((await rt.getUserTask(t.key)).state, 'CREATED');
  });

  it('Gridflow\'s own completion endpoint validates the same form and refuses keys the form does not define', async () => {
    const t = await task();
    const own = (variables: unknown) => fetch(`${base}/api/user-tasks/${t.key}/completion`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ variables }) });
    const valid = { enterprise: { uscc: '91330110MA27XGQW79' }, title: '用地指标', score: 4, decision: 'resolve' };
    let res = await own({ ...valid, note: 'extra' });
    assert.equal(res.status, 422);
    const body = await res.json();
    assert.deepEqual(body.errors.map((e: any) => [e.path, e.code]), [['note', 'UNKNOWN_FIELD']]);
    res = await own({ ...valid, title: '' });
    assert.equal(res.status, 422);
    assert.equal((await rt.getUserTask(t.key)).state, 'CREATED');
    res = await own(valid);
    assert.equal(res.status, 204, await res.text());
    assert.equal((await rt.getUserTask(t.key)).state, 'COMPLETED');
  });

  it('accepts a valid submission; hidden fields are dropped, extra variables pass as Camunda allows', async () => {
    const t = await task();
    const f = await fetch(`${base}/v2/user-tasks/${t.key}/form`);
    assert.equal(f.status, 200);
    assert.equal((await f.json()).formId, 'demand');
    const res = await complete(t.key, { enterprise: { uscc: '91330110MA27XGQW79' }, title: '用地指标', score: 4, decision: 'resolve', reason: 'ignored', note: 'extra' });
    assert.equal(res.status, 204, await res.text());
    const vars = Object.fromEntries((await rt.searchVariables({ filter: { processInstanceKey: t.pik } })).items.map((v) => [v.name, JSON.parse(v.value)]));
    assert.equal(vars.title, '用地指标');
    assert.equal(vars.note, 'extra');
    assert.equal(vars.reason, undefined, 'hidden field dropped');
  });
});

describe('forms are checked when they are deployed', () => {
  it('a malformed form schema is a 400 naming the component and property', async () => {
    const { runtime } = await testRuntime('forms_deploy_check');
    const server = createApp({ runtime, auth: 'unprotected' }).listen(0);
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const bad = JSON.stringify({ id: 'bad', type: 'default', components: [{ id: 'Field_title', type: 'textfield', key: 'title', validate: { maxLength: 'ten' } }] });
      const fd = new FormData();
      fd.append('resources', new Blob([bad], { type: 'application/json' }), 'bad.form');
      const res = await fetch(`${base}/v2/deployments`, { method: 'POST', body: fd });
      assert.equal(res.status, 400);
      const body = await res.json();
      assert.match(body.detail, /Field_title/);
      assert.match(body.detail, /validate\.maxLength/);
    } finally {
      server.close();
      await runtime.stop();
    }
  });
});
