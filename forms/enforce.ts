// Forms are enforced on the server: whatever completes a user task (Camunda's REST completion,
// Gridflow's own endpoints) goes through a runtime wrapped here, so a submission that breaks the
// task's form never reaches the engine. On the Camunda-compatible path, variables the form does
// not define pass through as Camunda lets them; the form's own fields are always validated.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { RuntimeError, type DeployResource, type Runtime, type Variables } from '../engine/runtime.ts';
import { validateSubmission } from './validate.ts';
import { checkFormSchema } from './schema-check.ts';
import type { FieldError } from './types.ts';

export class FormValidationError extends RuntimeError {
  constructor(readonly errors: { en: FieldError[]; zh: FieldError[] }) {
    super(422, 'FORM_VALIDATION', `The submission breaks the task's form: ${errors.en.map((e) => `${e.path || '(form)'}: ${e.message}`).join('; ')}`, { errors: errors.en, localized: errors });
  }
}

/**
 * Gridflow's own endpoints refuse keys a task's form does not define; Camunda's path lets them
 * through (as Camunda does). An endpoint opts in for the requests it serves.
 */
const strict = new AsyncLocalStorage<boolean>();
export const withStrictForms = <T>(fn: () => T): T => strict.run(true, fn);

export function enforceForms(runtime: Runtime, opts: { extraKeys?: 'allow' | 'refuse' } = {}): Runtime {
  const completeUserTask = async (key: string, variables: Variables = {}, by?: string | null) => {
    const form = await runtime.getUserTaskForm(key);
    if (!form) return runtime.completeUserTask(key, variables, by);
    const schema = JSON.parse(form.schema);
    const taskVariables = await runtime.getUserTaskVariables(key);
    const options = { extraKeys: strict.getStore() ? 'refuse' : opts.extraKeys ?? 'allow', cacheKey: schemaKey(form.schema) } as const;
    const result = validateSubmission(schema, variables, taskVariables, { ...options, locale: 'en' });
    if (!result.ok) {
      const zh = validateSubmission(schema, variables, taskVariables, { ...options, locale: 'zh' });
      throw new FormValidationError({ en: result.errors, zh: zh.ok ? result.errors : zh.errors });
    }
    // The form's fields as validated (hidden ones dropped), beside the variables it does not define.
    const own = new Set(Object.keys(result.data));
    const extra = Object.fromEntries(Object.entries(variables).filter(([k]) => !own.has(k) && !isFormKey(schema, k)));
    return runtime.completeUserTask(key, { ...extra, ...result.data }, by);
  };
  // A deployed form must be one the validator understands: every problem named by component and property.
  const deploy = async (resources: DeployResource[], tenantId?: string) => {
    const problems: string[] = [];
    for (const r of resources) {
      if (!/\.form$/i.test(r.name)) continue;
      let schema: unknown;
      try {
        schema = JSON.parse(typeof r.content === 'string' ? r.content : r.content.toString('utf8'));
      } catch {
        continue; // the runtime reports JSON that does not parse
      }
      for (const p of checkFormSchema(schema)) problems.push(`${r.name}: component '${p.componentId}', property '${p.property}': ${p.message}`);
    }
    if (problems.length) throw new RuntimeError(400, 'INVALID_ARGUMENT', `Deployment rejected: ${problems.join('; ')}`, { problems });
    return runtime.deploy(resources, tenantId);
  };
  return new Proxy(runtime, {
    get(target, prop, receiver) {
      if (prop === 'completeUserTask') return completeUserTask;
      if (prop === 'deploy') return deploy;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Whether a top-level variable name belongs to one of the form's fields (hidden or not). */
function isFormKey(schema: any, name: string): boolean {
  const walk = (components: any[]): boolean => components?.some((c) => {
    const key = typeof c?.key === 'string' ? c.key : typeof c?.path === 'string' ? c.path : null;
    if (key && key.split('.')[0] === name) return true;
    return Array.isArray(c?.components) && walk(c.components);
  }) ?? false;
  return walk(schema?.components ?? []);
}

// Prepared forms are cached by content: form keys and versions are only unique within one
// database (several runtimes in one process would share a cache keyed by them).
const schemaKey = (text: string) => `form:${createHash('sha256').update(text).digest('base64url')}`;
