import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkFormSchema, compileForm, FormSchemaError } from '../forms/index.ts';

const form = (...components: unknown[]) => ({ type: 'default', components });

/** `componentId property` of every problem. */
function problems(schema: unknown): string[] {
  return checkFormSchema(schema).map((p) => `${p.componentId} ${p.property}`.trim());
}

describe('forms: schema check', () => {
  it('accepts a form the form-js editor writes', () => {
    const schema = {
      type: 'default', id: 'Form_0x', schemaVersion: 18, exporter: { name: 'Camunda Modeler', version: '5.30.0' },
      components: [
        { type: 'textfield', id: 'Field_1', key: 'name', label: 'Name', validate: { required: true, validationType: '' }, layout: { row: 'Row_1' } },
        { type: 'group', id: 'Group_1', label: 'Address', path: 'address', showOutline: true, components: [{ type: 'textfield', id: 'Field_2', key: 'city' }] },
        { type: 'dynamiclist', id: 'List_1', path: 'items', isRepeating: true, allowAddRemove: true, defaultRepetitions: 1, components: [{ type: 'number', id: 'Field_3', key: 'qty', decimalDigits: 0, increment: '1' }] },
        { type: 'select', id: 'Field_4', key: 'size', values: [{ label: 'S', value: 's' }], defaultValue: 's' },
        { type: 'text', id: 'Text_1', text: '# Title' },
      ],
    };
    assert.deepEqual(checkFormSchema(schema), []);
  });

  it('names the component and property of each problem', () => {
    assert.deepEqual(problems(null), ['form']);
    assert.deepEqual(problems({ type: 'form', components: [] }), ['form type']);
    assert.deepEqual(problems({ type: 'default' }), ['form components']);
    assert.deepEqual(problems(form({ type: 'slider', id: 'S' })), ['S type']);
    assert.deepEqual(problems(form({ type: 'textfield', id: 'T' })), ['T key']);
    assert.deepEqual(problems(form({ type: 'textfield', id: 'T', key: 'a b' })), ['T key']);
    assert.deepEqual(problems(form({ type: 'textfield', id: 'T', key: 'a.0.b' })), ['T key']);
    assert.deepEqual(problems(form({ type: 'textfield', id: 'T', key: '__proto__' })), ['T key']);
    assert.deepEqual(problems(form({ type: 'textfield', key: 7 })), ['components[0] key']);
    assert.deepEqual(problems(form('x')), ['components[0]']);
  });

  it('refuses duplicate ids and keys or paths that collide', () => {
    assert.deepEqual(problems(form({ type: 'textfield', id: 'A', key: 'a' }, { type: 'number', id: 'A', key: 'b' })), ['A id']);
    assert.deepEqual(problems(form({ type: 'textfield', id: 'A', key: 'a' }, { type: 'number', id: 'B', key: 'a' })), ['B key']);
    assert.deepEqual(problems(form({ type: 'textfield', id: 'A', key: 'a' }, { type: 'number', id: 'B', key: 'a.b' })), ['B key']);
    assert.deepEqual(problems(form({ type: 'textfield', id: 'A', key: 'a.b' }, { type: 'number', id: 'B', key: 'a' })), ['B key']);
    assert.deepEqual(problems(form({ type: 'group', id: 'G', path: 'a', components: [{ type: 'textfield', id: 'A', key: 'x' }] }, { type: 'textfield', id: 'B', key: 'a.x' })), ['B key']);
    // Two groups may share a path; a list's path belongs to the list.
    assert.deepEqual(problems(form({ type: 'group', id: 'G', path: 'a', components: [] }, { type: 'group', id: 'H', path: 'a', components: [] })), []);
    assert.deepEqual(problems(form({ type: 'dynamiclist', id: 'L', path: 'l', isRepeating: true, components: [] }, { type: 'textfield', id: 'B', key: 'l.x' })), ['B key']);
    assert.deepEqual(problems(form({ type: 'dynamiclist', id: 'L', isRepeating: true, components: [] })), ['L path']);
  });

  it('checks the properties rules read', () => {
    const got = problems(form(
      { type: 'textfield', id: 'A', key: 'a', validate: { minLength: -1, maxLength: 'x', pattern: '(', validationType: 'fax', required: 'yes' } },
      { type: 'number', id: 'B', key: 'b', validate: { min: 'low', max: null, pattern: 'x' }, decimalDigits: 1.5, increment: 0 },
      { type: 'datetime', id: 'C', key: 'c', subtype: 'week', timeSerializingFormat: 'local' },
      { type: 'select', id: 'D', key: 'd' },
      { type: 'radio', id: 'E', key: 'e', values: [{ label: 'x', value: 'x' }], valuesKey: 'opts' },
      { type: 'checklist', id: 'F', key: 'f', values: [{ label: 'x', value: '' }] },
      { type: 'expression', id: 'G', key: 'g', expression: 'not feel' },
      { type: 'textfield', id: 'H', key: 'h', readonly: 'yes', disabled: '=x', conditional: { hide: 'x > 1' } },
      { type: 'checkbox', id: 'I', key: 'i', defaultValue: 'true' },
    ));
    assert.deepEqual(got, [
      'A validate.minLength', 'A validate.maxLength', 'A validate.pattern', 'A validate.validationType', 'A validate.required',
      'B validate.min', 'B validate.max', 'B validate.pattern', 'B decimalDigits', 'B increment',
      'C subtype', 'C timeSerializingFormat',
      'D values',
      'E valuesKey',
      'F values[0]',
      'G expression',
      'H conditional.hide', 'H readonly', 'H disabled',
      'I defaultValue',
    ]);
  });

  it('parses every FEEL expression', () => {
    const got = checkFormSchema(form(
      { type: 'textfield', id: 'A', key: 'a', label: '=1 +', conditional: { hide: '=a >' }, readonly: '=(', validate: { minLength: '=)' } },
      { type: 'select', id: 'B', key: 'b', valuesExpression: '=[1,' },
    ));
    assert.deepEqual(got.map((p) => `${p.componentId} ${p.property}`), ['A label', 'A conditional.hide', 'A readonly', 'A validate.minLength', 'B valuesExpression']);
    assert.ok(got.every((p) => p.message.startsWith('FEEL:')));
  });

  it('bounds the schema: components and nesting', () => {
    let nested: Record<string, unknown> = { type: 'textfield', id: 'leaf', key: 'x' };
    for (let i = 0; i < 20; i += 1) nested = { type: 'group', id: `g${i}`, components: [nested] };
    assert.ok(problems(form(nested)).some((p) => p.endsWith('components')));
    const many = Array.from({ length: 2001 }, (_, i) => ({ type: 'text', id: `t${i}` }));
    assert.deepEqual(problems(form(...many)), ['form components']);
  });

  it('refuses a schema that is not JSON data (cycles, BigInt)', () => {
    const validate: Record<string, unknown> = { required: true };
    validate.self = validate;
    assert.deepEqual(problems(form({ type: 'textfield', id: 'T', key: 'a', validate })), ['form']);
    assert.deepEqual(problems(form({ type: 'number', id: 'N', key: 'n', min: 1n })), ['form']);
    assert.throws(() => compileForm(form({ type: 'textfield', id: 'T', key: 'a', validate })), FormSchemaError);
  });

  it('compileForm throws a FormSchemaError listing the problems', () => {
    assert.throws(() => compileForm(form({ type: 'textfield', id: 'T', key: 'a b' })), (err: unknown) => {
      assert.ok(err instanceof FormSchemaError);
      assert.equal(err.problems[0]!.componentId, 'T');
      assert.match(err.message, /T \(key\)/);
      return true;
    });
  });

  it('no input crashes the checker or the compiler', () => {
    const component = fc.record(
      {
        type: fc.constantFrom('textfield', 'number', 'select', 'checklist', 'datetime', 'group', 'dynamiclist', 'expression', 'x', 7),
        id: fc.oneof(fc.string({ maxLength: 3 }), fc.integer()),
        key: fc.oneof(fc.constantFrom('a', 'b', 'a.b', '__proto__', ''), fc.anything()),
        path: fc.oneof(fc.constantFrom('a', 'l'), fc.anything()),
        isRepeating: fc.boolean(),
        validate: fc.oneof(fc.anything(), fc.record({ required: fc.anything(), min: fc.anything(), pattern: fc.anything() }, { requiredKeys: [] })),
        values: fc.anything(),
        conditional: fc.anything(),
        components: fc.anything(),
        readonly: fc.anything(),
      },
      { requiredKeys: ['type'] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ type: fc.constant('default'), components: fc.array(component, { maxLength: 5 }) })), (schema) => {
        checkFormSchema(schema);
        try {
          compileForm(schema, { a: 1 });
        } catch (err) {
          if (!(err instanceof FormSchemaError)) throw err;
        }
      }),
      { numRuns: 500 },
    );
  });
});
