// Runtime objects → 8.8 response bodies.
//
// The seam uses `null` for "no value"; Camunda's 8.8 spec declares those response fields optional
// but not nullable, and its client (with response validation on) rejects nulls. So top-level null
// fields are omitted. Only the top level: nulls inside `variables` or `customHeaders` are data.

import type { Page, UserTask, Variable } from '../runtime.ts';

export function omitNulls<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v !== null && v !== undefined) out[k] = v;
  }
  return out as T;
}

export function page<T extends object>(p: Page<T>, item: (t: T) => object = omitNulls): { items: object[]; page: { totalItems: number } } {
  return { items: p.items.map(item), page: { totalItems: p.page.totalItems } };
}

/**
 * 8.8 marks processDefinitionName (process instances) and elementName (element instances) as
 * required strings; an unnamed element falls back to its id, as Operate displays it.
 */
export function processInstance<T extends { processDefinitionName: string | null; processDefinitionId: string }>(pi: T): T {
  return omitNulls({ ...pi, processDefinitionName: pi.processDefinitionName ?? pi.processDefinitionId });
}

export function elementInstance<T extends { elementName: string | null; elementId: string }>(ei: T): T {
  return omitNulls({ ...ei, elementName: ei.elementName ?? ei.elementId });
}

/** `formLink` is Gridflow-internal (the forms module resolves it; clients use GET .../form). */
export function userTask(task: UserTask): object {
  const { formLink: _formLink, ...rest } = task;
  return omitNulls(rest);
}

/** Search results carry `value` (possibly truncated) and `isTruncated`; `fullValue` only when asked. */
export function variable(v: Variable, truncate: boolean): object {
  const { fullValue, ...rest } = v;
  if (!truncate && v.isTruncated && fullValue !== undefined) return omitNulls({ ...rest, value: fullValue, isTruncated: false });
  return omitNulls(rest);
}
