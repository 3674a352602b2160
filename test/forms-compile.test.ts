// The form compiler, component by component and rule by rule: what the JSON Schema says and what
// validateSubmission decides.
import assert from 'node:assert/strict';
import { compileForm, validateSubmission, type FieldError, type ValidateOptions } from '../forms/index.ts';

type Component = Record<string, unknown>;

const form = (...components: Component[]) => ({ type: 'default', id: 'Form_1', components });
const NOW = new Date('2025-06-15T12:00:00Z');

function check(schema: unknown, submission: unknown, variables: Record<string, unknown> = {}, options: ValidateOptions = {}) {
  return validateSubmission(schema, submission, variables, { now: NOW, ...options });
}

/** `path: CODE, CODE` per failing field; 'ok' when the submission passes. */
function verdict(schema: unknown, submission: unknown, variables: Record<string, unknown> = {}, options: ValidateOptions = {}): string {
  const result = check(schema, submission, variables, options);
  if (result.ok) return 'ok';
  const byPath = new Map<string, string[]>();
  for (const e of result.errors) byPath.set(e.path, [...(byPath.get(e.path) ?? []), e.code]);
  return [...byPath].map(([path, codes]) => `${path}: ${codes.join(', ')}`).join('; ');
}

function data(schema: unknown, submission: unknown, variables: Record<string, unknown> = {}) {
  const result = check(schema, submission, variables);
  assert.ok(result.ok, `expected success, got ${JSON.stringify(!result.ok && result.errors)}`);
  return result.data;
}

describe('forms: compile, per component', () => {
  it('textfield: text on one line; numbers, null and line breaks refused', () => {
    const f = form({ type: 'textfield', id: 't', key: 'name' });
    assert.deepEqual(compileForm(f).jsonSchema.properties, { name: { type: 'string', gridflowSingleLine: true } });
    assert.equal(verdict(f, { name: 'Ada' }), 'ok');
    assert.equal(verdict(f, { name: 5 }), 'name: TYPE');
    assert.equal(verdict(f, { name: null }), 'name: TYPE');
    assert.equal(verdict(f, { name: 'a\nb' }), 'name: SINGLE_LINE');
  });

  it('textarea: text with line breaks', () => {
    const f = form({ type: 'textarea', id: 't', key: 'note', validate: { maxLength: 5 } });
    assert.equal(verdict(f, { note: 'a\nb' }), 'ok');
    assert.equal(verdict(f, { note: 'abcdef' }), 'note: MAX_LENGTH');
  });

  it('number: a JSON number or null; with serializeToString, decimal text', () => {
    const f = form({ type: 'number', id: 'n', key: 'amount' });
    assert.equal(verdict(f, { amount: 2.5 }), 'ok');
    assert.equal(verdict(f, { amount: null }), 'ok');
    assert.equal(verdict(f, { amount: '2.5' }), 'amount: TYPE');
    const s = form({ type: 'number', id: 'n', key: 'amount', serializeToString: true });
    assert.equal(verdict(s, { amount: '2.50' }), 'ok');
    assert.equal(verdict(s, { amount: 2.5 }), 'amount: TYPE');
    assert.equal(verdict(s, { amount: '1e3' }), 'amount: TYPE');
  });

  it('checkbox: true or false; required means checked', () => {
    const f = form({ type: 'checkbox', id: 'c', key: 'agree', validate: { required: true } });
    assert.equal(verdict(f, { agree: true }), 'ok');
    assert.equal(verdict(f, { agree: false }), 'agree: REQUIRED');
    assert.equal(verdict(f, { agree: 'true' }), 'agree: TYPE');
  });

  it('checklist and taglist: a list of option values, each once', () => {
    for (const type of ['checklist', 'taglist']) {
      const f = form({ type, id: 'c', key: 'colors', values: [{ label: 'Red', value: 'r' }, { label: 'Green', value: 'g' }], validate: { required: true } });
      assert.equal(verdict(f, { colors: ['r', 'g'] }), 'ok', type);
      assert.equal(verdict(f, { colors: [] }), 'colors: REQUIRED', type);
      assert.equal(verdict(f, { colors: ['r', 'x'] }), 'colors: NOT_AN_OPTION', type);
      assert.equal(verdict(f, { colors: ['r', 'r'] }), 'colors: DUPLICATE', type);
      assert.equal(verdict(f, { colors: 'r' }), 'colors: TYPE', type);
    }
  });

  it('radio and select: one option value or null; option values may be numbers or objects', () => {
    for (const type of ['radio', 'select']) {
      const f = form({ type, id: 's', key: 'size', values: [{ label: 'S', value: 1 }, { label: 'Obj', value: { code: 'x' } }] });
      assert.equal(verdict(f, { size: 1 }), 'ok', type);
      assert.equal(verdict(f, { size: { code: 'x' } }), 'ok', type);
      assert.equal(verdict(f, { size: null }), 'ok', type);
      assert.equal(verdict(f, { size: '1' }), 'size: NOT_AN_OPTION', type);
    }
  });

  it('datetime: date, time and datetime in the shape form-js writes for the format', () => {
    const date = form({ type: 'datetime', id: 'd', key: 'd', subtype: 'date' });
    assert.equal(verdict(date, { d: '2024-02-29' }), 'ok');
    assert.equal(verdict(date, { d: null }), 'ok');
    for (const bad of ['2023-02-29', '2024-2-1', '2024-02-29T10:00', '01/02/2024']) assert.equal(verdict(date, { d: bad }), 'd: DATE_FORMAT', bad);
    const time = (format?: string) => form({ type: 'datetime', id: 't', key: 't', subtype: 'time', ...(format ? { timeSerializingFormat: format } : {}) });
    assert.equal(verdict(time(), { t: '14:30' }), 'ok');
    assert.equal(verdict(time('utc_normalized'), { t: '14:30Z' }), 'ok');
    assert.equal(verdict(time('utc_offset'), { t: '14:30+08:00' }), 'ok');
    assert.equal(verdict(time('utc_offset'), { t: '14:30' }), 't: DATE_FORMAT');
    assert.equal(verdict(time(), { t: '24:00' }), 't: DATE_FORMAT');
    const dt = form({ type: 'datetime', id: 'x', key: 'x', subtype: 'datetime', timeSerializingFormat: 'utc_normalized' });
    assert.equal(verdict(dt, { x: '2024-03-01T14:30Z' }), 'ok');
    assert.equal(verdict(dt, { x: '2024-03-01T14:30' }), 'x: DATE_FORMAT');
  });

  it('datetime: minutes on the time picker grid (timeInterval, 15 by default)', () => {
    const t = form({ type: 'datetime', id: 't', key: 't', subtype: 'time' }, { type: 'datetime', id: 'u', key: 'u', subtype: 'time', timeInterval: 5 });
    assert.equal(verdict(t, { t: '14:45', u: '14:35' }), 'ok');
    assert.equal(verdict(t, { t: '14:40', u: '14:37' }), 't: TIME_INTERVAL; u: TIME_INTERVAL');
  });

  it('datetime: disallowPassedDates refuses a date before today everywhere on Earth', () => {
    const f = form({ type: 'datetime', id: 'd', key: 'd', subtype: 'date', disallowPassedDates: true });
    assert.equal(verdict(f, { d: '2025-06-15' }), 'ok');
    assert.equal(verdict(f, { d: '2025-06-14' }), 'd: DATE_IN_PAST'); // 12:00 UTC: June 15th at UTC-12 too
    const early = new Date('2025-06-15T05:00:00Z');
    assert.equal(verdict(f, { d: '2025-06-14' }, {}, { now: early }), 'ok'); // still June 14th at UTC-12
    assert.equal(verdict(f, { d: '2025-06-13' }, {}, { now: early }), 'd: DATE_IN_PAST');
  });

  it('group: its path nests its fields; without a path they stay at its level', () => {
    const f = form(
      { type: 'group', id: 'g', path: 'applicant', components: [{ type: 'textfield', id: 'n', key: 'name', validate: { required: true } }] },
      { type: 'group', id: 'h', components: [{ type: 'textfield', id: 'c', key: 'city' }] },
    );
    const schema = compileForm(f).jsonSchema as { properties: Record<string, { properties?: object }> };
    assert.deepEqual(Object.keys(schema.properties), ['applicant', 'city']);
    assert.equal(verdict(f, { applicant: { name: 'Ada' }, city: 'Xi’an' }), 'ok');
    assert.equal(verdict(f, { applicant: { name: '' } }), 'applicant.name: REQUIRED');
    assert.equal(verdict(f, { applicant: 'Ada' }), 'applicant: TYPE');
  });

  it('dotted keys make nested objects', () => {
    const f = form({ type: 'textfield', id: 'a', key: 'org.address.city' }, { type: 'textfield', id: 'b', key: 'org.name' });
    const schema = compileForm(f).jsonSchema as any;
    assert.deepEqual(Object.keys(schema.properties.org.properties), ['address', 'name']);
    assert.deepEqual(data(f, { org: { address: { city: 'Fuzhou' }, name: 'X' } }), { org: { address: { city: 'Fuzhou' }, name: 'X' } });
  });

  it('dynamiclist: an array of items, nested lists, errors at demands[0].title', () => {
    const f = form({
      type: 'dynamiclist', id: 'demands', path: 'demands', isRepeating: true, allowAddRemove: true, label: 'Demands',
      components: [
        { type: 'textfield', id: 'title', key: 'title', label: 'Title', validate: { required: true } },
        { type: 'dynamiclist', id: 'steps', path: 'steps', isRepeating: true, allowAddRemove: true, components: [{ type: 'number', id: 'hours', key: 'hours', label: 'Hours', validate: { min: 1 } }] },
      ],
    });
    const result = check(f, { demands: [{ title: 'ok', steps: [{ hours: 2 }, { hours: 0 }] }, { title: '', steps: [] }] });
    assert.equal(result.ok, false);
    assert.deepEqual((result as { errors: FieldError[] }).errors.map((e) => [e.path, e.label, e.code]), [
      ['demands[0].steps[1].hours', 'Hours', 'MIN'],
      ['demands[1].title', 'Title', 'REQUIRED'],
    ]);
    assert.equal(verdict(f, { demands: [{ title: 'x', steps: [] }, 'not an item'] }), 'demands[1]: TYPE');
    assert.equal(verdict(f, { demands: 'x' }), 'demands: TYPE');
    // New items are described by `items`.
    const schema = compileForm(f).jsonSchema as any;
    assert.equal(schema.properties.demands.type, 'array');
    assert.deepEqual(schema.properties.demands.items.required, ['title']);
  });

  it('dynamiclist: without allowAddRemove the number of items is fixed', () => {
    const f = form({ type: 'dynamiclist', id: 'l', path: 'rows', isRepeating: true, components: [{ type: 'textfield', id: 'x', key: 'x' }] });
    assert.equal(verdict(f, { rows: [{ x: 'a' }, { x: 'b' }] }, { rows: [{ x: 'a' }, { x: 'b' }] }), 'ok');
    assert.equal(verdict(f, { rows: [{ x: 'a' }] }, { rows: [{ x: 'a' }, { x: 'b' }] }), 'rows: ITEM_COUNT');
    assert.equal(verdict(f, { rows: [{ x: 'a' }] }), 'ok'); // defaultRepetitions: 1
  });

  it('expression: computed by the server, a submitted value is replaced', () => {
    const f = form({ type: 'number', id: 'p', key: 'price' }, { type: 'expression', id: 'e', key: 'total', expression: '=price * 2' });
    assert.deepEqual(data(f, { price: 4, total: 1000 }), { price: 4, total: 8 });
    assert.deepEqual(data(f, { price: 4 }), { price: 4, total: 8 });
  });

  it('filepicker: null or a list of document references; one unless multiple', () => {
    const doc = { documentId: 'd1', metadata: { fileName: 'a.pdf', contentType: 'application/pdf' } };
    const one = form({ type: 'filepicker', id: 'f', key: 'files', validate: { required: true } });
    assert.equal(verdict(one, { files: [doc] }), 'ok');
    assert.equal(verdict(one, { files: null }), 'files: REQUIRED');
    assert.equal(verdict(one, { files: [doc, { ...doc, documentId: 'd2' }] }), 'files: TOO_MANY_FILES');
    assert.equal(verdict(one, { files: [{ name: 'x' }] }), 'files: DOCUMENT');
    const many = form({ type: 'filepicker', id: 'f', key: 'files', multiple: '=allowMany' });
    assert.equal(verdict(many, { files: [doc, doc] }, { allowMany: true }), 'ok');
    assert.equal(verdict(many, { files: [doc, doc] }, { allowMany: false }), 'files: TOO_MANY_FILES');
  });

  it('display components hold no data', () => {
    const f = form(
      { type: 'text', id: 'x', text: '# Hello' }, { type: 'html', id: 'h', content: '<b>x</b>' }, { type: 'image', id: 'i', source: 'https://x/y.png' },
      { type: 'spacer', id: 's' }, { type: 'separator', id: 'p' }, { type: 'iframe', id: 'f', url: 'https://x' },
      { type: 'table', id: 't', dataSource: '=rows' }, { type: 'documentPreview', id: 'd', dataSource: '=docs' }, { type: 'button', id: 'b', action: 'submit' },
    );
    assert.deepEqual(compileForm(f).fields, []);
    assert.equal(verdict(f, {}), 'ok');
  });
});

describe('forms: compile, per rule', () => {
  it('required: empty text, null, false and [] are missing; a field left out keeps its current value', () => {
    const f = form({ type: 'textfield', id: 't', key: 'name', label: 'Name', validate: { required: true } });
    assert.equal(verdict(f, {}), 'name: REQUIRED');
    assert.equal(verdict(f, { name: '' }), 'name: REQUIRED');
    assert.equal(verdict(f, { name: '   ' }), 'ok'); // form-js counts blanks as a value
    assert.equal(verdict(f, {}, { name: 'Ada' }), 'ok');
  });

  it('minLength and maxLength count the trimmed text; FEEL allowed', () => {
    const f = form({ type: 'textfield', id: 't', key: 'code', validate: { minLength: '=min', maxLength: 4 } });
    assert.equal(verdict(f, { code: ' ab ' }, { min: 3 }), 'code: MIN_LENGTH');
    assert.equal(verdict(f, { code: 'abc' }, { min: 3 }), 'ok');
    assert.equal(verdict(f, { code: 'abcde' }, { min: 3 }), 'code: MAX_LENGTH');
    assert.equal(verdict(f, { code: '' }, { min: 3 }), 'ok'); // only non-empty text is measured
    assert.equal(verdict(f, { code: 'a' }, {}), 'ok'); // min is null: no check
  });

  it('min and max: exact decimals, FEEL against the task variables, a bound that is not a number fails every value', () => {
    const f = form({ type: 'number', id: 'n', key: 'n', validate: { min: 0.1, max: '=limit' } });
    assert.equal(verdict(f, { n: 0.1 }, { limit: 5 }), 'ok');
    assert.equal(verdict(f, { n: 0.05 }, { limit: 5 }), 'n: MIN');
    assert.equal(verdict(f, { n: 6 }, { limit: 5 }), 'n: MAX');
    assert.equal(verdict(f, { n: 6 }, { limit: 'lots' }), 'n: MAX');
    assert.equal(verdict(f, { n: null }, { limit: 'lots' }), 'ok');
    const schema = compileForm(f, { limit: 5 }).jsonSchema as any;
    assert.equal(schema.properties.n.minimum, 0.1);
    assert.equal(schema.properties.n.maximum, 5);
  });

  it('pattern: a JavaScript regular expression, not anchored, with its own message', () => {
    const f = form({ type: 'textfield', id: 't', key: 'c', validate: { pattern: '[0-9]{3}', patternErrorMessage: '需要三位数字' } });
    assert.equal(verdict(f, { c: 'ab123cd' }), 'ok');
    const result = check(f, { c: 'ab12' }, {}, { locale: 'zh' });
    assert.deepEqual(!result.ok && result.errors.map((e) => [e.code, e.message]), [['PATTERN', '需要三位数字']]);
    const plain = form({ type: 'textfield', id: 't', key: 'c', validate: { pattern: '^[\\w-]+$' } }); // not valid with the u flag
    assert.equal(verdict(plain, { c: 'a-b' }), 'ok');
    assert.equal(verdict(plain, { c: 'a b' }), 'c: PATTERN');
  });

  it('validationType email, phone, uscc and cnMobile', () => {
    const f = form(
      { type: 'textfield', id: 'e', key: 'e', validate: { validationType: 'email' } },
      { type: 'textfield', id: 'p', key: 'p', validate: { validationType: 'phone' } },
      { type: 'textfield', id: 'u', key: 'u', label: '统一社会信用代码', validate: { validationType: 'uscc' } },
      { type: 'textfield', id: 'm', key: 'm', label: '手机号', validate: { validationType: 'cnMobile' } },
    );
    assert.equal(verdict(f, { e: 'a@b.cn', p: '+8613812345678', u: '91350100M000100Y43', m: '13812345678' }), 'ok');
    assert.equal(verdict(f, { e: '', p: '', u: '', m: '' }), 'ok');
    assert.equal(verdict(f, { e: 'a@', p: '138', u: '91350100M000100Y44', m: '12812345678' }), 'e: EMAIL; p: PHONE; u: USCC; m: CN_MOBILE');
  });

  it('decimalDigits and increment', () => {
    const f = form({ type: 'number', id: 'n', key: 'n', decimalDigits: 1, increment: '0.5' });
    assert.equal(verdict(f, { n: 1.5 }), 'ok');
    assert.equal(verdict(f, { n: 1.25 }), 'n: DECIMAL_DIGITS, INCREMENT');
    assert.equal(verdict(f, { n: 1.2 }), 'n: INCREMENT');
    const whole = form({ type: 'number', id: 'n', key: 'n', decimalDigits: 0 });
    const result = check(whole, { n: 2.5 });
    assert.deepEqual(!result.ok && result.errors.map((e) => e.message), ['Must be a whole number.']);
  });

  it('options from a variable (valuesKey) and from FEEL (valuesExpression)', () => {
    const byKey = form({ type: 'select', id: 's', key: 'dept', valuesKey: 'departments' });
    const vars = { departments: [{ label: '财务部', value: 'fin' }, { label: '人事部', value: 'hr' }] };
    assert.equal(verdict(byKey, { dept: 'hr' }, vars), 'ok');
    assert.equal(verdict(byKey, { dept: 'it' }, vars), 'dept: NOT_AN_OPTION');
    assert.equal(verdict(byKey, { dept: 'hr' }, {}), 'dept: NOT_AN_OPTION');
    const byFeel = form({ type: 'checklist', id: 'c', key: 'chosen', valuesExpression: '=for g in grids return "grid-" + string(g)' });
    assert.equal(verdict(byFeel, { chosen: ['grid-3', 'grid-5'] }, { grids: [3, 5] }), 'ok');
    assert.equal(verdict(byFeel, { chosen: ['grid-4'] }, { grids: [3, 5] }), 'chosen: NOT_AN_OPTION');
  });

  it('defaultValue: used when the task has no value', () => {
    const f = form({ type: 'select', id: 's', key: 'size', values: [{ label: 'S', value: 's' }, { label: 'M', value: 'm' }], defaultValue: 'm' });
    assert.deepEqual(data(f, {}), { size: 'm' });
    assert.deepEqual(data(f, {}, { size: 's' }), { size: 's' });
  });

  it('conditional.hide: a hidden field is not required and its value is dropped', () => {
    const f = form(
      { type: 'checkbox', id: 'c', key: 'company' },
      { type: 'textfield', id: 'u', key: 'uscc', validate: { required: true, validationType: 'uscc' }, conditional: { hide: '=not(company)' } },
    );
    assert.equal(verdict(f, { company: false, uscc: 'garbage' }), 'ok');
    assert.deepEqual(data(f, { company: false, uscc: 'garbage' }), { company: false });
    assert.equal(verdict(f, { company: true }), 'uscc: REQUIRED');
    const fields = compileForm(f, {}, { data: { company: false } }).fields;
    assert.deepEqual(fields.map((x) => [x.path, x.hidden]), [['company', false], ['uscc', true]]);
  });

  it('conditional.hide in a dynamic list sees the item as `this` and hides per item', () => {
    const f = form({
      type: 'dynamiclist', id: 'l', path: 'rows', isRepeating: true, allowAddRemove: true,
      components: [{ type: 'checkbox', id: 'o', key: 'other' }, { type: 'textfield', id: 'd', key: 'detail', validate: { required: true }, conditional: { hide: '=not(this.other)' } }],
    });
    assert.equal(verdict(f, { rows: [{ other: false }, { other: true, detail: '' }] }), 'rows[1].detail: REQUIRED');
    assert.deepEqual(data(f, { rows: [{ other: false, detail: 'x' }, { other: true, detail: 'y' }] }), { rows: [{ other: false }, { other: true, detail: 'y' }] });
  });

  it('readonly (static or FEEL) and disabled: the submitter cannot change the value', () => {
    const f = form(
      { type: 'textfield', id: 'a', key: 'applicant', readonly: true },
      { type: 'number', id: 'b', key: 'budget', readonly: '=status = "approved"' },
      { type: 'textfield', id: 'c', key: 'internal', disabled: true },
    );
    const vars = { applicant: 'Ada', budget: 100, status: 'approved', internal: 'x' };
    assert.equal(verdict(f, { applicant: 'Ada', budget: 100, internal: 'x' }, vars), 'ok');
    assert.equal(verdict(f, {}, vars), 'ok');
    assert.equal(verdict(f, { applicant: 'Eve', budget: 1, internal: 'y' }, vars), 'applicant: READONLY_CHANGED; budget: READONLY_CHANGED; internal: READONLY_CHANGED');
    assert.equal(verdict(f, { budget: 1 }, { ...vars, status: 'draft' }), 'ok');
    assert.deepEqual(data(f, {}, vars), { applicant: 'Ada', budget: 100 }); // disabled values are not submitted
  });

  it('FEEL in labels: error labels as the user saw them', () => {
    const f = form({ type: 'number', id: 'n', key: 'n', label: '="Amount for " + name', validate: { min: 1 } }, { type: 'textfield', id: 't', key: 't', label: 'Budget of {{name}}', validate: { required: true } });
    const result = check(f, { n: 0 }, { name: 'Grid 3' });
    assert.deepEqual(!result.ok && result.errors.map((e) => e.label), ['Amount for Grid 3', 'Budget of Grid 3']);
  });

  it('fields report path, label, type, hidden, readonly, required', () => {
    const f = form({ type: 'dynamiclist', id: 'l', path: 'demands', isRepeating: true, allowAddRemove: true, components: [{ type: 'textfield', id: 't', key: 'title', label: 'Title', readonly: '=this.locked = true', validate: { required: true } }] });
    const { fields } = compileForm(f, { demands: [{ title: 'a', locked: true }, { title: 'b' }] });
    assert.deepEqual(fields.map((x) => [x.path, x.type, x.label, x.readonly, x.required]), [
      ['demands', 'dynamiclist', '', false, false],
      ['demands[0].title', 'textfield', 'Title', true, true],
      ['demands[1].title', 'textfield', 'Title', false, true],
    ]);
  });
});
