// Regular-expression denial of service through form patterns: a pattern that backtracks
// catastrophically is refused wherever a form enters the platform (a deployed `.form`, a form
// embedded in a diagram, /api/forms, a stored form being prepared), naming the component and
// property; the text a pattern runs on is bounded; ordinary patterns keep working.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { checkFormSchema, FormSchemaError, validateSubmission } from '../forms/index.ts';
import { MAX_PATTERN_SUBJECT_LENGTH } from '../forms/limits.ts';
import { patternHazard } from '../forms/regex-safety.ts';
import { createApp } from '../web/server.ts';
import { testRuntime } from './helpers/runtime.ts';
import { startSecureApp } from './helpers/secure-app.ts';

const form = (pattern: string, id = 'Field_code') => ({
  id: 'permit', type: 'default', components: [{ id, type: 'textfield', key: 'code', label: '编号', validate: { pattern } }],
});

const CATASTROPHIC: Array<[pattern: string, growth: RegExp]> = [
  ['(a+)+$', /exponential/],
  ['^(\\w+\\s?)*$', /exponential/],
  ['^(a|a)*$', /exponential/],
  ['^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$', /exponential/],
  ['\\d+\\d+$', /polynomial/],
  ['^.*a.*a.*a.*$x', /polynomial/],
];

const ORDINARY = [
  '^[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}$', // unified social credit code
  '^1[3-9]\\d{9}$',
  '^[\\u4e00-\\u9fa5]{2,20}$',
  '^[\\w-]+$',
  '[0-9]{3}',
  '^\\s*\\S+\\s*$',
  '^(?=.*\\d).{8,}$',
  '^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)$',
  '^[a-z][a-z0-9]*(-[a-z0-9]+)*$',
];

describe('form patterns: catastrophic backtracking', () => {
  it('refuses catastrophic patterns, naming the component, the property and the growth', () => {
    for (const [pattern, growth] of CATASTROPHIC) {
      const started = Date.now();
      const problems = checkFormSchema(form(pattern));
      assert.equal(problems.length, 1, `${pattern}: ${JSON.stringify(problems)}`);
      assert.equal(problems[0]!.componentId, 'Field_code');
      assert.equal(problems[0]!.property, 'validate.pattern');
      assert.match(problems[0]!.message, growth, pattern);
      assert.match(problems[0]!.message, /catastrophic backtracking/);
      assert.ok(Date.now() - started < 5_000, `checking ${pattern} took ${Date.now() - started} ms`);
    }
  });

  it('accepts the patterns forms ordinarily carry', () => {
    for (const pattern of ORDINARY) assert.deepEqual(checkFormSchema(form(pattern)), [], pattern);
  });

  it('spends a bounded time on the patterns of one form: past its allowance a pattern is refused, and not remembered so', () => {
    const pattern = '^[A-Z]{2}-\\d{4}-(?:[a-z]+_)?\\d{3}$';
    assert.match(patternHazard(pattern, Date.now())!, /not checked/);
    assert.equal(patternHazard(pattern), null);
  });

  it('never runs a catastrophic pattern of a form that bypassed deployment', () => {
    const started = Date.now();
    assert.throws(() => validateSubmission(form('(a+)+$'), { code: `${'a'.repeat(40)}!` }), (err: unknown) => {
      assert.ok(err instanceof FormSchemaError);
      assert.match(err.message, /Field_code/);
      return true;
    });
    assert.ok(Date.now() - started < 5_000);
  });

  it('bounds the text a pattern runs on, and still matches text within the bound', () => {
    const f = form('^[a-z]+$');
    assert.equal(validateSubmission(f, { code: 'a'.repeat(MAX_PATTERN_SUBJECT_LENGTH) }).ok, true);
    const long = validateSubmission(f, { code: 'a'.repeat(MAX_PATTERN_SUBJECT_LENGTH + 1) }, {}, { locale: 'zh' });
    assert.equal(long.ok, false);
    if (!long.ok) {
      assert.equal(long.errors[0]!.code, 'PATTERN');
      assert.match(long.errors[0]!.message, new RegExp(String(MAX_PATTERN_SUBJECT_LENGTH)));
    }
    const wrong = validateSubmission(f, { code: 'A1' });
    assert.equal(wrong.ok, false);
  });

  it('a deployed .form and a form embedded in a diagram with such a pattern are a 400 naming the field', async () => {
    const { runtime } = await testRuntime('forms_redos_deploy');
    const server = createApp({ runtime, auth: 'unprotected' }).listen(0);
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const fd = new FormData();
      fd.append('resources', new Blob([JSON.stringify(form('(a+)+$'))], { type: 'application/json' }), 'permit.form');
      const res = await fetch(`${base}/v2/deployments`, { method: 'POST', body: fd });
      assert.equal(res.status, 400);
      const body = await res.json();
      assert.match(body.detail, /Field_code/);
      assert.match(body.detail, /validate\.pattern/);
      assert.match(body.detail, /exponential/);

      const embedded = JSON.stringify(form('^(\\d+)+x$', 'Field_embedded')).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  <bpmn:process id="redos_embedded" isExecutable="true">
    <bpmn:extensionElements><zeebe:userTaskForm id="f1">${embedded}</zeebe:userTaskForm></bpmn:extensionElements>
    <bpmn:startEvent id="s"/><bpmn:sequenceFlow id="a" sourceRef="s" targetRef="t"/>
    <bpmn:userTask id="t"><bpmn:extensionElements><zeebe:userTask/><zeebe:formDefinition formKey="camunda-forms:bpmn:f1"/></bpmn:extensionElements></bpmn:userTask>
    <bpmn:sequenceFlow id="b" sourceRef="t" targetRef="e"/><bpmn:endEvent id="e"/>
  </bpmn:process>
</bpmn:definitions>`;
      const fd2 = new FormData();
      fd2.append('resources', new Blob([xml], { type: 'application/xml' }), 'embedded.bpmn');
      const res2 = await fetch(`${base}/v2/deployments`, { method: 'POST', body: fd2 });
      assert.equal(res2.status, 400);
      const body2 = await res2.json();
      assert.match(body2.detail, /Field_embedded/);
      assert.match(body2.detail, /validate\.pattern/);
    } finally {
      server.close();
      await runtime.stop();
    }
  });

  it('/api/forms refuses such a pattern with a 400 naming the field', async () => {
    const app = await startSecureApp('forms_redos_api');
    try {
      const admin = await app.user('redos-admin', ['administrator']);
      const res = await app.call(admin, 'POST', '/api/forms', form('(a+)+$'));
      assert.equal(res.status, 400, res.text);
      assert.match(res.type, /application\/problem\+json/);
      assert.match(res.text, /Field_code/);
      assert.match(res.text, /validate\.pattern/);
      const ok = await app.call(admin, 'POST', '/api/forms', form('^1[3-9]\\d{9}$'));
      assert.equal(ok.status, 201, ok.text);
    } finally {
      await app.close();
    }
  });
});
