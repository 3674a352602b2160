// form-js schema → JSON Schema (draft 2020-12) for one task.
//
// compileForm(schema, variables) describes the form as it opens for a task with these variables;
// with `options.data` (a submission) it describes the form as it stands once those values are
// entered, because conditions, readonly and FEEL bounds may look at the form's own fields. The
// variable-independent part (checked schema, component tree, compiled patterns) is prepared once
// per form version (prepare.ts); the rest is evaluated per call (evaluate.ts, resolve.ts).
import { cleanOptions, evaluateForm, type Instance } from './evaluate.ts';
import { effectiveData, heldData, initialData, type Data } from './initialize.ts';
import { buildJsonSchema } from './json-schema.ts';
import { cloneJson, formatPath, getPath, hasPath, isPlainObject, setPath } from './paths.ts';
import { prepareForm, type PreparedForm } from './prepare.ts';
import { resolveRules, type ResolvedRules } from './resolve.ts';
import type { FieldInfo, JsonObject } from './types.ts';

export interface CompileOptions {
  /** Identifies the form version for the cache, e.g. `${formId}@${version}` (else a content hash). */
  cacheKey?: string;
  /** A submission laid over the task's data before conditions and FEEL are evaluated. */
  data?: Record<string, unknown>;
  /** 'refuse' (default): the schema forbids keys the form does not define. */
  extraKeys?: 'refuse' | 'allow';
  /** The current time (for disallowPassedDates); defaults to now. */
  now?: Date;
}

export interface CompiledForm {
  jsonSchema: JsonObject;
  fields: FieldInfo[];
}

/** Everything worked out for one form, one task and (optionally) one submission. */
export interface Evaluation {
  form: PreparedForm;
  /** The data the form opened with (variables, field values initialised as form-js does). */
  initial: Data;
  /** The submission over the initial data (as submitted, not cleaned up), expression fields computed. */
  data: Data;
  instances: Instance[];
  rules: Map<Instance, ResolvedRules>;
  jsonSchema: JsonObject;
  fields: FieldInfo[];
}

export function compileForm(schema: unknown, variables: Record<string, unknown> = {}, options: CompileOptions = {}): CompiledForm {
  const form = prepareForm(schema, { cacheKey: options.cacheKey });
  const { jsonSchema, fields } = evaluate(form, variables, options.data, options);
  return { jsonSchema, fields };
}

export function evaluate(form: PreparedForm, variables: unknown, submission: Data | undefined, options: CompileOptions = {}): Evaluation {
  const initial = initialData(form, isPlainObject(variables) ? variables : {});
  const entered = submission ? effectiveData(form, initial, submission) : initial;
  // Conditions, readonly and FEEL see the values as form-js would hold them (a number typed into a
  // text field is text there); the submitted values themselves are what gets validated.
  const held = submission ? heldData(form, entered) : initial;
  const { instances, data: computed } = evaluateForm(form, initial, held);
  const data = cloneJson(entered) as Data;
  for (const instance of instances) {
    if (instance.hidden || instance.virtual) continue;
    const { node, segments } = instance;
    if (node.type === 'expression') setPath(data, segments, getPath(computed, segments));
    // An option field the submission leaves out holds what form-js shows: the task's value without
    // the entries that are not among the options (its rendered fields drop them).
    const inherited = !instance.readonly && !instance.disabled && !hasPath(submission, segments);
    if (node.options && inherited) setPath(data, segments, cleanOptions(instance, initial, getPath(data, segments)));
    // A file picker shows only files picked in this browser session: form-js empties it otherwise.
    if (node.type === 'filepicker' && inherited && getPath(data, segments)) setPath(data, segments, null);
  }
  const rules = new Map<Instance, ResolvedRules>();
  for (const instance of instances) {
    if (instance.node.kind === 'input' && !instance.hidden) rules.set(instance, resolveRules(instance, initial));
  }
  const jsonSchema = buildJsonSchema(instances, rules, initial, { extraKeys: options.extraKeys ?? 'refuse', now: options.now ?? new Date() });
  const fields = instances.filter((i) => !i.virtual && (i.node.kind === 'input' || i.node.local.length > 0)).map((i) => fieldInfo(i, rules.get(i)));
  return { form, initial, data, instances, rules, jsonSchema, fields };
}

function fieldInfo(instance: Instance, rules: ResolvedRules | undefined): FieldInfo {
  return {
    path: formatPath(instance.segments),
    segments: instance.segments,
    id: instance.node.id,
    type: instance.node.type,
    label: instance.label,
    hidden: instance.hidden,
    readonly: instance.readonly,
    disabled: instance.disabled,
    required: rules?.required ?? false,
  };
}
