// Deployed forms (.form resources, form-js schemas identified by their `id`): versioned like
// process definitions, immutable, resolved for user tasks by Camunda's binding types.
import { createHash } from 'node:crypto';
import { invalid, notFound, type FormResult } from '../runtime.ts';
import { checkFormSchema } from '../../forms/index.ts';
import type { KeyAllocator } from './keys.ts';
import type { Store } from './store.ts';

export interface DeployedForm { formKey: string; formId: string; version: number; versionTag: string | null; resourceName: string; tenantId: string; deploymentKey: string; isNew: boolean }
export interface FormBinding { formId: string; bindingType: string; versionTag?: string | null }

const LATEST_TTL_MS = 1_000;

/**
 * Forms embedded in a diagram (zeebe:userTaskForm) are held to the rules of deployed .form
 * resources (a catastrophic pattern above all): each problem names the task, the component and
 * the property. A body that is not JSON is left to the task's own form endpoint, as before.
 */
export function embeddedFormProblems(model: any): Array<{ elementId: string; message: string; code: string; params: Record<string, string> }> {
  const problems: Array<{ elementId: string; message: string; code: string; params: Record<string, string> }> = [];
  const seen = new Set<string>();
  for (const el of Object.values<any>(model?.elements ?? {})) {
    const form = el.userTaskForm;
    if (!form || seen.has(form.id)) continue;
    seen.add(form.id);
    let schema: unknown;
    try {
      schema = JSON.parse(form.body);
    } catch {
      continue;
    }
    for (const p of checkFormSchema(schema)) {
      problems.push({
        elementId: el.id,
        message: `Embedded form '${form.id}' of '${el.id}': component '${p.componentId}', property '${p.property}': ${p.message}`,
        code: 'EMBEDDED_FORM_INVALID',
        // The form problem's own code and parameters ride along (`problem.<name>`), so a client can word it too.
        params: {
          form: form.id, component: p.componentId, property: p.property, problem: p.message, ...(p.code && { problemCode: p.code }),
          ...Object.fromEntries(Object.entries(p.params ?? {}).map(([k, v]) => [`problem.${k}`, String(v)])),
        },
      });
    }
  }
  return problems;
}

export class Forms {
  /** formId → latest key, kept fresh by deployments here and re-read after LATEST_TTL_MS. */
  private latestKeys = new Map<string, { key: string; until: number }>();
  private byTag = new Map<string, string>();

  constructor(private readonly store: Store, private readonly keys: KeyAllocator) {}

  /** Parse a .form resource: it must be a JSON object with a string `id`. */
  parse(name: string, content: string): { id: string; schema: Record<string, unknown>; versionTag: string | null } {
    let schema: any;
    try {
      schema = JSON.parse(content);
    } catch (err) {
      throw invalid(`Form resource '${name}' is not valid JSON: ${(err as Error).message}`);
    }
    if (!schema || typeof schema !== 'object' || Array.isArray(schema)) throw invalid(`Form resource '${name}' must be a JSON object (a form-js schema)`);
    if (typeof schema.id !== 'string' || !/^[A-Za-z_][\w.-]{0,254}$/.test(schema.id)) throw invalid(`Form resource '${name}': property 'id' must be a form id (letters, digits, '_', '-', '.')`);
    if (!Array.isArray(schema.components)) throw invalid(`Form resource '${name}': property 'components' must be a list`);
    return { id: schema.id, schema, versionTag: typeof schema.versionTag === 'string' ? schema.versionTag : null };
  }

  async deploy(name: string, parsed: { id: string; schema: Record<string, unknown>; versionTag: string | null }, deploymentKey: string, tenantId: string): Promise<DeployedForm> {
    const text = JSON.stringify(parsed.schema);
    const checksum = createHash('sha256').update(text).digest('hex');
    for (;;) {
      const latest = await this.latestDoc(parsed.id, tenantId);
      if (latest?.checksum === checksum) return { ...shape(latest), isNew: false };
      const formKey = await this.keys.key();
      const doc = { _id: formKey, formId: parsed.id, version: (latest?.version ?? 0) + 1, versionTag: parsed.versionTag, checksum, schema: text, resourceName: name, deploymentKey, tenantId, createdAt: new Date() };
      try {
        // The unique (formId, version) index lets one deployment win a version.
        await this.store.forms.create(doc);
      } catch (err: any) {
        if (err?.code === 11000) continue;
        throw err;
      }
      this.latestKeys.delete(`${tenantId}/${parsed.id}`);
      if (parsed.versionTag) this.byTag.set(`${tenantId}/${parsed.id}/${parsed.versionTag}`, formKey);
      return { ...shape(doc), isNew: true };
    }
  }

  private latestDoc(formId: string, tenantId: string) {
    return this.store.forms.findOne({ formId, tenantId }).sort({ version: -1 }).lean<any>();
  }

  /** The form key a user task gets when it is created (null: not resolvable now). */
  resolveNow(b: FormBinding, tenantId: string, deployed: Record<string, string>): string | null {
    if (b.bindingType === 'deployment') return deployed[b.formId] ?? null;
    if (b.bindingType === 'versionTag') return this.byTag.get(`${tenantId}/${b.formId}/${b.versionTag}`) ?? null;
    return this.latestKeys.get(`${tenantId}/${b.formId}`)?.key ?? null;
  }

  /** Warm the caches resolveNow reads, for the forms a definition links. */
  async prepare(bindings: FormBinding[], tenantId: string) {
    const now = Date.now();
    for (const b of bindings) {
      const id = `${tenantId}/${b.formId}`;
      if (b.bindingType === 'versionTag' && b.versionTag) {
        const tagKey = `${id}/${b.versionTag}`;
        if (!this.byTag.has(tagKey)) {
          const doc = await this.store.forms.findOne({ formId: b.formId, tenantId, versionTag: b.versionTag }).sort({ version: -1 }).lean<any>();
          if (doc) this.byTag.set(tagKey, doc._id);
        }
      } else if (b.bindingType !== 'deployment') {
        const hit = this.latestKeys.get(id);
        if (hit && hit.until > now) continue;
        const doc = await this.latestDoc(b.formId, tenantId);
        if (doc) this.latestKeys.set(id, { key: doc._id, until: now + LATEST_TTL_MS });
      }
    }
  }

  /** Can a link be resolved at deploy time, given the forms of this deployment? */
  async resolvable(b: FormBinding, tenantId: string, inDeployment: Map<string, { versionTag: string | null }>): Promise<boolean> {
    if (b.bindingType === 'deployment') return inDeployment.has(b.formId);
    if (b.bindingType === 'versionTag') {
      if (inDeployment.get(b.formId)?.versionTag === b.versionTag) return true;
      return !!(await this.store.forms.exists({ formId: b.formId, tenantId, versionTag: b.versionTag }));
    }
    return inDeployment.has(b.formId) || !!(await this.store.forms.exists({ formId: b.formId, tenantId }));
  }

  /** Deployed forms never change: each is read once. */
  private byKey = new Map<string, Promise<FormResult>>();
  get(formKey: string): Promise<FormResult> {
    let p = this.byKey.get(formKey);
    if (!p) {
      p = this.store.forms.findById(formKey).lean<any>().then((doc) => {
        if (!doc) throw notFound('Form', formKey);
        return { formKey: doc._id, formId: doc.formId, version: doc.version, tenantId: doc.tenantId, schema: doc.schema };
      });
      this.byKey.set(formKey, p);
      p.catch(() => this.byKey.delete(formKey));
    }
    return p;
  }

  async search(filter: { formId?: string; tenantId?: string }) {
    const docs = await this.store.forms.find({ ...(filter.formId && { formId: filter.formId }), ...(filter.tenantId && { tenantId: filter.tenantId }) }).lean<any[]>();
    return docs.sort((a, b) => (a.formId === b.formId ? b.version - a.version : a.formId < b.formId ? -1 : 1)).map((d) => ({ ...shape(d), schema: d.schema }));
  }
}

function shape(d: any) {
  return { formKey: d._id, formId: d.formId, version: d.version, versionTag: d.versionTag ?? null, resourceName: d.resourceName, tenantId: d.tenantId, deploymentKey: d.deploymentKey };
}
