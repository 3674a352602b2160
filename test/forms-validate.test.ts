// Submissions as the server receives them: shape, size, keys the form does not define, messages,
// the caches, and inputs chosen to break things.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  compileForm, FormSchemaError, MAX_SUBMISSION_BYTES, MAX_SUBMISSION_DEPTH, prepareForm, validateSubmission, type FieldError,
} from '../forms/index.ts';
import { cachedValidatorCount } from '../forms/keywords.ts';
import { caseArbitrary } from './fixtures/forms/generate.ts';

const schema = {
  type: 'default',
  id: 'Demand',
  components: [
    { type: 'textfield', id: 'org', key: 'org.name', label: '单位名称', validate: { required: true } },
    { type: 'textfield', id: 'uscc', key: 'org.uscc', label: '统一社会信用代码', validate: { required: true, validationType: 'uscc' } },
    { type: 'textfield', id: 'mobile', key: 'contact', label: 'Mobile', validate: { validationType: 'cnMobile' } },
    {
      type: 'dynamiclist', id: 'demands', path: 'demands', isRepeating: true, allowAddRemove: true, label: '诉求',
      components: [
        { type: 'textfield', id: 'title', key: 'title', label: '标题', validate: { required: true, maxLength: 20 } },
        { type: 'select', id: 'kind', key: 'kind', label: 'Kind', values: [{ label: 'Road', value: 'road' }, { label: 'Water', value: 'water' }] },
      ],
    },
  ],
};

const good = { org: { name: '福州某公司', uscc: '91350100M000100Y43' }, contact: '+8613812345678', demands: [{ title: '修路', kind: 'road' }] };

function errors(result: ReturnType<typeof validateSubmission>): FieldError[] {
  assert.equal(result.ok, false, 'expected a failure');
  return (result as { errors: FieldError[] }).errors;
}

describe('forms: submissions', () => {
  it('accepts a good submission and returns the data', () => {
    const result = validateSubmission(schema, good, {});
    assert.deepEqual(result, { ok: true, data: good });
  });

  it('lists every failing field with its path, label, code and message, in Chinese or English', () => {
    const bad = { org: { name: '', uscc: '91350100M000100Y44' }, contact: '138', demands: [{ title: '修路', kind: 'air' }, { title: '' }] };
    const zh = errors(validateSubmission(schema, bad, {}, { locale: 'zh' }));
    assert.deepEqual(zh, [
      { path: 'org.name', label: '单位名称', code: 'REQUIRED', message: '此项为必填项。' },
      { path: 'org.uscc', label: '统一社会信用代码', code: 'USCC', message: '请输入有效的统一社会信用代码：18 位，且校验码正确。' },
      { path: 'contact', label: 'Mobile', code: 'CN_MOBILE', message: '请输入有效的中国大陆手机号码：以 1 开头的 11 位数字，可加 +86 前缀。' },
      { path: 'demands[0].kind', label: 'Kind', code: 'NOT_AN_OPTION', message: '请从给定的选项中选择。' },
      { path: 'demands[1].title', label: '标题', code: 'REQUIRED', message: '此项为必填项。' },
    ]);
    const en = errors(validateSubmission(schema, bad, {}, { locale: 'en' }));
    assert.deepEqual(en.map((e) => e.message).slice(0, 2), ['This field is required.', 'Must be a valid unified social credit code: 18 characters with a correct check character.']);
  });

  it('a submission that is not an object: NOT_AN_OBJECT, nothing else', () => {
    for (const bad of [null, [], 'x', 5, true, undefined]) {
      assert.deepEqual(errors(validateSubmission(schema, bad)), [{ path: '', label: '', code: 'NOT_AN_OBJECT', message: 'The submission must be a JSON object.' }]);
    }
  });

  it(`a submission over ${MAX_SUBMISSION_BYTES} bytes or ${MAX_SUBMISSION_DEPTH} levels: TOO_LARGE`, () => {
    const huge = { ...good, contact: 'x'.repeat(MAX_SUBMISSION_BYTES) };
    assert.deepEqual(errors(validateSubmission(schema, huge)).map((e) => [e.path, e.code]), [['', 'TOO_LARGE']]);
    const wide = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, i]));
    assert.deepEqual(errors(validateSubmission(schema, wide)).map((e) => e.code), ['TOO_LARGE']);
    let deep: unknown = 1;
    for (let i = 0; i < MAX_SUBMISSION_DEPTH + 1; i += 1) deep = { d: deep };
    assert.deepEqual(errors(validateSubmission(schema, { ...good, deep })).map((e) => e.code), ['TOO_LARGE']);
    const started = Date.now();
    validateSubmission(schema, { ...good, list: Array.from({ length: 2_000_000 }, () => 1) });
    assert.ok(Date.now() - started < 2000, 'the size check stops at the limit');
  });

  it('values that are not JSON: NOT_JSON at their path', () => {
    const cyclic: Record<string, unknown> = { ...good };
    cyclic.self = cyclic;
    const cases: [unknown, string][] = [
      [{ ...good, contact: () => 1 }, 'contact'],
      [{ ...good, contact: new Date() }, 'contact'],
      [{ ...good, contact: Number.NaN }, 'contact'],
      [{ ...good, demands: [undefined] }, 'demands[0]'],
      [{ ...good, n: 10n }, 'n'],
      [cyclic, 'self'],
    ];
    for (const [submission, path] of cases) {
      assert.deepEqual(errors(validateSubmission(schema, submission)).map((e) => [e.path, e.code]), [[path, 'NOT_JSON']]);
    }
  });

  it("keys the form does not define: UNKNOWN_FIELD (extraKeys 'refuse', the default), dropped with 'allow'", () => {
    const extra = JSON.parse('{"org":{"name":"x","uscc":"91350100M000100Y43","tax":1},"approved":true,"a b":1,"__proto__":{"admin":true},"demands":[{"title":"t","note":"n"}]}');
    const refused = errors(validateSubmission(schema, extra));
    assert.ok(refused.every((e) => e.code === 'UNKNOWN_FIELD'));
    assert.deepEqual(refused.map((e) => e.path).sort(), ['["a b"]', '__proto__', 'approved', 'demands[0].note', 'org.tax']);
    assert.equal(refused.find((e) => e.path === 'demands[0].note')!.label, '诉求');
    const allowed = validateSubmission(schema, extra, {}, { extraKeys: 'allow' });
    assert.deepEqual(allowed, { ok: true, data: { org: { name: 'x', uscc: '91350100M000100Y43' }, contact: '', demands: [{ title: 't', kind: null }] } });
    assert.equal(({} as Record<string, unknown>).admin, undefined);
    assert.equal(compileForm(schema, {}, { extraKeys: 'allow' }).jsonSchema.additionalProperties, undefined);
    assert.equal(compileForm(schema).jsonSchema.additionalProperties, false);
  });

  it('variables that are not an object count as none', () => {
    assert.equal(validateSubmission(schema, good, 'nonsense').ok, true);
    assert.equal(validateSubmission(schema, good, null).ok, true);
  });

  it('a malformed form is an error for the caller, not for the submitter', () => {
    assert.throws(() => validateSubmission({ type: 'default', components: [{ type: 'textfield', id: 'x' }] }, {}), FormSchemaError);
  });

  it('prepares a form once per version and compiles a JSON Schema once per content', () => {
    const copy = JSON.parse(JSON.stringify(schema));
    assert.equal(prepareForm(schema), prepareForm(copy), 'same content, same prepared form');
    const v1 = prepareForm(schema, { cacheKey: 'Demand@1' });
    assert.equal(prepareForm({ type: 'default', components: [] }, { cacheKey: 'Demand@1' }), v1, 'the cache key names the version');
    validateSubmission(schema, good, {});
    const before = cachedValidatorCount();
    for (let i = 0; i < 20; i += 1) validateSubmission(schema, good, {});
    assert.equal(cachedValidatorCount(), before);
    const started = process.hrtime.bigint();
    for (let i = 0; i < 200; i += 1) validateSubmission(schema, good, {}, { cacheKey: 'Demand@1' });
    const perCall = Number(process.hrtime.bigint() - started) / 200 / 1e6;
    assert.ok(perCall < 50, `validation takes ${perCall.toFixed(2)} ms`);
  });

  it('never throws on any submission to any generated form', () => {
    fc.assert(
      fc.property(caseArbitrary(1), fc.anything({ maxDepth: 4 }), fc.anything({ maxDepth: 3 }), (generated, anything, variables) => {
        const { schema: s, runs } = generated;
        for (const submission of [anything, runs[0]!.submission, { ...runs[0]!.submission, extra: anything }]) {
          const result = validateSubmission(s, submission, variables as Record<string, unknown>);
          assert.ok(result.ok === true || result.errors.length > 0);
          if (!result.ok) for (const e of result.errors) assert.ok(typeof e.path === 'string' && e.code && e.message);
        }
      }),
      { numRuns: 300 },
    );
  });
});
