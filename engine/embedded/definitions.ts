// Deployed process definitions: versioned, immutable, parsed once and cached. Redeploying
// identical content returns the existing version; running instances stay on theirs.
import { createHash } from 'node:crypto';
import { compile, type CompiledProcess } from './compile.ts';
import { validateDeployment } from '../model/index.ts';
import type { DeploymentProblem } from '../model/types.ts';
import { invalid, notFound, RuntimeError, type DeployResource, type Deployment, type DeploymentItem } from '../runtime.ts';
import type { KeyAllocator } from './keys.ts';
import type { Store } from './store.ts';

export interface Definition {
  key: string;
  processDefinitionId: string;
  version: number;
  versionTag: string | null;
  name: string | null;
  resourceName: string;
  deploymentKey: string;
  tenantId: string;
  model: any;
  /** The deployed BPMN: compiled where instances run (runs.ts), not here. */
  xml: string;
  /** formId → formKey of the forms deployed with it (binding type `deployment`). */
  forms: Record<string, string>;
}

/** A definition as a run uses it: compiled for bpmn-engine. */
export interface RunDefinition extends Definition { compiled: CompiledProcess }

export interface DeployedProcess { definition: Definition; isNew: boolean }

export interface DeployHooks {
  /** More problems with a process model (e.g. forms it links that cannot be resolved). */
  check?: (model: any) => Promise<DeploymentProblem[]>;
  /** Runs once validation passed, before processes are versioned: other resources' items. */
  beforeProcesses?: (deploymentKey: string) => Promise<DeploymentItem[]>;
  /** formId → formKey of the forms in this deployment (after beforeProcesses). */
  forms?: () => Record<string, string>;
}

const LATEST_TTL_MS = 1_000;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * The model is stored as JSON text: its keys are the diagram's own (element ids, task header keys
 * such as `io.camunda.template.id`, form ids), which may hold dots that document databases refuse
 * as field names. Definitions stored before as objects read as they are.
 */
export function storedModel(doc: { model?: unknown }): any {
  return typeof doc.model === 'string' ? JSON.parse(doc.model) : doc.model;
}

export class Definitions {
  private cache = new Map<string, Promise<Definition>>();
  constructor(private readonly store: Store, private readonly keys: KeyAllocator) {}

  byKey(key: string): Promise<Definition> {
    let p = this.cache.get(key);
    if (!p) {
      p = this.load(key);
      this.cache.set(key, p);
      p.catch(() => this.cache.delete(key));
    }
    return p;
  }

  private async load(key: string): Promise<Definition> {
    const doc = await this.store.definitions.findById(key).lean<any>();
    if (!doc) throw notFound('Process definition', key);
    return this.fromDoc(doc);
  }

  private async fromDoc(doc: any): Promise<Definition> {
    return {
      key: doc._id, processDefinitionId: doc.processDefinitionId, version: doc.version, versionTag: doc.versionTag ?? null,
      name: doc.name ?? null, resourceName: doc.resourceName, deploymentKey: doc.deploymentKey, tenantId: doc.tenantId,
      model: storedModel(doc), xml: doc.xml, forms: doc.forms ?? {},
    };
  }

  /**
   * The latest version, remembered briefly: a deployment here forgets it at once, one made by
   * another process sharing the database is seen within LATEST_TTL_MS. Callers that find it
   * stale at the same moment share one query (the query scans the collection).
   */
  async latest(processDefinitionId: string, tenantId?: string): Promise<Definition> {
    const id = `${tenantId ?? ''}/${processDefinitionId}`;
    const hit = this.latestKeys.get(id);
    if (hit && hit.until > Date.now()) return this.byKey(await hit.key);
    const key = this.store.definitions.findOne({ processDefinitionId, ...(tenantId && { tenantId }) }, { _id: 1 }).sort({ version: -1 }).lean<any>()
      .then((doc) => {
        if (!doc) throw notFound('Process definition', processDefinitionId);
        return doc._id as string;
      });
    const entry = { key, until: Date.now() + LATEST_TTL_MS };
    this.latestKeys.set(id, entry);
    key.catch(() => { if (this.latestKeys.get(id) === entry) this.latestKeys.delete(id); });
    return this.byKey(await key);
  }

  private latestKeys = new Map<string, { key: Promise<string>; until: number }>();

  async byVersion(processDefinitionId: string, version: number): Promise<Definition> {
    const doc = await this.store.definitions.findOne({ processDefinitionId, version }, { _id: 1 }).lean<any>();
    if (!doc) throw notFound('Process definition', `${processDefinitionId}:${version}`);
    return this.byKey(doc._id);
  }

  /** Deploy BPMN resources: every problem in every resource is reported at once, or nothing is deployed. */
  async deploy(resources: DeployResource[], tenantId: string, hooks: DeployHooks = {}): Promise<{ deployment: Deployment; processes: DeployedProcess[] }> {
    const bpmn = resources.filter((r) => /\.bpmn$/i.test(r.name) || /\.bpmn20\.xml$/i.test(r.name));
    const unknown = resources.filter((r) => !bpmn.includes(r) && !/\.form$/i.test(r.name));
    if (!resources.length) throw invalid('Expected at least one resource to deploy');
    if (unknown.length) throw invalid(`Cannot deploy '${unknown[0].name}': only .bpmn and .form resources can be deployed`);

    const known = new Set<string>(await this.store.definitions.distinct('processDefinitionId'));
    const parsed: Array<{ resource: DeployResource; xml: string; models: any[] }> = [];
    // Each with a code and its parameters beside the English message, for clients that word it themselves.
    const problems: Array<DeploymentProblem & { resource: string }> = [];
    const texts = bpmn.map((r) => ({ r, xml: typeof r.content === 'string' ? r.content : r.content.toString('utf8') }));
    const firstPass = await Promise.all(texts.map(({ xml }) => validateDeployment(xml, {})));
    for (const res of firstPass) for (const m of res.models) known.add(m.processDefinitionId);
    for (const { r, xml } of texts) {
      const res = await validateDeployment(xml, { knownProcessIds: known });
      for (const p of res.problems) problems.push({ resource: r.name, ...p });
      for (const m of res.models) for (const p of (await hooks.check?.(m)) ?? []) problems.push({ resource: r.name, ...p });
      parsed.push({ resource: r, xml, models: res.models });
    }
    if (problems.length) {
      const detail = problems.map((p) => `${p.resource}${p.elementId ? ` (element '${p.elementId}')` : ''}: ${p.message}`).join('; ');
      throw new RuntimeError(400, 'INVALID_ARGUMENT', `Deployment rejected: ${detail}`, { problems });
    }

    const deploymentKey = await this.keys.key();
    const items: DeploymentItem[] = [...((await hooks.beforeProcesses?.(deploymentKey)) ?? [])];
    const forms = hooks.forms?.() ?? {};
    const processes: DeployedProcess[] = [];
    for (const { resource, xml, models } of parsed) {
      for (const model of models) {
        const d = await this.version(model, xml, resource.name, deploymentKey, tenantId, forms);
        processes.push(d);
        const def = d.definition;
        items.push({ processDefinition: { processDefinitionId: def.processDefinitionId, processDefinitionVersion: def.version, resourceName: def.resourceName, tenantId: def.tenantId, processDefinitionKey: def.key } });
      }
    }
    return { deployment: { deploymentKey, tenantId, deployments: items }, processes };
  }

  private async version(model: any, xml: string, resourceName: string, deploymentKey: string, tenantId: string, forms: Record<string, string>): Promise<DeployedProcess> {
    const processDefinitionId = model.processDefinitionId;
    // The forms a `deployment` binding resolves to are part of what makes a version.
    const linked = Object.fromEntries(Object.values<any>(model.elements).filter((e) => e.formDefinition?.bindingType === 'deployment' && forms[e.formDefinition.formId]).map((e) => [e.formDefinition.formId, forms[e.formDefinition.formId]]));
    const checksum = sha(`${processDefinitionId}\n${xml}\n${JSON.stringify(linked)}`);
    for (;;) {
      const latest = await this.store.definitions.findOne({ processDefinitionId, tenantId }).sort({ version: -1 }).lean<any>();
      if (latest?.checksum === checksum) return { definition: await this.byKey(latest._id), isNew: false };
      const key = await this.keys.key();
      const doc = {
        _id: key, processDefinitionId, version: (latest?.version ?? 0) + 1, versionTag: model.versionTag ?? null, name: model.name ?? null,
        resourceName, checksum, deploymentKey, tenantId, xml, model: JSON.stringify(model), forms: linked, createdAt: new Date(),
        messageStartNames: Object.values<any>(model.elements).filter((e) => e.type === 'bpmn:StartEvent' && !e.parentId && e.messageName).map((e) => e.messageName),
      };
      // Fails here, not at the first start, if the engine cannot load it, nor copies of its elements (tokens.ts).
      const { holders } = await compile(xml, processDefinitionId);
      if (holders.size) await compile(xml, processDefinitionId, Object.fromEntries([...holders].map((id) => [id, 2])));
      try {
        await this.store.definitions.create(doc);
      } catch (err: any) {
        if (err?.code === 11000) continue; // another process deployed this version meanwhile
        throw err;
      }
      this.latestKeys.clear();
      return { definition: await this.byKey(key), isNew: true };
    }
  }
}
