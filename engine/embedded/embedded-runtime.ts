// The embedded runtime: Zeebe-dialect BPMN on bpmn-engine in this process, state in MongoDB.
import type { Connection } from 'mongoose';
import {
  RuntimeError, conflict, invalid, notFound,
  type ActivateJobs, type ActivatedJob, type CorrelatedMessage, type CreateProcessInstance, type CreatedProcessInstance,
  type DeployResource, type Deployment, type ElementInstance, type ElementInstanceFilter, type FailJob, type HistoryEntry,
  type Incident, type IncidentFilter, type JobHandler, type Page, type ProcessDefinition, type ProcessDefinitionFilter,
  type ProcessInstance, type ProcessInstanceFilter, type PublishMessage, type PublishedMessage, type Runtime, type SearchQuery,
  type ThrowJobError, type Topology, type FormResult, type UserTask, type UserTaskFilter, type UserTaskVariableFilter, type Variable, type VariableFilter, type Variables,
} from '../runtime.ts';
import { createStore, ensureIndexes, type Store } from './store.ts';
import { KeyAllocator } from './keys.ts';
import { Definitions, storedModel, type Definition } from './definitions.ts';
import { Instances, type Command } from './instances.ts';
import { Jobs, startWorker } from './jobs.ts';
import { TimerScheduler } from './timers.ts';
import { Messages } from './messages.ts';
import { search } from './search.ts';
import { searchFacts, withEnds } from './facts.ts';
import { matches, pageInMemory, toMongo } from '../shared/query.ts';
import { BatchInserter } from './batch.ts';
import { RunHost } from './run-host.ts';
import { formSlot } from './runs.ts';
import type { Clock } from './instance.ts';
import type { FollowUp } from './effects.ts';
import { nextStartTimer } from './timer-due.ts';
import { chain, visible } from './scopes.ts';
import { Forms, embeddedFormProblems, type FormBinding } from './forms.ts';
import type { DeploymentProblem } from '../model/types.ts';
import { headerObject } from './headers.ts';

const DEFAULT_TENANT = '<default>';
const VERSION = '8.8.0-gridflow';

export interface EmbeddedOptions {
  connection: Connection; clock?: Clock; timers?: boolean;
  /** run threads (default GRIDFLOW_RUN_THREADS, else 1) and the memory each may keep runs in (KiB, default GRIDFLOW_RUN_CACHE_MIB) */
  runThreads?: number; runCacheKib?: number;
}

export class EmbeddedRuntime implements Runtime {
  readonly kind = 'embedded' as const;
  readonly store: Store;
  readonly clock: Clock;
  private readonly keys: KeyAllocator;
  readonly definitions: Definitions;
  readonly instances: Instances;
  private readonly runs: RunHost;
  private readonly jobs: Jobs;
  private readonly messages: Messages;
  readonly forms: Forms;
  readonly timers: TimerScheduler;
  private workers: Array<() => void> = [];
  private pending = new Set<Promise<unknown>>();

  constructor(private readonly opts: EmbeddedOptions) {
    this.store = createStore(opts.connection);
    this.clock = opts.clock ?? { now: () => Date.now() };
    this.keys = new KeyAllocator(this.store);
    this.definitions = new Definitions(this.store, this.keys);
    this.runs = new RunHost(this.keys, opts.runThreads, opts.runCacheKib);
    this.instances = new Instances(this.store, new BatchInserter(), this.definitions, this.keys, this.clock, this.runs);
    this.jobs = new Jobs(this.store, this.clock, (pik) => this.instances.latest(pik));
    this.messages = new Messages(this.store, this.clock, this.keys, this.instances, this.definitions, (def, start, vars, tenantId) => this.startAt(def, start, vars, tenantId));
    this.timers = new TimerScheduler(this.store, this.clock, (t) => this.fireTimer(t));
    this.instances.onFollowUps = (pik, f) => this.track(this.followUp(pik, f));
    this.forms = new Forms(this.store, this.keys);
    this.instances.resolveForms = async (def, tenantId) => {
      const bindings = formBindings(def);
      await this.forms.prepare(bindings, tenantId);
      return Object.fromEntries(bindings.map((b) => [formSlot(b), this.forms.resolveNow(b, tenantId, def.forms ?? {})]));
    };
  }

  async start() {
    await ensureIndexes(this.store);
    await this.instances.recover();
    if (this.opts.timers !== false) this.timers.start();
  }

  async stop() {
    this.timers.stop();
    for (const stop of this.workers) stop();
    this.workers = [];
    await this.idle();
    await this.runs.stop();
  }

  /** Wait until follow-up work (child instances, buffered messages) has settled. */
  async idle() {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  private track(p: Promise<unknown>) {
    this.pending.add(p);
    p.catch((err) => console.error('gridflow: follow-up failed:', err?.message ?? err)).finally(() => this.pending.delete(p));
  }

  async topology(): Promise<Topology> {
    return {
      brokers: [{ nodeId: 0, host: 'localhost', port: 26501, version: VERSION, partitions: [{ partitionId: 1, role: 'leader', health: 'healthy' }] }],
      clusterSize: 1, partitionsCount: 1, replicationFactor: 1, gatewayVersion: VERSION, lastCompletedChangeId: '-1',
    };
  }

  // ---- deployments and definitions --------------------------------------------------------------

  async deploy(resources: DeployResource[], tenantId = DEFAULT_TENANT): Promise<Deployment> {
    const text = (r: DeployResource) => (typeof r.content === 'string' ? r.content : r.content.toString('utf8'));
    const forms = resources.filter((r) => /\.form$/i.test(r.name)).map((r) => ({ name: r.name, ...this.forms.parse(r.name, text(r)) }));
    const inDeployment = new Map(forms.map((f) => [f.id, { versionTag: f.versionTag }]));
    if (inDeployment.size !== forms.length) throw invalid('Two form resources in one deployment have the same form id');
    const deployedForms: Record<string, string> = {};
    const { deployment, processes } = await this.definitions.deploy(resources, tenantId, {
      // A user task whose linked form cannot be resolved is a deployment error naming the task.
      check: async (model) => {
        const problems: DeploymentProblem[] = embeddedFormProblems(model);
        for (const el of Object.values<any>(model.elements)) {
          const f = el.formDefinition;
          if (!f?.formId) continue;
          const binding = { formId: f.formId, bindingType: f.bindingType ?? 'latest', versionTag: f.versionTag };
          if (!(await this.forms.resolvable(binding, tenantId, inDeployment))) {
            problems.push({
              elementId: el.id,
              message: `User task '${el.id}' links form '${f.formId}' (binding ${binding.bindingType}${binding.versionTag ? ` '${binding.versionTag}'` : ''}), which cannot be resolved${binding.bindingType === 'deployment' ? ' in this deployment' : ''}`,
              code: 'FORM_UNRESOLVED',
              params: { formId: f.formId, binding: binding.bindingType, ...(binding.versionTag && { versionTag: binding.versionTag }) },
            });
          }
        }
        return problems;
      },
      beforeProcesses: async (deploymentKey) => {
        const items = [];
        for (const f of forms) {
          const d = await this.forms.deploy(f.name, f, deploymentKey, tenantId);
          deployedForms[d.formId] = d.formKey;
          items.push({ form: { formId: d.formId, version: d.version, resourceName: d.resourceName, tenantId: d.tenantId, formKey: d.formKey } });
        }
        return items;
      },
      forms: () => deployedForms,
    });
    for (const { definition, isNew } of processes) if (isNew) await this.scheduleStartTimers(definition);
    const handled = new Set(this.handledTypes);
    const warnings: string[] = [];
    for (const { definition } of processes) {
      for (const el of Object.values<any>(definition.model.elements)) {
        const type = el.taskDefinition?.type;
        if (type && !type.startsWith('=') && !handled.has(type)) warnings.push(`Element '${el.id}' of process '${definition.processDefinitionId}' uses job type '${type}', which no in-process handler serves; an external worker must.`);
      }
    }
    return warnings.length ? { ...deployment, warnings } : deployment;
  }

  private handledTypes: string[] = [];

  private async scheduleStartTimers(def: Definition) {
    await this.store.timers.deleteMany({ processDefinitionId: def.processDefinitionId, definitionKey: { $ne: null } });
    for (const el of Object.values<any>(def.model.elements)) {
      if (el.type !== 'bpmn:StartEvent' || el.parentId) continue;
      if (!el.timer) continue;
      const next = nextStartTimer(el.timer, this.clock.now(), null);
      if (next) await this.store.timers.updateOne({ _id: `start/${def.processDefinitionId}/${el.id}` }, { $set: { processDefinitionId: def.processDefinitionId, definitionKey: def.key, elementId: el.id, processInstanceKey: null, executionId: null, dueAt: next.dueAt, repetitionsLeft: next.repetitionsLeft, lease: 0 } }, { upsert: true });
    }
  }

  private async fireTimer(t: any) {
    if (t.definitionKey) {
      const def = await this.definitions.byKey(t.definitionKey);
      const timer = def.model.elements[t.elementId]?.timer;
      const next = timer ? nextStartTimer(timer, this.clock.now(), { dueAt: t.dueAt, repetitionsLeft: t.repetitionsLeft ?? null }) : null;
      if (next) await this.store.timers.updateOne({ _id: t._id, lease: t.lease }, { $set: { dueAt: next.dueAt, repetitionsLeft: next.repetitionsLeft, lease: 0 } });
      else await this.store.timers.deleteOne({ _id: t._id });
      await this.startAt(def, t.elementId, {}, def.tenantId, { fireStartTimer: true });
      return;
    }
    try {
      await this.instances.execute(t.processInstanceKey, { kind: 'timer', execId: t.executionId });
    } catch (err) {
      if (err instanceof RuntimeError && (err.status === 404 || err.status === 409)) await this.store.timers.deleteOne({ _id: t._id });
      else throw err;
    }
  }

  async searchProcessDefinitions(q: SearchQuery<ProcessDefinitionFilter>): Promise<Page<ProcessDefinition>> {
    const filter = { ...(q.filter ?? {}) } as Record<string, unknown>;
    const latestOnly = filter.isLatestVersion === true;
    delete filter.isLatestVersion;
    const fields = { processDefinitionId: 'processDefinitionId', processDefinitionKey: '_id', version: 'version', name: 'name', tenantId: 'tenantId', resourceName: 'resourceName', versionTag: 'versionTag' };
    if (!latestOnly) return search(this.store.definitions.find().select({ xml: 0 }).model, { ...q, filter }, fields, (d: any) => definitionShape(d), { defaultSort: { processDefinitionId: 1, version: -1 } });
    // Latest versions: the highest version per (tenant, id), then the rest of the filter.
    const all = await this.store.definitions.find({}, { xml: 0 }).lean<any[]>();
    const top = new Map<string, any>();
    for (const d of all) { const k = `${d.tenantId}/${d.processDefinitionId}`; if (!top.has(k) || top.get(k).version < d.version) top.set(k, d); }
    const keep = [...top.values()].filter(matches(toMongo(filter, fields)));
    keep.sort((a, b) => (a.processDefinitionId < b.processDefinitionId ? -1 : a.processDefinitionId > b.processDefinitionId ? 1 : 0));
    const from = q.page?.from ?? 0, limit = Math.min(q.page?.limit ?? 100, 10_000);
    return { items: keep.slice(from, from + limit).map(definitionShape), page: { totalItems: keep.length } };
  }

  async getProcessDefinition(key: string): Promise<ProcessDefinition> {
    const d = await this.store.definitions.findById(key, { xml: 0 }).lean<any>();
    if (!d) throw notFound('Process definition', key);
    return definitionShape(d);
  }

  async getProcessDefinitionXml(key: string): Promise<string> {
    const d = await this.store.definitions.findById(key, { xml: 1 }).lean<any>();
    if (!d) throw notFound('Process definition', key);
    return d.xml;
  }

  // ---- process instances --------------------------------------------------------------------------

  async createProcessInstance(req: CreateProcessInstance): Promise<CreatedProcessInstance> {
    let def: Definition;
    if (req.processDefinitionKey) def = await this.definitions.byKey(req.processDefinitionKey);
    else if (req.processDefinitionId) def = req.processDefinitionVersion && req.processDefinitionVersion > 0
      ? await this.definitions.byVersion(req.processDefinitionId, req.processDefinitionVersion)
      : await this.definitions.latest(req.processDefinitionId, req.tenantId);
    else throw invalid('Expected either processDefinitionKey or processDefinitionId');
    const hasNoneStart = Object.values<any>(def.model.elements).some((e) => e.type === 'bpmn:StartEvent' && !e.parentId && !e.eventDefinitions?.length);
    if (!hasNoneStart) throw invalid(`Process '${def.processDefinitionId}' has no none start event: it starts by its timer or message events only`);
    const variables = req.variables ?? {};
    const key = await this.startAt(def, undefined, variables, req.tenantId ?? def.tenantId);
    return { processDefinitionId: def.processDefinitionId, processDefinitionVersion: def.version, tenantId: def.tenantId, variables, processDefinitionKey: def.key, processInstanceKey: key };
  }

  private async startAt(def: Definition, startElementId: string | undefined, variables: Variables, tenantId: string, opts: { fireStartTimer?: boolean; key?: string; parent?: { pik: string; eik: string } } = {}) {
    const key = opts.key ?? await this.keys.key();
    await this.instances.create({ key, definitionKey: def.key, variables, startElementId, tenantId, parentProcessInstanceKey: opts.parent?.pik, parentElementInstanceKey: opts.parent?.eik });
    if (opts.fireStartTimer) {
      // The start event's own timer is what fired: complete it at once.
      const doc = await this.store.timers.findOne({ processInstanceKey: key, elementId: startElementId }).lean<any>();
      if (doc) await this.instances.execute(key, { kind: 'timer', execId: doc.executionId });
    }
    return key;
  }

  async cancelProcessInstance(key: string) {
    const doc = await this.store.instances.findById(key, { parentProcessInstanceKey: 1 }).lean<any>();
    if (!doc) throw notFound('Process instance', key);
    if (await this.store.instanceEnds.exists({ _id: key })) throw notFound('Process instance', key);
    if (doc.parentProcessInstanceKey) throw conflict(`Process instance '${key}' was created by a call activity; cancel its root instance '${doc.parentProcessInstanceKey}' instead`);
    await this.instances.execute(key, { kind: 'cancel' });
  }

  async getProcessInstance(key: string): Promise<ProcessInstance> {
    const d = await this.store.instances.findById(key).lean<any>();
    if (!d) throw notFound('Process instance', key);
    const [merged] = await this.withIncidentFlag(await withEnds([d], this.store.instanceEnds));
    return this.instanceShape(merged);
  }

  async searchProcessInstances(q: SearchQuery<ProcessInstanceFilter>): Promise<Page<ProcessInstance>> {
    const page = await searchFacts(this.store.instances, this.store.instanceEnds, q, {
      processDefinitionId: 'processDefinitionId', processDefinitionKey: 'definitionKey', processInstanceKey: '_id', parentProcessInstanceKey: 'parentProcessInstanceKey',
      parentElementInstanceKey: 'parentElementInstanceKey', state: 'state', tenantId: 'tenantId', hasIncident: 'hasIncident', processDefinitionVersion: 'version', startDate: 'startDate', endDate: 'endDate',
    }, ['state', 'endDate', 'hasIncident'], (d: any) => d, {
      dates: ['startDate', 'endDate'], defaultSort: [['startDate', 1], ['_id', 1]],
      derive: (docs) => this.withIncidentFlag(docs.map((d) => ({ state: 'ACTIVE', endDate: null, ...d }))),
    });
    return { items: await Promise.all(page.items.map((d) => this.instanceShape(d))), page: page.page };
  }

  /** Incidents without a resolution (their keys and where they were raised). */
  private async openIncidents() {
    const all = await this.store.incidents.find({}, { processInstanceKey: 1, elementInstanceKey: 1 }).lean<any[]>();
    return (await withEnds(all, this.store.incidentResolutions)).filter((i: any) => i.state !== 'RESOLVED');
  }

  /** hasIncident: the instance has an incident without resolution. */
  private async withIncidentFlag(docs: any[]) {
    const open = new Set((await this.openIncidents()).map((i: any) => i.processInstanceKey));
    return docs.map((d) => ({ ...d, hasIncident: open.has(d._id) }));
  }

  private async instanceShape(d: any): Promise<ProcessInstance> {
    const def = await this.definitions.byKey(d.definitionKey);
    return {
      processDefinitionId: d.processDefinitionId, processDefinitionName: def.name, processDefinitionVersion: d.version, processDefinitionVersionTag: def.versionTag,
      startDate: iso(d.startDate)!, endDate: iso(d.endDate), state: d.state ?? 'ACTIVE', hasIncident: !!d.hasIncident, tenantId: d.tenantId, processInstanceKey: d._id,
      processDefinitionKey: d.definitionKey, parentProcessInstanceKey: d.parentProcessInstanceKey ?? null, parentElementInstanceKey: d.parentElementInstanceKey ?? null,
    };
  }

  searchElementInstances(q: SearchQuery<ElementInstanceFilter>): Promise<Page<ElementInstance>> {
    return searchFacts(this.store.elementInstances, this.store.elementEnds, q, {
      processInstanceKey: 'processInstanceKey', elementId: 'elementId', state: 'state', type: 'type', elementInstanceKey: '_id', processDefinitionKey: 'processDefinitionKey',
      processDefinitionId: 'processDefinitionId', startDate: 'startDate', endDate: 'endDate', tenantId: 'tenantId', elementName: 'elementName',
      hasIncident: 'hasIncident', incidentKey: 'incidentKey',
    }, ['state', 'endDate', 'hasIncident', 'incidentKey'], (d: any) => ({
      processDefinitionId: d.processDefinitionId, startDate: iso(d.startDate)!, endDate: iso(d.endDate), elementId: d.elementId, elementName: d.elementName ?? null,
      type: d.type, state: d.state, hasIncident: !!d.incidentKey, tenantId: d.tenantId, elementInstanceKey: d._id, processInstanceKey: d.processInstanceKey,
      processDefinitionKey: d.processDefinitionKey, incidentKey: d.incidentKey ?? null,
    }), {
      dates: ['startDate', 'endDate'], defaultSort: [['startDate', 1], ['_id', 1]],
      // An element has an incident while one raised on it is unresolved.
      derive: async (docs) => {
        if (!docs.length) return docs;
        const open = new Map((await this.openIncidents()).map((i: any) => [i.elementInstanceKey, i._id]));
        return docs.map((d) => ({ ...d, incidentKey: open.get(d._id) ?? null, hasIncident: open.has(d._id) }));
      },
    });
  }

  // ---- user tasks -----------------------------------------------------------------------------------

  searchUserTasks(q: SearchQuery<UserTaskFilter>): Promise<Page<UserTask>> {
    return searchFacts(this.store.userTasks, this.store.userTaskEnds, q, {
      state: 'state', assignee: 'assignee', elementId: 'elementId', processInstanceKey: 'processInstanceKey', processDefinitionKey: 'processDefinitionKey',
      processDefinitionId: 'processDefinitionId', userTaskKey: '_id', tenantId: 'tenantId', candidateGroup: 'candidateGroups', candidateUser: 'candidateUsers',
      creationDate: 'creationDate', dueDate: 'dueDate', followUpDate: 'followUpDate', priority: 'priority', elementInstanceKey: 'elementInstanceKey', name: 'name',
      completionDate: 'completionDate',
    }, ['state', 'completionDate'], taskShape, { defaultSort: [['creationDate', 1], ['_id', 1]] });
  }

  async getUserTask(key: string): Promise<UserTask> {
    return taskShape(await this.task(key));
  }

  private async task(key: string) {
    // The task and its end (if any) asked for together, not one after the other.
    const [d, end] = await Promise.all([this.store.userTasks.findById(key).lean<any>(), this.store.userTaskEnds.findById(key).lean<any>()]);
    if (!d) throw notFound('User task', key);
    return end ? { ...d, ...end } : d;
  }

  async assignUserTask(key: string, assignee: string, opts: { allowOverride?: boolean } = {}) {
    const t = await this.openTask(key);
    if (t.assignee && t.assignee !== assignee && opts.allowOverride === false) throw conflict(`User task '${key}' is already assigned to '${t.assignee}'`);
    await this.store.userTasks.updateOne({ _id: key }, { $set: { assignee } });
  }

  async unassignUserTask(key: string) {
    await this.openTask(key);
    await this.store.userTasks.updateOne({ _id: key }, { $set: { assignee: null } });
  }

  async completeUserTask(key: string, variables: Variables = {}, by: string | null = null) {
    // Where the task waits is known for tasks created here; the instance itself decides whether it still does.
    const t = this.taskHome.get(key) ?? await this.openTask(key);
    await this.instances.execute(t.processInstanceKey, { kind: 'complete', execId: t.executionId, variables, by, userTaskKey: key }, (data) => {
      const w = data.waits[t.executionId];
      if (w?.kind !== 'userTask' || w.userTaskKey !== key) throw conflict(`User task '${key}' is already completed or canceled`);
    });
    this.taskHome.delete(key);
  }

  /** userTaskKey → where the task waits, for tasks created by this process (bounded). */
  private taskHome = new Map<string, { processInstanceKey: string; executionId: string; formKey: string | null; processDefinitionKey: string; elementId: string; tenantId: string }>();
  private rememberTask(doc: any, executionId: string) {
    const { processInstanceKey, formKey, processDefinitionKey, elementId, tenantId } = doc;
    this.taskHome.set(doc.userTaskKey, { processInstanceKey, executionId, formKey, processDefinitionKey, elementId, tenantId });
    if (this.taskHome.size > 50_000) this.taskHome.delete(this.taskHome.keys().next().value!);
  }

  async getUserTaskForm(key: string): Promise<FormResult | null> {
    const home = this.taskHome.get(key);
    const t = home ?? await this.task(key);
    if (!t.formKey) return null;
    const embedded = /^camunda-forms:bpmn:(.+)$/.exec(t.formKey);
    if (embedded) {
      const def = await this.definitions.byKey(t.processDefinitionKey);
      const el = def.model.elements[t.elementId];
      if (!el?.userTaskForm) return null;
      return { formKey: t.formKey, formId: el.userTaskForm.id, version: def.version, tenantId: t.tenantId, schema: el.userTaskForm.body };
    }
    return this.forms.get(t.formKey);
  }

  getForm(formKey: string): Promise<FormResult> { return this.forms.get(formKey); }
  searchForms(filter: import('../runtime.ts').FormFilter): Promise<import('../runtime.ts').FormVersion[]> { return this.forms.search(filter); }

  async getUserTaskVariables(key: string): Promise<Variables> {
    const t = this.taskHome.get(key) ?? await this.task(key);
    const latest = await this.instances.latest(t.processInstanceKey);
    if (!latest) throw notFound('User task', key);
    const el = latest.data.elements[t.executionId];
    return visible(latest.data.tree, el?.scope ?? t.processInstanceKey);
  }

  async searchUserTaskVariables(key: string, q: SearchQuery<UserTaskVariableFilter>): Promise<Page<Variable>> {
    const t = this.taskHome.get(key) ?? await this.task(key);
    const latest = await this.instances.latest(t.processInstanceKey);
    if (!latest) throw notFound('User task', key);
    const scopes = chain(latest.data.tree, latest.data.elements[t.executionId]?.scope ?? t.processInstanceKey);
    // An advanced filter on scopeKey, as the REST layer passes them on: the seam's filter types name plain values only.
    const filter: Record<string, unknown> = { ...q.filter, processInstanceKey: t.processInstanceKey, scopeKey: { $in: scopes } };
    return this.searchVariables({ ...q, filter: filter as VariableFilter });
  }

  private async openTask(key: string) {
    const t = await this.task(key);
    if (t.state !== 'CREATED') throw conflict(`User task '${key}' is ${String(t.state).toLowerCase()}, not open`);
    return t;
  }

  // ---- jobs ----------------------------------------------------------------------------------------------

  activateJobs(req: ActivateJobs, signal?: AbortSignal): Promise<ActivatedJob[]> {
    return this.jobs.activate(req, signal);
  }

  private async activeJob(key: string) {
    const j = await this.store.jobs.findById(key).lean<any>();
    if (!j || !['ACTIVATED', 'ACTIVATABLE'].includes(j.state)) throw notFound('Job', key);
    return j;
  }

  async completeJob(key: string, variables: Variables = {}) {
    const j = await this.activeJob(key);
    await this.instances.execute(j.processInstanceKey, { kind: 'complete', execId: j.executionId, variables, jobKey: key }, (data) => {
      const w = data.waits[j.executionId];
      if (w?.kind !== 'job' || w.jobKey !== key) throw notFound('Job', key);
    });
  }

  async failJob(key: string, req: FailJob) {
    const j = await this.activeJob(key);
    const now = this.clock.now();
    if (req.retries > 0) {
      const set = { state: 'ACTIVATABLE', retries: req.retries, notBefore: now + (req.retryBackOff ?? 0), deadline: 0, errorMessage: req.errorMessage ?? null };
      const res = await this.store.jobs.updateOne({ _id: key }, { $set: set });
      if (res.matchedCount !== 1) throw notFound('Job', key);
      this.jobs.known({ ...j, ...set });
      await this.instances.note(j.processInstanceKey, { event: 'JOB_FAILED', elementId: j.elementId, elementInstanceKey: j.elementInstanceKey, detail: `${req.errorMessage ?? ''} (retries left: ${req.retries})` });
      return;
    }
    const res = await this.store.jobs.updateOne({ _id: key }, { $set: { state: 'FAILED', retries: 0, deadline: 0, errorMessage: req.errorMessage ?? null } });
    if (res.matchedCount !== 1) throw notFound('Job', key);
    this.jobs.closed(key);
    await this.instances.recordIncident(j.processInstanceKey, {
      errorType: 'JOB_NO_RETRIES', errorMessage: req.errorMessage || 'No more retries left.', elementId: j.elementId,
      elementInstanceKey: j.elementInstanceKey, jobKey: key,
    });
  }

  async throwJobError(key: string, req: ThrowJobError) {
    const j = await this.activeJob(key);
    await this.instances.execute(j.processInstanceKey, { kind: 'error', execId: j.executionId, jobKey: key, errorCode: req.errorCode, errorMessage: req.errorMessage ?? '', variables: req.variables }, (data) => {
      const w = data.waits[j.executionId];
      if (w?.kind !== 'job' || w.jobKey !== key) throw notFound('Job', key);
    });
    const after = await this.store.jobs.findById(key, { state: 1 }).lean<any>();
    if (after && ['ACTIVATED', 'ACTIVATABLE'].includes(after.state)) {
      await this.store.jobs.updateOne({ _id: key }, { $set: { state: 'ERROR_THROWN', deadline: 0, errorMessage: req.errorMessage ?? null } });
      this.jobs.closed(key);
    }
  }

  registerJobHandler(type: string, handler: JobHandler, opts?: { timeout?: number; maxJobsActive?: number }) {
    this.handledTypes.push(type);
    const stop = startWorker(this, type, handler, opts);
    this.workers.push(stop);
    return () => { stop(); this.handledTypes.splice(this.handledTypes.indexOf(type), 1); };
  }

  // ---- messages ----------------------------------------------------------------------------------------

  publishMessage(req: PublishMessage): Promise<PublishedMessage> { return this.messages.publish(req); }
  correlateMessage(req: PublishMessage): Promise<CorrelatedMessage> { return this.messages.correlate(req); }

  // ---- variables, incidents, history ---------------------------------------------------------------

  /** Variables are read from each instance's latest committed revision: its scopes are the truth. */
  async searchVariables(q: SearchQuery<VariableFilter>): Promise<Page<Variable>> {
    const f = (q.filter ?? {}) as Record<string, any>;
    const direct = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const pik = direct(f.processInstanceKey);
    const piks = pik ? [pik] : (await this.store.instances.find({}, { _id: 1 }).lean<any[]>()).map((d) => d._id);
    const rows: any[] = [];
    for (const key of piks) {
      const latest = await this.instances.latest(key);
      if (!latest) continue;
      for (const [scopeKey, vars] of Object.entries(latest.data.tree.vars ?? {})) {
        for (const [name, value] of Object.entries(vars as Record<string, unknown>)) {
          const text = JSON.stringify(value ?? null);
          const variableKey = latest.data.varKeys?.[`${scopeKey}/${name}`] ?? `${scopeKey}`;
          rows.push({ _id: variableKey, name, value: text, scopeKey, processInstanceKey: key, tenantId: latest.meta.tenantId });
        }
      }
    }
    const fields = { name: 'name', scopeKey: 'scopeKey', processInstanceKey: 'processInstanceKey', tenantId: 'tenantId', variableKey: '_id', value: 'value' };
    const byKey = (a: any, b: any) => (BigInt(a._id) < BigInt(b._id) ? -1 : BigInt(a._id) > BigInt(b._id) ? 1 : 0);
    return pageInMemory(rows.filter(matches(toMongo(f, fields))), q, fields, (d) => ({
      name: d.name, value: d.value.length > 8192 ? d.value.slice(0, 8192) : d.value, fullValue: d.value, tenantId: d.tenantId,
      isTruncated: d.value.length > 8192, variableKey: d._id, scopeKey: d.scopeKey, processInstanceKey: d.processInstanceKey,
    }), { defaultSort: [], tieBreak: byKey });
  }

  searchIncidents(q: SearchQuery<IncidentFilter>): Promise<Page<Incident>> {
    return searchFacts(this.store.incidents, this.store.incidentResolutions, q, {
      processInstanceKey: 'processInstanceKey', state: 'state', errorType: 'errorType', elementId: 'elementId', jobKey: 'jobKey',
      processDefinitionKey: 'processDefinitionKey', incidentKey: '_id', processDefinitionId: 'processDefinitionId', creationTime: 'creationTime', tenantId: 'tenantId',
    }, ['state'], (d: any) => { const { _id, command, ...doc } = d; void _id; void command; return doc; }, { defaultSort: [['creationTime', 1], ['_id', 1]] });
  }

  async resolveIncident(key: string) {
    const { pik, command, incident } = await this.instances.resolveIncident(key);
    await this.instances.note(pik, { event: 'INCIDENT_RESOLVED', elementId: incident.elementId, elementInstanceKey: incident.elementInstanceKey, detail: key });
    if (incident.jobKey) {
      // A job without retries gets one more; the job becomes activatable again.
      const j = await this.store.jobs.findById(incident.jobKey).lean<any>();
      if (j?.state === 'FAILED') {
        const set = { state: 'ACTIVATABLE', retries: 1, notBefore: 0 };
        await this.store.jobs.updateOne({ _id: incident.jobKey }, { $set: set });
        this.jobs.known({ ...j, ...set });
      }
    }
    if (!command) return;
    if (command.kind === 'start') {
      const doc = (await this.instances.latest(pik))!;
      const m = doc.meta;
      await this.instances.create({ key: pik, definitionKey: m.definitionKey, variables: command.variables, startElementId: command.startElementId, tenantId: m.tenantId, parentProcessInstanceKey: m.parentProcessInstanceKey, parentElementInstanceKey: m.parentElementInstanceKey, afterRev: doc.rev });
      return;
    }
    await this.instances.execute(pik, command as Command);
  }

  async history(processInstanceKey: string): Promise<HistoryEntry[]> {
    const latest = await this.instances.latest(processInstanceKey);
    if (!latest) throw notFound('Process instance', processInstanceKey);
    // Entries are read by id (`${instance}/${seq}`): a lookup by id never scans the collection.
    const ids = Array.from({ length: latest.data.seq }, (_, i) => `${processInstanceKey}/${i + 1}`);
    const docs = await Promise.all(ids.map((id) => this.store.history.findById(id).lean<any>()));
    return docs.filter(Boolean).map((d) => d.entry);
  }

  // ---- follow-ups: work an instance's outbox starts elsewhere -------------------------------------------

  private async followUp(pik: string, followUps: FollowUp[]) {
    for (const f of followUps) {
      switch (f.t) {
        case 'job': this.jobs.known(f.doc); break;
        case 'closeJob': this.jobs.closed(f.jobKey); break;
        case 'userTask': this.rememberTask(f.doc, f.executionId); break;
        case 'subscribe': await this.messages.subscribed(f.doc); break;
        case 'startChild': {
          const def = await this.definitions.latest(f.processDefinitionId).catch(() => null);
          if (!def) {
            await this.instances.recordIncident(pik, { errorType: 'CALLED_ELEMENT_ERROR', errorMessage: `Expected process with BPMN process id '${f.processDefinitionId}' to be deployed, but not found.`, elementId: null, elementInstanceKey: f.parentElementInstanceKey, jobKey: null });
            break;
          }
          await this.startAt(def, undefined, f.variables, f.tenantId, { key: f.childKey, parent: { pik: f.parentProcessInstanceKey, eik: f.parentElementInstanceKey } });
          break;
        }
        case 'cancelChild': {
          const child = await this.instances.latest(f.childKey);
          if (child?.state === 'ACTIVE') await this.instances.execute(f.childKey, { kind: 'cancel' });
          break;
        }
        case 'childDone': {
          const parent = await this.instances.latest(f.parentProcessInstanceKey);
          if (parent?.state !== 'ACTIVE') break;
          const execId = Object.keys(parent.data.waits).find((e) => parent.data.waits[e].kind === 'call' && parent.data.waits[e].childKey === pik);
          if (!execId) break;
          await this.instances.execute(f.parentProcessInstanceKey, { kind: 'child', execId, childKey: pik, variables: f.variables });
          break;
        }
      }
    }
  }
}


function formBindings(def: Definition): FormBinding[] {
  const cached = bindingsOf.get(def);
  if (cached) return cached;
  const list = Object.values<any>(def.model.elements).filter((e) => e.formDefinition?.formId)
    .map((e) => ({ formId: e.formDefinition.formId, bindingType: e.formDefinition.bindingType ?? 'latest', versionTag: e.formDefinition.versionTag }));
  bindingsOf.set(def, list);
  return list;
}
const bindingsOf = new WeakMap<Definition, FormBinding[]>();

function taskShape(d: any): UserTask {
  const { _id, executionId, ...task } = d;
  void _id; void executionId;
  return { ...task, assignee: task.assignee ?? null, customHeaders: headerObject(task.customHeaders) };
}
const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

function definitionShape(d: any): ProcessDefinition {
  const hasStartForm = Object.values<any>(storedModel(d)?.elements ?? {}).some((e) => e.type === 'bpmn:StartEvent' && (e.formDefinition || e.userTaskForm));
  return { name: d.name ?? null, resourceName: d.resourceName, version: d.version, versionTag: d.versionTag ?? null, processDefinitionId: d.processDefinitionId, tenantId: d.tenantId, processDefinitionKey: d._id, hasStartForm };
}


