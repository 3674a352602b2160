// Server-side validation of a form submission, as Gridflow enforces it when a user task is
// completed with a form. See forms/README.md for the rules and where they differ from form-js.
//
//   1. The submission must be a JSON object (NOT_AN_OBJECT), plain JSON (NOT_JSON), at most
//      MAX_SUBMISSION_BYTES and MAX_SUBMISSION_DEPTH (TOO_LARGE). These end validation at once.
//   2. It is laid over the form's initial data for the task: fields left out keep the value the
//      user would have seen. Conditions, readonly, options and FEEL bounds are evaluated.
//   3. The data are checked against the form's JSON Schema with ajv (every failure collected),
//      readonly and disabled fields against the task's current values (READONLY_CHANGED), keys the
//      form does not define are refused (UNKNOWN_FIELD) unless `extraKeys: 'allow'`.
//   4. On success `data` holds what form-js would submit: every visible field that is not disabled
//      (expression fields computed); hidden fields, disabled fields and unknown keys are left out.
import { evaluate, type Evaluation } from './compile.ts';
import type { Instance } from './evaluate.ts';
import { sameDateTime } from './datetime.ts';
import { guardSubmission } from './guard.ts';
import { validatorFor, type ErrorObject } from './keywords.ts';
import { MAX_SUBMISSION_BYTES, MAX_SUBMISSION_DEPTH } from './limits.ts';
import { message, type MessageParams } from './messages.ts';
import { cloneJson, defineOwn, formatPath, getPath, hasOwn, hasPath, isPlainObject, jsonEqual, setPath } from './paths.ts';
import { prepareForm } from './prepare.ts';
import type { ErrorCode, FieldError, JsonObject, Locale, PathSegment } from './types.ts';

export interface ValidateOptions {
  locale?: Locale;
  /** Keys the form does not define: 'refuse' (default, UNKNOWN_FIELD) or 'allow' (dropped). */
  extraKeys?: 'refuse' | 'allow';
  /** Identifies the form version for the cache, e.g. `${formId}@${version}`. */
  cacheKey?: string;
  /** The current time (for disallowPassedDates). */
  now?: Date;
}

export type ValidationResult = { ok: true; data: JsonObject } | { ok: false; errors: FieldError[] };

interface Problem {
  segments: PathSegment[];
  code: ErrorCode;
  params: MessageParams;
  instance?: Instance;
}

/**
 * Validate a submission of `form` (a form-js schema, or a prepared form) for a task whose current
 * variables are `taskVariables`. Throws FormSchemaError when the form itself is malformed; every
 * problem with the submission is reported in the result, never thrown.
 */
export function validateSubmission(form: unknown, submission: unknown, taskVariables: unknown = {}, options: ValidateOptions = {}): ValidationResult {
  const locale: Locale = options.locale === 'zh' ? 'zh' : 'en';
  const prepared = prepareForm(form, { cacheKey: options.cacheKey });
  if (!isPlainObject(submission)) return failure([{ segments: [], code: 'NOT_AN_OBJECT', params: {} }], locale, []);
  const guarded = guardSubmission(submission);
  if (guarded) {
    const params = { limit: MAX_SUBMISSION_BYTES, depth: MAX_SUBMISSION_DEPTH };
    return failure([{ segments: guarded.segments, code: guarded.code, params }], locale, []);
  }
  const entered = cloneJson(submission) as Record<string, unknown>;
  const ev = evaluate(prepared, taskVariables, entered, options);
  const problems = [...readonlyChanges(ev, entered), ...schemaProblems(ev, entered)];
  if (problems.length > 0) return failure(problems, locale, ev.instances);
  return { ok: true, data: submitted(ev) };
}

function failure(problems: Problem[], locale: Locale, instances: Instance[]): ValidationResult {
  const order = new Map(instances.map((instance, i) => [instance, i]));
  const seen = new Set<string>();
  const errors: { error: FieldError; rank: number }[] = [];
  for (const problem of problems) {
    const path = formatPath(problem.segments);
    if (seen.has(`${path}\u0000${problem.code}`)) continue;
    seen.add(`${path}\u0000${problem.code}`);
    const instance = problem.instance;
    const label = instance ? instance.label || instance.node.local.join('.') || instance.node.id : path;
    errors.push({
      error: { path, label, code: problem.code, message: message(problem.code, locale, problem.params) },
      // Failures of the form's fields in the form's order; keys it does not know after them.
      rank: instance ? (order.get(instance) ?? Number.MAX_SAFE_INTEGER) : Number.MAX_SAFE_INTEGER,
    });
  }
  errors.sort((a, b) => a.rank - b.rank);
  return { ok: false, errors: errors.map((e) => e.error) };
}

/** Readonly and disabled fields: a submitted value must be the task's current value. */
function readonlyChanges(ev: Evaluation, entered: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  for (const instance of ev.instances) {
    const { node } = instance;
    if (instance.virtual || instance.hidden || node.kind !== 'input' || node.type === 'expression') continue;
    if (!instance.readonly && !instance.disabled) continue;
    if (!hasPath(entered, instance.segments)) continue;
    const current = hasPath(ev.initial, instance.segments) ? getPath(ev.initial, instance.segments) : (node.defaultValue ?? node.emptyValue);
    const given = getPath(entered, instance.segments);
    if (!jsonEqual(given, current) && !(node.type === 'datetime' && sameDateTime(node.component.subtype, given, current))) {
      problems.push({ segments: instance.segments, code: 'READONLY_CHANGED', params: {}, instance });
    }
  }
  return problems;
}

/** Run the form's JSON Schema over the submission completed with the form's other values. */
function schemaProblems(ev: Evaluation, entered: Record<string, unknown>): Problem[] {
  const view = cloneJson(entered) as Record<string, unknown>;
  for (const instance of ev.instances) {
    if (instance.virtual) continue;
    const { node, segments } = instance;
    const value = getPath(ev.data, segments);
    if (node.kind === 'input' || instance.hidden) {
      if (node.kind === 'input' || node.local.length > 0) place(view, segments, cloneJson(value));
    } else if (node.repeating && Array.isArray(value) && getPath(view, segments) === undefined) {
      place(view, segments, value.map(() => ({})));
    }
  }
  const validate = validatorFor(ev.jsonSchema);
  if (validate(view)) return [];
  const byPath = new Map<string, Instance>();
  for (const instance of ev.instances) {
    if (!instance.virtual && (instance.node.kind === 'input' || instance.node.local.length > 0)) byPath.set(formatPath(instance.segments), instance);
  }
  return (validate.errors ?? []).map((error) => toProblem(error, view, byPath));
}

/** Put a value at a path of the view unless a submitted value of the wrong kind is in the way. */
function place(view: Record<string, unknown>, segments: PathSegment[], value: unknown): void {
  let current: unknown = view;
  for (let i = 0; i < segments.length - 1; i += 1) {
    const segment = segments[i]!;
    const wantArray = typeof segments[i + 1] === 'number';
    let next = Array.isArray(current) ? current[segment as number] : isPlainObject(current) && hasOwn(current, segment) ? current[segment as string] : undefined;
    if (next === undefined) {
      if (!Array.isArray(current) && !isPlainObject(current)) return;
      next = wantArray ? [] : {};
      defineOwn(current as Record<string, unknown>, segment, next);
    }
    if (wantArray ? !Array.isArray(next) : !isPlainObject(next)) return;
    current = next;
  }
  const last = segments[segments.length - 1]!;
  if (typeof last === 'number' ? Array.isArray(current) : isPlainObject(current)) defineOwn(current as Record<string, unknown>, last, value);
}

function pointerSegments(pointer: string, view: unknown): PathSegment[] {
  if (pointer === '') return [];
  const segments: PathSegment[] = [];
  let current = view;
  for (const token of pointer.slice(1).split('/')) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment: PathSegment = Array.isArray(current) ? Number(key) : key;
    segments.push(segment);
    current = getPath(current, [segment]);
  }
  return segments;
}

const KEYWORD_CODES: Record<string, ErrorCode> = {
  required: 'REQUIRED',
  gridflowRequired: 'REQUIRED',
  type: 'TYPE',
  gridflowNumeric: 'TYPE',
  additionalProperties: 'UNKNOWN_FIELD',
  enum: 'NOT_AN_OPTION',
  uniqueItems: 'DUPLICATE',
  minimum: 'MIN',
  gridflowMinimum: 'MIN',
  maximum: 'MAX',
  gridflowMaximum: 'MAX',
  gridflowMinLength: 'MIN_LENGTH',
  gridflowMaxLength: 'MAX_LENGTH',
  gridflowPattern: 'PATTERN',
  gridflowSingleLine: 'SINGLE_LINE',
  gridflowDecimalDigits: 'DECIMAL_DIGITS',
  gridflowIncrement: 'INCREMENT',
  gridflowDateTime: 'DATE_FORMAT',
  gridflowTimeInterval: 'TIME_INTERVAL',
  gridflowNotBefore: 'DATE_IN_PAST',
  gridflowDocuments: 'DOCUMENT',
  minItems: 'ITEM_COUNT',
  maxItems: 'ITEM_COUNT',
  items: 'ITEM_COUNT',
};

const VALIDATION_TYPE_CODES: Record<string, ErrorCode> = { email: 'EMAIL', phone: 'PHONE', uscc: 'USCC', cnMobile: 'CN_MOBILE' };

function toProblem(error: ErrorObject, view: unknown, byPath: Map<string, Instance>): Problem {
  let segments = pointerSegments(error.instancePath, view);
  const params: MessageParams = { ...error.params };
  if (error.keyword === 'required') segments = [...segments, String(error.params.missingProperty)];
  if (error.keyword === 'additionalProperties') segments = [...segments, String(error.params.additionalProperty)];
  // The field the failing value belongs to: the longest path prefix that is a field.
  let instance: Instance | undefined;
  for (let n = segments.length; n >= 0 && !instance; n -= 1) instance = byPath.get(formatPath(segments.slice(0, n)));
  if (instance?.node.kind === 'input') segments = instance.segments;
  let code = KEYWORD_CODES[error.keyword] ?? 'TYPE';
  if (error.keyword === 'gridflowValidationType') code = VALIDATION_TYPE_CODES[String(error.params.type)] ?? 'PATTERN';
  if (error.keyword === 'gridflowNumeric') params.type = 'number';
  if (error.keyword === 'maxItems' && instance?.node.type === 'filepicker') code = 'TOO_MANY_FILES';
  if (code === 'ITEM_COUNT') params.limit = error.params.limit;
  if (code === 'NOT_AN_OPTION' && instance?.node.kind !== 'input') code = 'TYPE';
  if (error.keyword === 'false schema') code = instance?.node.kind === 'input' ? 'NOT_AN_OPTION' : 'ITEM_COUNT';
  return { segments, code, params, instance };
}

/** What the form submits: visible, enabled fields (lists keep every item). */
function submitted(ev: Evaluation): JsonObject {
  const out: Record<string, unknown> = {};
  for (const instance of ev.instances) {
    if (instance.virtual || instance.hidden) continue;
    const { node, segments } = instance;
    const value = getPath(ev.data, segments);
    if (node.repeating && Array.isArray(value)) setPath(out, segments, value.map(() => ({})));
    else if (node.kind === 'input' && !instance.disabled) setPath(out, segments, cloneJson(value));
  }
  return out as JsonObject;
}
