// The forms deployed through this platform, by key. Camunda's REST API serves a user task's form
// but has no form by key nor a list of forms; Gridflow's form designer and /api/forms need both.
import { notFound, type Deployment, type FormFilter, type FormResult, type FormVersion } from '../runtime.ts';
import type { ZeebeStore } from './store.ts';

export class DeployedForms {
  constructor(private readonly store: ZeebeStore) {}

  /** Keep the forms of a deployment the cluster accepted, with the schema text that was sent. */
  async record(deployment: Deployment, schemaOf: (resourceName: string) => string | undefined) {
    for (const item of deployment.deployments) {
      if (!('form' in item)) continue;
      const f = item.form;
      const schema = schemaOf(f.resourceName) ?? '{}';
      let versionTag: string | null = null;
      try { versionTag = JSON.parse(schema).versionTag ?? null; } catch { /* the cluster accepted it; keep it as text */ }
      await this.store.forms.updateOne({ _id: f.formKey }, { $set: { formId: f.formId, version: f.version, tenantId: f.tenantId, schema, versionTag, resourceName: f.resourceName, deploymentKey: deployment.deploymentKey } }, { upsert: true });
    }
  }

  async get(formKey: string): Promise<FormResult> {
    const f = await this.store.forms.findById(formKey).lean<any>();
    if (!f) throw notFound('Form', formKey);
    return { formKey: f._id, formId: f.formId, version: f.version, tenantId: f.tenantId, schema: f.schema };
  }

  async search(filter: FormFilter): Promise<FormVersion[]> {
    const query: Record<string, string> = {};
    if (filter.formId) query.formId = filter.formId;
    if (filter.tenantId) query.tenantId = filter.tenantId;
    const docs = await this.store.forms.find(query).lean<any[]>();
    docs.sort((a, b) => (a.formId === b.formId ? b.version - a.version : a.formId < b.formId ? -1 : 1));
    return docs.map((f) => ({ formKey: f._id, formId: f.formId, version: f.version, tenantId: f.tenantId, schema: f.schema, versionTag: f.versionTag ?? null, resourceName: f.resourceName, deploymentKey: f.deploymentKey }));
  }
}
