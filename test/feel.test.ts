import assert from 'node:assert/strict';
import {
  evaluate, evaluateBoolean, evaluateList, evaluateNumber, evaluateString, evaluateStringList,
  FeelError, MAX_EXPRESSION_LENGTH, MAX_RESULT_CHARS, parseFeel, registerFeelFunction, isExpression,
} from '../engine/feel/index.ts';

function feelError(fn: () => unknown): FeelError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof FeelError, `expected FeelError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a FeelError');
}

describe('feel: evaluate', () => {
  it('treats a value without "=" as a static string', () => {
    assert.deepEqual(evaluate('order-42', { x: 1 }), { value: 'order-42', warnings: [], isExpression: false });
    assert.equal(evaluate('x > 1').value, 'x > 1');
  });

  it('evaluates FEEL after the "=" prefix', () => {
    assert.equal(evaluate('= order.amount > 100', { order: { amount: 150 } }).value, true);
    assert.equal(evaluate('=string length("abc") + 1').value, 4);
    assert.deepEqual(evaluate('=for i in [1, 2, 3] return i * 2').value, [2, 4, 6]);
    assert.equal(isExpression('  =x'), true);
    assert.equal(isExpression('x'), false);
  });

  it('evaluates a missing variable to null and reports a warning', () => {
    const result = evaluate('=missing');
    assert.equal(result.value, null);
    assert.equal(result.warnings[0]?.type, 'NO_VARIABLE_FOUND');
  });

  it('speaks the camunda dialect (backtick names)', () => {
    assert.equal(evaluate('=`first name`', { 'first name': 'Ada' }).value, 'Ada');
  });

  it('converts temporal values the way Zeebe stores them', () => {
    assert.equal(evaluate('=date("2020-01-05")').value, '2020-01-05');
    assert.equal(evaluate('=date and time("2020-01-05T10:00:00")').value, '2020-01-05T10:00:00');
    assert.equal(evaluate('=date and time("2020-01-05T10:00:00Z")').value, '2020-01-05T10:00:00Z');
    assert.equal(evaluate('=date and time("2020-01-05T10:00:00+08:00")').value, '2020-01-05T10:00:00+08:00');
    assert.equal(evaluate('=date and time("2020-07-01T10:00:00@Europe/Paris")').value, '2020-07-01T10:00:00+02:00[Europe/Paris]');
    assert.equal(evaluate('=date and time("2020-01-01T10:00:00@Asia/Shanghai")').value, '2020-01-01T10:00:00+08:00[Asia/Shanghai]');
    assert.equal(evaluate('=time("10:15:00")').value, '10:15');
    assert.equal(evaluate('=time("10:15:30")').value, '10:15:30');
    assert.equal(evaluate('=time("10:15:30+02:00")').value, '10:15:30+02:00');
    assert.equal(evaluate('=duration("P1DT2H")').value, 'P1DT2H');
    assert.equal(evaluate('=duration("P14M")').value, 'P1Y2M');
    assert.equal(evaluate('=@"2020-01-02T00:00:00Z" - @"2020-01-01T22:00:00Z"').value, 'PT2H');
  });

  it('converts contexts to plain objects and drops values JSON cannot hold', () => {
    const value = evaluate('={a: 1, d: @"2020-01-01", r: [1..3], f: function(x) x, n: [1, null]}').value;
    assert.deepEqual(value, { a: 1, d: '2020-01-01', r: null, f: null, n: [1, null] });
    assert.equal(JSON.stringify(evaluate('={a: {b: [date("2021-02-03")]}}').value), '{"a":{"b":["2021-02-03"]}}');
  });

  it('keeps function names apart from variables of the same name', () => {
    const ctx = { date: '2020-01-01', count: 7, items: [1, 2] };
    assert.equal(evaluate('=date("2020-01-02")', ctx).value, '2020-01-02');
    assert.equal(evaluate('=count(items)', ctx).value, 2);
    assert.equal(evaluate('=count', ctx).value, 7);
  });

  it('throws a FeelError for a syntax error', () => {
    const err = feelError(() => evaluate('=1 +* 2'));
    assert.equal(err.kind, 'SYNTAX');
    assert.match(err.message, /Failed to parse expression '1 \+\* 2'/);
  });
});

describe('feel: typed helpers', () => {
  it('evaluateBoolean accepts booleans only', () => {
    assert.equal(evaluateBoolean('=x > 1', { x: 2 }), true);
    assert.equal(evaluateBoolean('= false'), false);
    assert.equal(evaluateBoolean('true'), true);
    const err = feelError(() => evaluateBoolean('=y > 1'));
    assert.equal(err.kind, 'TYPE');
    assert.match(err.message, /Expected result of the expression 'y > 1' to be 'BOOLEAN', but was 'NULL'/);
    assert.match(err.message, /\[NO_VARIABLE_FOUND\]/);
    assert.match(feelError(() => evaluateBoolean('="yes"')).message, /but was 'STRING'/);
    feelError(() => evaluateBoolean('yes'));
  });

  it('evaluateString', () => {
    assert.equal(evaluateString('billing'), 'billing');
    assert.equal(evaluateString('="svc-" + kind', { kind: 'mail' }), 'svc-mail');
    assert.match(feelError(() => evaluateString('=1')).message, /to be 'STRING', but was 'NUMBER'/);
    assert.equal(evaluateString('=assignee', {}, { nullable: true }), null);
    feelError(() => evaluateString('=assignee', {}));
  });

  it('evaluateNumber: static numeric literal or FEEL number', () => {
    assert.equal(evaluateNumber('3'), 3);
    assert.equal(evaluateNumber('=retries + 1', { retries: 2 }), 3);
    assert.match(feelError(() => evaluateNumber('three')).message, /to be 'NUMBER'/);
    assert.match(feelError(() => evaluateNumber('="3"')).message, /but was 'STRING'/);
    assert.equal(evaluateNumber('=n', {}, { nullable: true }), null);
  });

  it('evaluateList: static comma-separated list or FEEL list', () => {
    assert.deepEqual(evaluateList('sales, support,,ops '), ['sales', 'support', 'ops']);
    assert.deepEqual(evaluateList('=groups', { groups: ['a', 'b'] }), ['a', 'b']);
    assert.match(feelError(() => evaluateList('=groups', { groups: 'a' })).message, /to be 'ARRAY', but was 'STRING'/);
    assert.deepEqual(evaluateStringList('=["a", "b"]'), ['a', 'b']);
    assert.match(feelError(() => evaluateStringList('=[1]')).message, /list of strings/);
  });
});

describe('feel: parseFeel', () => {
  it('returns null for valid expressions, with or without "="', () => {
    assert.equal(parseFeel('x > 1'), null);
    assert.equal(parseFeel('= a.b[1]'), null);
    assert.equal(parseFeel('some x in [1, 2] satisfies x > 1'), null);
  });

  it('describes syntax errors', () => {
    assert.equal(parseFeel('1 +* 2'), "unexpected '*' at position 4");
    assert.equal(parseFeel('x >'), 'incomplete expression: unexpected end of input');
    assert.equal(parseFeel('{a: }'), "unexpected '}' at position 5");
    assert.equal(parseFeel('='), 'expression is empty');
  });
});

describe('feel: bounds', () => {
  it('stops an expression that iterates for too long, and the next one still runs', () => {
    const t = Date.now();
    assert.throws(() => evaluate('=count(for i in 1..100000000 return i)', {}), (e: any) => e instanceof FeelError && e.kind === 'LIMIT' && /longer than/.test(e.message));
    assert.ok(Date.now() - t < 8_000);
    assert.deepEqual(evaluate('=for i in 1..3 return i * k', { k: 2 }).value, [2, 4, 6]);
  });

  it('keeps the bound for expressions that read a given clock, and answers now() and today() from it', () => {
    const clock = () => Date.parse('2031-02-03T04:05:06.789Z');
    assert.throws(() => evaluate('=count(for i in 1..100000000 return now())', {}, { clock }), (e: any) => e instanceof FeelError && e.kind === 'LIMIT');
    const plain = evaluate('=[string(now()), string(today())]', {}, { clock }).value as string[];
    assert.match(plain[1]!, /^2031-02-0[34]$/);
    assert.deepEqual(evaluate('=for i in [1] return [string(now()), string(today())]', {}, { clock }).value, [plain]);
  });

  it('rejects expressions over the length limit', () => {
    const long = `=${'1 + '.repeat(MAX_EXPRESSION_LENGTH / 4)}1`;
    assert.match(parseFeel(long) ?? '', /too long/);
    assert.equal(feelError(() => evaluate(long)).kind, 'LIMIT');
  });

  it('rejects results over the size limit', () => {
    const err = feelError(() => evaluate('=for i in 1..n return "0123456789"', { n: Math.ceil(MAX_RESULT_CHARS / 12) + 10 }));
    assert.equal(err.kind, 'LIMIT');
    assert.match(err.message, /too large/);
  });
});

describe('feel: custom functions', () => {
  it('registers, calls (positional and named) and unregisters a function', () => {
    const off = registerFeelFunction('add days', (date: string, days: number) => `${date}+${days}`, ['date', 'days']);
    try {
      assert.equal(evaluate('=add days("d", 2)').value, 'd+2');
      assert.equal(evaluate('=add days(days: 3, date: "e")').value, 'e+3');
      assert.equal(parseFeel('add days(x, 1) > 0'), null);
    } finally {
      off();
    }
    assert.equal(evaluate('=add days("d", 2)').value, null);
  });

  it('recovers parameter names when none are given', () => {
    const off = registerFeelFunction('twice', (n: number) => n * 2);
    try {
      assert.equal(evaluate('=twice(n: 4)').value, 8);
    } finally {
      off();
    }
  });

  it('turns a throwing function into a FeelError', () => {
    const off = registerFeelFunction('explode', () => {
      throw new Error('kaput');
    });
    try {
      const err = feelError(() => evaluate('=explode()'));
      assert.equal(err.kind, 'FUNCTION');
      assert.match(err.message, /kaput/);
    } finally {
      off();
    }
  });

  it('refuses invalid names', () => {
    assert.throws(() => registerFeelFunction('1bad', () => 1), TypeError);
  });
});
