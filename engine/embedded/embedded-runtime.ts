// The embedded runtime: Zeebe-dialect BPMN on bpmn-engine in this process, state in MongoDB.
import type { Connection } from 'mongoose';
import {
  RuntimeError, conflict, invalid, notFound,
  type ActivateJobs, type ActivatedJob, type CorrelatedMessage, type CreateProcessInstance, type CreatedProcessInstance,
  type DeployResource, type Deployment, type ElementInstance, type ElementInstanceFilter, type FailJob, type HistoryEntry,
  type Incident, type IncidentFilter, type JobHandler, type Page, type ProcessDefinition, type ProcessDefinitionFilter,
  type ProcessInstance, type ProcessInstanceFilter, type PublishMessage, type PublishedMessage, type Runtime, type SearchQuery,
  type ThrowJobError, type Topology, type UserTask, type UserTaskFilter, type Variable, type VariableFilter, type Variables,
} from '../runtime.ts';
import { createStore, ensureIndexes, type Store } from './store.ts';
import { KeyAllocator } from './keys.ts';
import { Definitions, type Definition } from './definitions.ts';
import { Instances, type Command } from './instances.ts';
import { Jobs, startWorker } from './jobs.ts';
import { TimerScheduler } from './timers.ts';
import { Messages } from './messages.ts';
import { search } from './search.ts';
import type { Clock } from './instance.ts';
import type { FollowUp } from './effects.ts';
import { nextStartTimer } from './timer-due.ts';

const DEFAULT_TENANT = '<default>';
const VERSION = '8.8.0-gridflow';

export interface EmbeddedOptions { connection: Connection; clock?: Clock; timers?: boolean }

export class EmbeddedRuntime implements Runtime {
  readonly kind = 'embedded' as const;
  readonly store: Store;
  readonly clock: Clock;
  private readonly keys: KeyAllocator;
  readonly definitions: Definitions;
  readonly instances: Instances;
  private readonly jobs: Jobs;
  private readonly messages: Messages;
  readonly timers: TimerScheduler;
  private workers: Array<() => void> = [];
  private pending = new Set<Promise<unknown>>();

  constructor(private readonly opts: EmbeddedOptions) {
    this.store = createStore(opts.connection);
    this.clock = opts.clock ?? { now: () => Date.now() };
    this.keys = new KeyAllocator(this.store);
    this.definitions = new Definitions(this.store, this.keys);
    this.instances = new Instances(this.store, this.definitions, this.keys, this.clock);
    this.jobs = new Jobs(this.store, this.clock, (pik) => this.instances.latest(pik));
    this.messages = new Messages(this.store, this.clock, this.keys, this.instances, this.definitions, (def, start, vars, tenantId) => this.startAt(def, start, vars, tenantId));
    this.timers = new TimerScheduler(this.store, this.clock, (t) => this.fireTimer(t));
    this.instances.onFollowUps = (pik, f) => this.track(this.followUp(pik, f));
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
    const { deployment, processes } = await this.definitions.deploy(resources, tenantId);
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

  searchProcessDefinitions(q: SearchQuery<ProcessDefinitionFilter>): Promise<Page<ProcessDefinition>> {
    const filter = { ...(q.filter ?? {}) } as Record<string, unknown>;
    delete filter.isLatestVersion;
    return search(this.store.definitions, { ...q, filter }, {
      processDefinitionId: 'processDefinitionId', processDefinitionKey: '_id', version: 'version', name: 'name', tenantId: 'tenantId', resourceName: 'resourceName', versionTag: 'versionTag',
    }, (d: any) => definitionShape(d), { defaultSort: { processDefinitionId: 1, version: -1 } });
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
    const doc = await this.store.instances.findById(key, { state: 1, parentProcessInstanceKey: 1 }).lean<any>();
    if (!doc) throw notFound('Process instance', key);
    if (doc.state !== 'ACTIVE') throw notFound('Process instance', key);
    if (doc.parentProcessInstanceKey) throw conflict(`Process instance '${key}' was created by a call activity; cancel its root instance '${doc.parentProcessInstanceKey}' instead`);
    await this.instances.execute(key, { kind: 'cancel' });
  }

  async getProcessInstance(key: string): Promise<ProcessInstance> {
    const d = await this.store.instances.findById(key, INSTANCE_FIELDS).lean<any>();
    if (!d) throw notFound('Process instance', key);
    return this.instanceShape(d);
  }

  async searchProcessInstances(q: SearchQuery<ProcessInstanceFilter>): Promise<Page<ProcessInstance>> {
    const page = await search(this.store.instances, q, {
      processDefinitionId: 'processDefinitionId', processDefinitionKey: 'definitionKey', processInstanceKey: '_id', parentProcessInstanceKey: 'parentProcessInstanceKey',
      parentElementInstanceKey: 'parentElementInstanceKey', state: 'state', tenantId: 'tenantId', hasIncident: 'hasIncident', processDefinitionVersion: 'version', startDate: 'startDate', endDate: 'endDate',
    }, (d: any) => d, { dates: ['startDate', 'endDate'], defaultSort: { startDate: 1, _id: 1 } });
    return { items: await Promise.all(page.items.map((d) => this.instanceShape(d))), page: page.page };
  }

  private async instanceShape(d: any): Promise<ProcessInstance> {
    const def = await this.definitions.byKey(d.definitionKey);
    return {
      processDefinitionId: d.processDefinitionId, processDefinitionName: def.name, processDefinitionVersion: d.version, processDefinitionVersionTag: def.versionTag,
      startDate: iso(d.startDate)!, endDate: iso(d.endDate), state: d.state, hasIncident: !!d.hasIncident, tenantId: d.tenantId, processInstanceKey: d._id,
      processDefinitionKey: d.definitionKey, parentProcessInstanceKey: d.parentProcessInstanceKey ?? null, parentElementInstanceKey: d.parentElementInstanceKey ?? null,
    };
  }

  searchElementInstances(q: SearchQuery<ElementInstanceFilter>): Promise<Page<ElementInstance>> {
    return search(this.store.elementInstances, q, {
      processInstanceKey: 'processInstanceKey', elementId: 'elementId', state: 'state', type: 'type', elementInstanceKey: '_id', processDefinitionKey: 'processDefinitionKey',
      processDefinitionId: 'processDefinitionId', startDate: 'startDate', endDate: 'endDate', tenantId: 'tenantId', elementName: 'elementName',
    }, (d: any) => ({
      processDefinitionId: d.processDefinitionId, startDate: iso(d.startDate)!, endDate: iso(d.endDate), elementId: d.elementId, elementName: d.elementName ?? null,
      type: camundaType(d.type), state: d.state, hasIncident: false, tenantId: d.tenantId, elementInstanceKey: d._id, processInstanceKey: d.processInstanceKey,
      processDefinitionKey: d.processDefinitionKey, incidentKey: d.incidentKey ?? null,
    }), { dates: ['startDate', 'endDate'], defaultSort: { startDate: 1, _id: 1 } });
  }

  // ---- user tasks -----------------------------------------------------------------------------------

  searchUserTasks(q: SearchQuery<UserTaskFilter>): Promise<Page<UserTask>> {
    return search(this.store.userTasks, q, {
      state: 'state', assignee: 'assignee', elementId: 'elementId', processInstanceKey: 'processInstanceKey', processDefinitionKey: 'processDefinitionKey',
      processDefinitionId: 'processDefinitionId', userTaskKey: '_id', tenantId: 'tenantId', candidateGroup: 'candidateGroups', candidateUser: 'candidateUsers',
      creationDate: 'creationDate', dueDate: 'dueDate', followUpDate: 'followUpDate', priority: 'priority', elementInstanceKey: 'elementInstanceKey', name: 'name',
    }, taskShape, { defaultSort: { creationDate: 1, _id: 1 } });
  }

  async getUserTask(key: string): Promise<UserTask> {
    const d = await this.store.userTasks.findById(key).lean<any>();
    if (!d) throw notFound('User task', key);
    return taskShape(d);
  }

  async assignUserTask(key: string, assignee: string, opts: { allowOverride?: boolean } = {}) {
    const t = await this.openTask(key);
    if (t.assignee && t.assignee !== assignee && opts.allowOverride === false) throw conflict(`User task '${key}' is already assigned to '${t.assignee}'`);
    await this.store.userTasks.updateOne({ _id: key, state: 'CREATED' }, { $set: { assignee } });
  }

  async unassignUserTask(key: string) {
    await this.openTask(key);
    await this.store.userTasks.updateOne({ _id: key, state: 'CREATED' }, { $set: { assignee: null } });
  }

  async completeUserTask(key: string, variables: Variables = {}, by: string | null = null) {
    const t = await this.openTask(key);
    await this.instances.execute(t.processInstanceKey, { kind: 'complete', execId: t.executionId, variables, by, userTaskKey: key }, (run) => {
      const w = run.waitingFor(t.executionId);
      if (w?.kind !== 'userTask' || w.userTaskKey !== key) throw conflict(`User task '${key}' is already completed or canceled`);
    });
  }

  private async openTask(key: string) {
    const t = await this.store.userTasks.findById(key).lean<any>();
    if (!t) throw notFound('User task', key);
    if (t.state !== 'CREATED') throw conflict(`User task '${key}' is ${t.state.toLowerCase()}, not open`);
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
    await this.instances.execute(j.processInstanceKey, { kind: 'complete', execId: j.executionId, variables, jobKey: key }, (run) => {
      const w = run.waitingFor(j.executionId);
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
    await this.instances.execute(j.processInstanceKey, { kind: 'error', execId: j.executionId, jobKey: key, errorCode: req.errorCode, errorMessage: req.errorMessage ?? '', variables: req.variables }, (run) => {
      const w = run.waitingFor(j.executionId);
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

  searchVariables(q: SearchQuery<VariableFilter>): Promise<Page<Variable>> {
    return search(this.store.variables, q, {
      name: 'name', scopeKey: 'scopeKey', processInstanceKey: 'processInstanceKey', tenantId: 'tenantId', variableKey: '_id', value: 'value',
    }, (d: any) => ({ name: d.name, value: d.value.length > 8192 ? d.value.slice(0, 8192) : d.value, tenantId: d.tenantId, isTruncated: d.value.length > 8192, variableKey: d.variableKey, scopeKey: d.scopeKey, processInstanceKey: d.processInstanceKey }));
  }

  searchIncidents(q: SearchQuery<IncidentFilter>): Promise<Page<Incident>> {
    return search(this.store.incidents, q, {
      processInstanceKey: 'processInstanceKey', state: 'state', errorType: 'doc.errorType', elementId: 'doc.elementId', jobKey: 'jobKey',
      processDefinitionKey: 'doc.processDefinitionKey', incidentKey: '_id', processDefinitionId: 'doc.processDefinitionId', creationTime: 'doc.creationTime', tenantId: 'doc.tenantId',
    }, (d: any) => { const { command, ...doc } = d.doc; void command; return { ...doc, state: d.state }; });
  }

  async resolveIncident(key: string) {
    const { pik, command, incident } = await this.instances.resolveIncident(key);
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
    const exists = await this.store.instances.exists({ _id: processInstanceKey });
    if (!exists) throw notFound('Process instance', processInstanceKey);
    const docs = await this.store.history.find({ processInstanceKey }).sort({ seq: 1 }).lean<any[]>();
    return docs.map((d) => d.entry);
  }

  // ---- follow-ups: work an instance's outbox starts elsewhere -------------------------------------------

  private async followUp(pik: string, followUps: FollowUp[]) {
    for (const f of followUps) {
      switch (f.t) {
        case 'job': this.jobs.known(f.doc); break;
        case 'closeJob': this.jobs.closed(f.jobKey); break;
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
          const child = await this.store.instances.findById(f.childKey, { state: 1 }).lean<any>();
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

const INSTANCE_FIELDS = {} as const;

function taskShape(d: any): UserTask {
  const { _id, executionId, ...task } = d;
  void _id; void executionId;
  return { ...task, assignee: task.assignee ?? null };
}
const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

function definitionShape(d: any): ProcessDefinition {
  const hasStartForm = Object.values<any>(d.model?.elements ?? {}).some((e) => e.type === 'bpmn:StartEvent' && (e.formDefinition || e.userTaskForm));
  return { name: d.name ?? null, resourceName: d.resourceName, version: d.version, versionTag: d.versionTag ?? null, processDefinitionId: d.processDefinitionId, tenantId: d.tenantId, processDefinitionKey: d._id, hasStartForm };
}

/** bpmn:UserTask → USER_TASK, as Camunda names element types. */
function camundaType(t: string) {
  return t.replace(/^bpmn:/, '').replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

