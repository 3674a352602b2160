// FEEL in forms, evaluated the way form-js evaluates it, on Gridflow's FEEL engine:
//
// - Only a string starting with '=' is an expression (no leading blanks, unlike BPMN attributes).
// - A failing expression gives null (form-js reports the error and carries on), so a broken
//   condition hides nothing and a broken bound checks nothing.
// - Conditions (`conditional.hide`) and `readonly` are FEEL unary tests with the input null:
//   `=a = 1` is true when a is 1; `=a` is true when a is true or null; `=not(a)` when a is not
//   null; a test that fails is not true.
// - The context of a component is built like form-js's LocalExpressionContext: the form's data
//   (hidden fields filtered out, the task's variables underneath), plus `this` (the current
//   dynamic list item, else the data), `parent`, `i` (1-based indexes of the enclosing lists), and
//   the same under `_this_`, `_parent_`, `_i_`.
import { unaryTest as feelUnaryTest } from 'feelin';
import { evaluateFeel, FEEL_DIALECT, MAX_EXPRESSION_LENGTH } from '../engine/feel/index.ts';
import { functionContext } from '../engine/feel/functions.ts';

export type FeelContext = Record<string, unknown>;

export function isFeel(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('=');
}

/** A FEEL expression's value, or null when it fails; a non-expression is returned as it is. */
export function evaluateValue(value: unknown, context: FeelContext): unknown {
  if (!isFeel(value)) return value;
  try {
    return evaluateFeel(value.slice(1), context).value;
  } catch {
    return null;
  }
}

/**
 * A FEEL unary test, as form-js runs conditions: feelin's own unaryTest (the grammar differs from
 * an expression's: `not(x)` negates a test), in Zeebe's dialect with Gridflow's extra functions;
 * null when `value` is not an expression or the test fails.
 */
export function unaryTest(value: unknown, context: FeelContext): boolean | null {
  if (!isFeel(value) || value.length > MAX_EXPRESSION_LENGTH) return null;
  if (/\b(for|some|every|function)\b/.test(value)) return boundedTest(value.slice(1), context);
  try {
    const result = feelUnaryTest(value.slice(1), { ...context, ...functionContext() }, FEEL_DIALECT).value;
    return typeof result === 'boolean' ? result : null;
  } catch {
    return null;
  }
}

/**
 * A test that may iterate runs as an expression on the engine, which bounds its time; the result
 * is read the way a unary test with input null reads it (true, null, or a list holding null).
 */
function boundedTest(feel: string, context: FeelContext): boolean | null {
  let result: unknown;
  try {
    result = evaluateFeel(feel, context).value;
  } catch {
    return null;
  }
  if (typeof result === 'boolean') return result;
  if (result === null) return true;
  return Array.isArray(result) ? result.includes(null) : false;
}

export interface ScopeInfo {
  /** The form's data (conditions applied, task variables underneath). */
  data: Record<string, unknown>;
  this: unknown;
  parent: unknown;
  i: number[];
}

/** form-js's buildExpressionContext: special names first, the data over them, `_name_` on top. */
export function buildContext(scope: ScopeInfo): FeelContext {
  const special = { this: scope.this, parent: scope.parent, i: scope.i };
  return { ...special, ...scope.data, _this_: special.this, _parent_: special.parent, _i_: special.i };
}

/**
 * A label as form-js shows it: a FEEL expression ('=...'), or text with `{{ expression }}`
 * templates; only the first line. Template blocks ({{#if}}, {{#loop}}) are not run: their markers
 * are dropped and their content kept.
 */
export function evaluateLabel(label: unknown, context: FeelContext): string {
  if (typeof label !== 'string') return '';
  let text: string;
  if (label.startsWith('=')) {
    text = display(evaluateValue(label, context));
  } else {
    text = label.replace(/\{\{\s*([#/][^}]*)\}\}/g, '').replace(/\{\{([^}]*)\}\}/g, (_, expression: string) => {
      return display(evaluateValue(`=${expression}`, context));
    });
  }
  return text.split('\n')[0] ?? '';
}

function display(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
