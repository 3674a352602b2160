// Evaluation with Camunda semantics: a value starting with '=' is a FEEL expression, anything else
// is a static string. A variable that does not exist evaluates to null (feelin reports a
// NO_VARIABLE_FOUND warning, which is returned, not thrown). Results are JSON values, converted
// the way Zeebe stores them (see convert.ts).
import { evaluate as feelEvaluate, parseExpression, SyntaxError as FeelSyntaxError } from 'feelin';
import { describeWarnings, FeelError, type FeelWarning } from './errors.ts';
import { toBoundedJson, type JsonValue } from './convert.ts';
import { clockFunctions, clockTexts } from './clock.ts';
import { functionContext } from './functions.ts';
import { MAX_EXPRESSION_LENGTH } from './limits.ts';
import { evaluateBounded, mayIterate } from './sandbox.ts';
import { FEEL_DIALECT, isExpression, stripExpressionMarker } from './parse.ts';

export type FeelContext = Record<string, unknown>;

export interface EvaluateOptions {
  /** The clock `now()` and `today()` read (milliseconds since the epoch); the machine's clock when absent. */
  clock?: () => number;
}

export interface FeelResult {
  value: JsonValue;
  warnings: FeelWarning[];
  /** False when the input was a static value (no leading '='). */
  isExpression: boolean;
}

/** Evaluate a BPMN attribute value: FEEL when it starts with '=', else the string itself. */
export function evaluate(expression: string, context: FeelContext = {}, options: EvaluateOptions = {}): FeelResult {
  if (!isExpression(expression)) return { value: expression, warnings: [], isExpression: false };
  const { value, warnings } = evaluateFeel(stripExpressionMarker(expression), context, options);
  return { value, warnings, isExpression: true };
}

/** Evaluate FEEL text (no leading '='). */
export function evaluateFeel(feel: string, context: FeelContext = {}, options: EvaluateOptions = {}): { value: JsonValue; warnings: FeelWarning[] } {
  const shown = feel.trim();
  if (feel.length > MAX_EXPRESSION_LENGTH) {
    throw new FeelError('LIMIT', `Expression is too long (${feel.length} characters, limit ${MAX_EXPRESSION_LENGTH})`, shown);
  }
  let raw: { value: unknown; warnings: Array<{ type: string; message: string }> };
  const clock = options.clock && /\b(now|today)\b/.test(feel) ? options.clock : undefined;
  // The worker does not know the functions registered in this process: such expressions run here.
  if (mayIterate(feel) && !usesRegisteredFunction(feel)) {
    const r = evaluateBounded(feel, context, clock && clockTexts(clock()));
    if (!r.ok) {
      if (r.timedOut) throw new FeelError('LIMIT', `Expression '${shown}': ${r.message}`, shown);
      if (r.name === 'SyntaxError') throw new FeelError('SYNTAX', `Failed to parse expression '${shown}': ${r.message}`, shown);
      throw new FeelError('FUNCTION', `Failed to evaluate expression '${shown}': ${r.message}`, shown);
    }
    return { value: toBoundedJson(r.value, shown), warnings: r.warnings };
  }
  const evalContext = buildContext(feel, context, clock ? clockFunctions(clock) : {});
  try {
    raw = feelEvaluate(feel, evalContext, FEEL_DIALECT);
  } catch (err) {
    if (err instanceof FeelError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof FeelSyntaxError) throw new FeelError('SYNTAX', `Failed to parse expression '${shown}': ${message}`, shown);
    throw new FeelError('FUNCTION', `Failed to evaluate expression '${shown}': ${message}`, shown);
  }
  const warnings = raw.warnings.map((w) => ({ type: w.type, message: w.message }));
  return { value: toBoundedJson(raw.value, shown), warnings };
}

function usesRegisteredFunction(feel: string): boolean {
  return Object.keys(functionContext()).some((name) => feel.includes(name));
}

// feelin looks function names up in the same context as variables, and context entries win over
// built-ins, so a variable named e.g. `date` or `count` would hide `date(...)` / `count(...)`.
// FEEL (and Zeebe) keep functions and variables apart: drop a non-function variable from the
// context when the expression only calls that name and never reads it as a variable.
function buildContext(feel: string, variables: FeelContext, clock: FeelContext): FeelContext {
  const context: FeelContext = { ...clock, ...variables, ...functionContext() };
  const called = new Set<string>();
  const read = new Set<string>();
  try {
    const tree = parseExpression(feel, context, FEEL_DIALECT);
    tree.iterate({
      enter(node) {
        if (node.name !== 'VariableName') return;
        const name = feel.slice(node.from, node.to).replace(/\s+/g, ' ');
        const parent = node.node.parent;
        const isCallTarget = parent?.name === 'FunctionInvocation' && parent.firstChild?.from === node.from;
        (isCallTarget ? called : read).add(name);
      },
    });
  } catch {
    return context; // evaluation reports the syntax error
  }
  for (const name of called) {
    if (!read.has(name) && name in variables && typeof context[name] !== 'function') {
      delete context[name];
      if (name in clock) context[name] = clock[name];
    }
  }
  return context;
}

const TYPE_NAMES: Record<string, string> = {
  boolean: 'BOOLEAN',
  number: 'NUMBER',
  string: 'STRING',
};

/** Zeebe's names for result types, used in failure messages. */
export function resultType(value: JsonValue): string {
  if (value === null) return 'NULL';
  if (Array.isArray(value)) return 'ARRAY';
  return TYPE_NAMES[typeof value] ?? 'OBJECT';
}

function typeError(expected: string, feel: string, value: JsonValue, warnings: FeelWarning[]): FeelError {
  return new FeelError(
    'TYPE',
    `Expected result of the expression '${feel}' to be '${expected}', but was '${resultType(value)}'.${describeWarnings(warnings)}`,
    feel,
    warnings,
  );
}

export interface TypedOptions {
  /** Accept null (e.g. an unset assignee) instead of failing. */
  nullable?: boolean;
}

/** A condition: must evaluate to true or false. Static "true"/"false" are accepted. */
export function evaluateBoolean(expression: string, context: FeelContext = {}): boolean {
  if (!isExpression(expression)) {
    const s = expression.trim();
    if (s === 'true' || s === 'false') return s === 'true';
    throw typeError('BOOLEAN', expression, expression, []);
  }
  const feel = stripExpressionMarker(expression).trim();
  const { value, warnings } = evaluateFeel(feel, context);
  if (typeof value !== 'boolean') throw typeError('BOOLEAN', feel, value, warnings);
  return value;
}

export function evaluateString(expression: string, context?: FeelContext): string;
export function evaluateString(expression: string, context: FeelContext, options: { nullable: true }): string | null;
export function evaluateString(expression: string, context: FeelContext = {}, options: TypedOptions = {}): string | null {
  if (!isExpression(expression)) return expression;
  const feel = stripExpressionMarker(expression).trim();
  const { value, warnings } = evaluateFeel(feel, context);
  if (value === null && options.nullable) return null;
  if (typeof value !== 'string') throw typeError('STRING', feel, value, warnings);
  return value;
}

/** A number; a static value must be a numeric literal (e.g. job retries "3"). */
export function evaluateNumber(expression: string, context?: FeelContext): number;
export function evaluateNumber(expression: string, context: FeelContext, options: { nullable: true }): number | null;
export function evaluateNumber(expression: string, context: FeelContext = {}, options: TypedOptions = {}): number | null {
  if (!isExpression(expression)) {
    const s = expression.trim();
    const n = Number(s);
    if (s.length > 0 && Number.isFinite(n)) return n;
    throw typeError('NUMBER', expression, expression, []);
  }
  const feel = stripExpressionMarker(expression).trim();
  const { value, warnings } = evaluateFeel(feel, context);
  if (value === null && options.nullable) return null;
  if (typeof value !== 'number') throw typeError('NUMBER', feel, value, warnings);
  return value;
}

/**
 * A list. A static value is a comma-separated list ("sales, support"), as Zeebe reads static
 * candidate groups/users; a FEEL expression must evaluate to a list.
 */
export function evaluateList(expression: string, context?: FeelContext): JsonValue[];
export function evaluateList(expression: string, context: FeelContext, options: { nullable: true }): JsonValue[] | null;
export function evaluateList(expression: string, context: FeelContext = {}, options: TypedOptions = {}): JsonValue[] | null {
  if (!isExpression(expression)) {
    return expression.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  }
  const feel = stripExpressionMarker(expression).trim();
  const { value, warnings } = evaluateFeel(feel, context);
  if (value === null && options.nullable) return null;
  if (!Array.isArray(value)) throw typeError('ARRAY', feel, value, warnings);
  return value;
}

/** A list of strings (candidate groups/users): every item must be a string. */
export function evaluateStringList(expression: string, context: FeelContext = {}): string[] {
  const list = evaluateList(expression, context);
  if (!list.every((item): item is string => typeof item === 'string')) {
    const feel = stripExpressionMarker(expression).trim();
    throw new FeelError('TYPE', `Expected result of the expression '${feel}' to be a list of strings, but was '${JSON.stringify(list).slice(0, 200)}'`, feel);
  }
  return list;
}
