// One process instance on bpmn-engine, with Zeebe's semantics layered on its events: element
// instance keys, variable scopes and io mappings, jobs, user tasks, message subscriptions,
// durable timers, call activities and history. A run never writes to the database itself: what
// it did is collected as effects (the outbox), saved with the engine state in one document, and
// applied afterwards (see effects.ts).
import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import { elements } from './compile.ts';
import { evaluateFeel, ExpressionError } from './feel.ts';
import { addScope, assignPath, dropScope, propagate, setLocal, visible, type ScopeTree } from './scopes.ts';
import type { Effect } from './effects.ts';
import { headerList } from './headers.ts';
import { isHelper, MAX_SLOTS, originalId, routeTarget, type Copies } from './tokens.ts';
import type { RunDefinition } from './definitions.ts';
import type { Variables } from '../runtime.ts';

export interface ElementRef {
  key: string; elementId: string; type: string; scope: string; parentExec: string | null;
  /** the copy of the element that holds this token, when it is not the element itself (tokens.ts) */
  runId?: string;
  /** a boundary event or an event-based gateway's event, waiting for its trigger: not an element instance yet, as in Camunda */
  armed?: true;
  /** multi-instance body: the evaluated input collection */
  items?: unknown[];
}

export interface InstanceData {
  key: string;
  tree: ScopeTree;
  /** active element instances by bpmn-engine execution id */
  elements: Record<string, ElementRef>;
  /** execution id of a waiting element → what it waits for */
  waits: Record<string, Wait>;
  processExec: string | null;
  seq: number;
  /** message keys already correlated to this instance (a message correlates once per instance) */
  correlated: string[];
  /** `${scopeKey}/${name}` → variable key */
  varKeys?: Record<string, string>;
  /** the elements that hold several tokens at once, and how many (tokens.ts) */
  copies?: Copies;
}

export type Wait =
  | { kind: 'job'; jobKey: string }
  | { kind: 'userTask'; userTaskKey: string }
  | { kind: 'message'; name: string; correlationKey: string }
  | { kind: 'timer'; dueAt: number }
  | { kind: 'call'; childKey: string }
  | { kind: 'incident'; incidentKey: string };

export interface Keys { take(): string }
/** What a run may ask of the runtime synchronously (caches warmed before the run). */
export interface RunServices { resolveForm(b: { formId: string; bindingType: string; versionTag?: string | null }, tenantId: string, deployed: Record<string, string>): string | null }
export interface Clock { now(): number }

export class KeyPoolEmpty extends Error {}

/** A token reached an element whose copies are all busy: run again on more copies (runs.ts). */
export class NeedsCopies extends Error {
  constructor(readonly elementId: string, readonly slots: number) { super(`element '${elementId}' is reached by a token while its ${slots} cop${slots === 1 ? 'y is' : 'ies are'} busy`); }
}

/** bpmn-engine makes a logger per element; its default (debug) costs time even when silent. */
const quiet = { debug() {}, error() {}, warn() {} };
const silentLogger = () => quiet;

/** bpmn:UserTask → USER_TASK, as Camunda names element types (a multi-instance body stays its element's type). */
export function camundaType(t: string) {
  return t.replace(/^bpmn:/, '').replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

/** The copy of its element an element instance runs on (tokens.ts), and that copy's suffix ('' for the element itself). */
const runIdOf = (el: ElementRef) => el.runId ?? el.elementId;
const copySuffix = (el: ElementRef) => runIdOf(el).slice(el.elementId.length);

/** Event content as the runtime reports it: a copy of an element under the element's id (tokens.ts). */
function asOriginal(c: any) {
  if (!c?.id?.includes('#')) return c;
  return { ...c, id: originalId(c.id), runId: c.id };
}

/** The process's none start event, where an instance starts unless told otherwise. */
export function noneStartEventId(model: any): string | null {
  const start = Object.values<any>(model.elements).find((e) => e.type === 'bpmn:StartEvent' && !e.parentId && !e.eventDefinitions?.length);
  return start?.id ?? null;
}

type Api = { signal(msg?: unknown): void; sendApiMessage(type: string, msg?: unknown): void; content: any; id: string; executionId: string };

export class InstanceRun {
  engine: any;
  effects: Effect[] = [];
  /** work queued by event handlers, run once the engine is quiet (it must not re-enter itself) */
  private after: Array<() => void> = [];
  private timerCallbacks = new Map<string, () => void>();
  state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED' = 'ACTIVE';
  /** False for an instance whose start failed (it waits for its incident to be resolved). */
  engineLoaded = false;
  failure: Error | null = null;

  constructor(
    readonly def: RunDefinition,
    readonly data: InstanceData,
    readonly keys: Keys,
    readonly clock: Clock,
    readonly meta: { tenantId: string; parentProcessInstanceKey: string | null; parentElementInstanceKey: string | null },
    readonly services: RunServices | null = null,
  ) {
    this.engine = new Engine(<any>{
      name: data.key,
      sourceContext: def.compiled.sourceContext,
      elements,
      expressions: { resolveExpression: (expr: unknown, msg: any) => this.resolve(expr, msg), isExpression: () => false, hasExpression: () => false },
      timers: this.timers(),
      settings: { enableDummyService: false, strict: false, disableTrackState: true },
      listener: this.listener(),
      Logger: silentLogger,
    });
    this.engine.on('error', (err: Error) => { this.failure ??= err; });
  }

  get model(): any { return this.def.model; }

  // ---- commands -------------------------------------------------------------------------------

  /** Runs on a definition compiled with its start event only (compile.ts `startAt`). */
  async start(variables: Variables) {
    setLocal(this.data.tree, this.data.key, variables, this.changed);
    await this.engine.execute();
    this.engineLoaded = true;
    this.settle();
  }

  async resume(engineState: any) {
    this.engine.recover(engineState); // parsed from JSON text for this run: nobody else holds it
    await this.engine.resume();
    this.engineLoaded = true;
    this.settle();
  }

  /** Complete a waiting task/job: variables merged as Zeebe does, then the element continues. */
  complete(execId: string, variables: Variables | undefined) {
    const el = this.element(execId);
    const w = this.data.waits[execId];
    if (w?.kind === 'userTask') this.history('USER_TASK_COMPLETED', el, { by: this.completion.by ?? null, detail: w.userTaskKey });
    if (w?.kind === 'job') this.history('JOB_COMPLETED', el, { detail: w.jobKey });
    if (variables && Object.keys(variables).length) this.mergeResult(el, variables);
    this.signal(execId);
  }

  /** Continue a waiting element. bpmn-elements reports no end of a loop iteration: it is recorded here first. */
  private signal(execId: string) {
    const api = this.api(execId);
    if (this.isIteration(execId)) this.iterationDone(execId);
    api.signal({});
    this.settle();
  }

  private isIteration(execId: string) {
    const parent = this.data.elements[execId]?.parentExec;
    return !!(parent && this.data.elements[parent]?.items);
  }

  private iterationDone(execId: string) {
    const el = this.data.elements[execId];
    if (!el) return;
    this.collectLoopOutput(el);
    this.closeWait(execId, 'COMPLETED');
    this.history('ELEMENT_COMPLETED', el);
    this.effects.push({ t: 'element', doc: this.elementDoc(el, 'COMPLETED') });
    delete this.data.elements[execId];
    dropScope(this.data.tree, el.scope);
  }

  /** A BPMN error thrown by a job worker: caught by a matching error boundary, else an incident. */
  throwError(execId: string, errorCode: string, errorMessage: string, variables?: Variables): boolean {
    const el = this.element(execId);
    if (!this.errorCatcher(execId, errorCode)) return false;
    if (variables) this.mergeResult(el, variables);
    this.completion.jobState = 'ERROR_THROWN';
    this.api(execId).sendApiMessage('error', { code: errorCode, message: errorMessage, name: errorCode });
    this.settle();
    return true;
  }

  correlate(execId: string, messageKey: string, variables: Variables) {
    const el = this.element(execId);
    this.data.correlated.push(messageKey);
    this.triggered(el);
    if (Object.keys(variables).length) this.mergeResult(el, variables);
    this.history('MESSAGE_CORRELATED', el, { detail: messageKey });
    this.signal(execId);
  }

  fireTimer(execId: string) {
    const cb = this.timerCallbacks.get(execId);
    if (!cb) return false; // already fired while recovering (it was due)
    this.timerCallbacks.delete(execId);
    cb(); // bpmn-elements reports it as 'activity.timeout' (see timedOut)
    this.settle();
    return true;
  }

  childCompleted(execId: string, childVariables: Variables) {
    const el = this.element(execId);
    const call = this.model.elements[el.elementId]?.calledElement;
    const outputs = this.model.elements[el.elementId]?.ioMapping?.outputs ?? [];
    if (call?.propagateAllChildVariables !== false || outputs.length) this.mergeResult(el, childVariables);
    this.signal(execId);
  }

  cancel() {
    this.engine.stop?.();
    for (const [execId, el] of Object.entries(this.data.elements)) this.terminated(execId, el);
    this.finish('TERMINATED');
  }

  getState() {
    const state = this.engine.execution.getState();
    for (const d of state.definitions) delete d.source;
    return state;
  }

  waitingFor(execId: string) { return this.data.waits[execId]; }

  /** An error boundary event on the element or one of its enclosing elements that catches the code. */
  private errorCatcher(execId: string, code: string): string | null {
    for (let id: string | null = execId; id; id = this.data.elements[id]?.parentExec ?? null) {
      const el = this.data.elements[id];
      if (!el) break;
      const catcher = Object.values<any>(this.model.elements).find((e) =>
        e.type === 'bpmn:BoundaryEvent' && e.attachedToRef === el.elementId &&
        e.eventDefinitions?.some((d: any) => d.kind === 'error') && (!e.error?.errorCode || e.error.errorCode === code));
      if (catcher) return catcher.id;
    }
    return null;
  }

  // ---- bpmn-engine events ---------------------------------------------------------------------

  /** sequence id of a token taken to an element that may hold several → the element it goes to */
  private arriving = new Map<string, string>();

  /** Element apis by execution id, captured from bpmn-engine's listener (they are not persisted). */
  private apis = new Map<string, Api>();

  private listener() {
    const listener = new EventEmitter();
    // A token taken to an element that does not enter it before the run is quiet waits in the
    // element's queue: the element (or every copy of it) is busy (tokens.ts, settle()).
    listener.on('flow.take', (api: Api) => {
      const c = api?.content;
      if (c?.sequenceId && this.def.compiled.holders.has(originalId(c.targetId))) this.arriving.set(c.sequenceId, c.targetId);
    });
    for (const rk of ['process.start', 'process.end', 'process.error', 'activity.enter', 'activity.wait', 'activity.call', 'activity.timer', 'activity.timeout', 'activity.end', 'activity.discard']) {
      listener.on(rk, (api: Api) => {
        if (api?.content?.executionId) this.apis.set(api.content.executionId, api);
        try { this.onEvent(rk, asOriginal(api.content)); } catch (err) { this.failure ??= err as Error; }
      });
    }
    return listener;
  }

  private onEvent(routingKey: string, c: any) {
    switch (routingKey) {
      case 'process.error': this.failure ??= c.error ?? new Error('process failed'); return;
      case 'process.start': if (!this.data.processExec) this.data.processExec = c.executionId; return;
      case 'process.end': return this.after.push(() => this.finish('COMPLETED'));
      case 'activity.enter': return this.entered(c);
      case 'activity.wait': return this.waiting(c);
      case 'activity.call': return this.calling(c);
      case 'activity.timer': return this.timerSet(c);
      case 'activity.timeout': return this.timedOut(c);
      case 'activity.end': return this.ended(c);
      case 'activity.discard': return this.discarded(c);
    }
  }

  private entered(c: any) {
    for (const f of c.inbound ?? []) if (f?.sequenceId) this.arriving.delete(f.sequenceId);
    if (this.data.elements[c.executionId] || isHelper(c.runId ?? '')) return; // resumed, or a router or collector
    const el = this.register(c.executionId, c.id, c.type, this.scopeOf(c.parent) ?? this.data.key, c.parent?.executionId ?? null);
    if (c.runId) el.runId = c.runId;
    const loop = this.model.elements[c.id]?.loopCharacteristics;
    if (loop) {
      // The multi-instance body: its collection is evaluated once, in the body's scope.
      const items = this.feel(loop.inputCollection, visible(this.data.tree, el.scope), c.id);
      if (!Array.isArray(items)) throw new ExpressionError(c.id, `inputCollection of '${c.id}' is not a list`);
      el.items = items;
    } else this.applyInputs(el);
  }

  private register(execId: string, elementId: string, type: string, flowScope: string, parentExec: string | null) {
    const key = this.keys.take();
    const el: ElementRef = { key, elementId, type, scope: key, parentExec };
    this.data.elements[execId] = el;
    addScope(this.data.tree, key, flowScope);
    if (type === 'bpmn:BoundaryEvent' || this.gatewayOf(elementId)) el.armed = true;
    else this.activated(el);
    return el;
  }

  private activated(el: ElementRef) {
    delete el.armed;
    this.history('ELEMENT_ACTIVATED', el);
    this.effects.push({ t: 'element', doc: this.elementDoc(el, 'ACTIVE') });
  }

  /** The event-based gateway an event belongs to, if any. */
  private gatewayOf(elementId: string): string | null {
    for (const flowId of this.model.elements[elementId]?.incoming ?? []) {
      const source = this.model.elements[flowId]?.sourceRef;
      if (source && this.model.elements[source]?.type === 'bpmn:EventBasedGateway') return source;
    }
    return null;
  }

  /**
   * An event-based gateway that is left ends its other events: they were never element instances,
   * so they leave no trace. bpmn-elements stops them without announcing it, and misses one that a
   * resumed run had not resumed yet when another event fired, so they are discarded here too.
   */
  private gatewayLeft(gateway: ElementRef) {
    const copy = copySuffix(gateway);
    for (const [execId, e] of Object.entries(this.data.elements)) {
      if (!e.armed || e.parentExec !== gateway.parentExec || copySuffix(e) !== copy || this.gatewayOf(e.elementId) !== gateway.elementId) continue;
      this.after.push(() => this.apis.get(execId)?.sendApiMessage('discard')); // once the run is quiet: every element resumed
      this.terminated(execId, e);
    }
  }

  /** A boundary event (or an event-based gateway's event) becomes an element instance when it is triggered. */
  private triggered(el: ElementRef) {
    if (el.armed) this.activated(el);
  }

  /** bpmn-elements announces no 'enter' for loop iterations: they are met through their events. */
  private iteration(execId: string): ElementRef | undefined {
    const known = this.data.elements[execId];
    if (known) return known;
    const m = /^(.*)_(\d+)$/.exec(execId);
    const body = m && this.data.elements[m[1]];
    if (!body?.items) return undefined;
    const index = Number(m![2]);
    const el = this.register(execId, body.elementId, body.type, body.scope, m![1]);
    const loop = this.model.elements[body.elementId].loopCharacteristics;
    const locals: Variables = { loopCounter: index + 1 };
    if (loop.inputElement) locals[loop.inputElement] = body.items[index] ?? null;
    setLocal(this.data.tree, el.scope, locals, this.changed);
    this.applyInputs(el);
    return el;
  }

  private applyInputs(el: ElementRef) {
    const inputs: Array<{ source: string | null; target: string }> = this.model.elements[el.elementId]?.ioMapping?.inputs ?? [];
    if (!inputs.length) return;
    const locals: Variables = {};
    for (const { source, target } of inputs) {
      const ctx = { ...visible(this.data.tree, el.scope), ...locals };
      const top = target.split('.')[0];
      if (target.includes('.') && locals[top] === undefined && ctx[top] !== undefined) locals[top] = ctx[top];
      assignPath(locals, target, source === null ? null : this.feel(source, ctx, el.elementId));
    }
    setLocal(this.data.tree, el.scope, locals, this.changed);
  }

  /** Job and message results: local when the element has output mappings, else propagated. */
  private mergeResult(el: ElementRef, variables: Variables) {
    const outputs = this.model.elements[el.elementId]?.ioMapping?.outputs ?? [];
    if (outputs.length) setLocal(this.data.tree, el.scope, variables, this.changed);
    else propagate(this.data.tree, el.scope, variables, this.changed);
  }

  private applyOutputs(el: ElementRef) {
    const outputs: Array<{ source: string; target: string }> = this.model.elements[el.elementId]?.ioMapping?.outputs ?? [];
    if (!outputs.length) return;
    const flowScope = this.data.tree.parent[el.scope] ?? this.data.key;
    const ctx = visible(this.data.tree, el.scope);
    const outer = visible(this.data.tree, flowScope);
    const result: Variables = {};
    for (const { source, target } of outputs) {
      const top = target.split('.')[0];
      if (target.includes('.') && result[top] === undefined && outer[top] !== undefined) result[top] = outer[top];
      assignPath(result, target, this.feel(source, ctx, el.elementId));
    }
    propagate(this.data.tree, flowScope, result, this.changed);
  }

  private waiting(c: any) {
    const el = this.iteration(c.executionId);
    if (!el || this.data.waits[c.executionId]) return; // resumed: the wait is already recorded
    const m = this.model.elements[c.id] ?? {};
    const type = c.type as string;
    if (type === 'bpmn:UserTask') return this.createUserTask(c.executionId, el, m);
    if (type === 'bpmn:ScriptTask' && m.script) return this.runScript(c.executionId, el, m);
    if (m.taskDefinition) return this.createJob(c.executionId, el, m);
    if (m.messageName) return this.subscribe(c.executionId, el, m);
  }

  private createJob(execId: string, el: ElementRef, m: any) {
    const ctx = visible(this.data.tree, el.scope);
    const jobKey = this.keys.take();
    const type = String(this.feel(m.taskDefinition.type, ctx, el.elementId));
    const retries = Number(this.feel(String(m.taskDefinition.retries ?? '3'), ctx, el.elementId));
    this.data.waits[execId] = { kind: 'job', jobKey };
    this.effects.push({
      t: 'job', doc: {
        _id: jobKey, type, state: 'ACTIVATABLE', retries, worker: null, deadline: 0, notBefore: 0, errorMessage: null,
        processInstanceKey: this.data.key, elementInstanceKey: el.key, elementId: el.elementId, executionId: execId,
        processDefinitionKey: this.def.key, processDefinitionId: this.def.processDefinitionId,
        processDefinitionVersion: this.def.version, customHeaders: headerList(m.taskHeaders), tenantId: this.meta.tenantId,
        createdAt: new Date(this.clock.now()),
      },
    });
  }

  private createUserTask(execId: string, el: ElementRef, m: any) {
    const ctx = visible(this.data.tree, el.scope);
    const a = m.assignmentDefinition ?? {};
    const list = (v: unknown) => v == null || v === '' ? [] : Array.isArray(v) ? v.map(String) : String(v).split(',').map((s) => s.trim()).filter(Boolean);
    const opt = (expr: string | undefined) => (expr ? this.feel(expr, ctx, el.elementId) : null);
    const userTaskKey = this.keys.take();
    this.data.waits[execId] = { kind: 'userTask', userTaskKey };
    const dueDate = opt(m.taskSchedule?.dueDate);
    const followUpDate = opt(m.taskSchedule?.followUpDate);
    const assignee = opt(a.assignee);
    this.effects.push({
      t: 'userTask', doc: {
        name: m.name ?? null, state: 'CREATED', assignee: assignee == null || assignee === '' ? null : String(assignee),
        elementId: el.elementId, candidateGroups: list(opt(a.candidateGroups)), candidateUsers: list(opt(a.candidateUsers)),
        processDefinitionId: this.def.processDefinitionId, creationDate: new Date(this.clock.now()).toISOString(),
        completionDate: null, followUpDate: followUpDate == null ? null : String(followUpDate), dueDate: dueDate == null ? null : String(dueDate),
        tenantId: this.meta.tenantId, externalFormReference: m.formDefinition?.externalReference ?? null,
        processDefinitionVersion: this.def.version, customHeaders: headerList(m.taskHeaders), priority: Number(opt(m.priority ?? undefined) ?? 50),
        userTaskKey, elementInstanceKey: el.key, processName: this.model.name ?? null, processDefinitionKey: this.def.key,
        processInstanceKey: this.data.key, formKey: this.formKeyOf(m),
        formLink: m.formDefinition?.formId
          ? { formId: m.formDefinition.formId, bindingType: m.formDefinition.bindingType ?? 'latest', versionTag: m.formDefinition.versionTag, deploymentKey: this.def.deploymentKey }
          : m.userTaskForm ? { embeddedFormKey: m.userTaskForm.id, schema: m.userTaskForm.body } : null,
        completedBy: null,
      }, executionId: execId,
    });
  }

  /** A linked form resolves to a deployed form's key when the task is created, as in Camunda. */
  private formKeyOf(m: any): string | null {
    const f = m.formDefinition;
    if (f?.formId) return this.services?.resolveForm({ formId: f.formId, bindingType: f.bindingType ?? 'latest', versionTag: f.versionTag }, this.meta.tenantId, this.def.forms ?? {}) ?? null;
    if (m.userTaskForm) return `camunda-forms:bpmn:${m.userTaskForm.id}`;
    return f?.formKey ?? null;
  }

  private runScript(execId: string, el: ElementRef, m: any) {
    const value = this.feel(m.script.expression, visible(this.data.tree, el.scope), el.elementId);
    const api = this.api(execId);
    this.after.push(() => {
      if (m.script.resultVariable) this.mergeResult(el, { [m.script.resultVariable]: value });
      api.signal({});
    });
  }

  private subscribe(execId: string, el: ElementRef, m: any) {
    const ctx = visible(this.data.tree, el.scope);
    const name = String(this.feel(m.messageName, ctx, el.elementId));
    const ck = m.subscription?.correlationKey ? this.feel(m.subscription.correlationKey, ctx, el.elementId) : '';
    const correlationKey = ck == null ? '' : String(ck);
    this.data.waits[execId] = { kind: 'message', name, correlationKey };
    this.effects.push({ t: 'subscribe', doc: { _id: `${this.data.key}/${execId}`, processInstanceKey: this.data.key, executionId: execId, elementId: el.elementId, name, correlationKey, tenantId: this.meta.tenantId } });
  }

  private calling(c: any) {
    const el = this.iteration(c.executionId);
    if (!el || this.data.waits[c.executionId]) return;
    const m = this.model.elements[c.id] ?? {};
    const ctx = visible(this.data.tree, el.scope);
    const processId = String(this.feel(m.calledElement?.processId ?? '', ctx, el.elementId));
    const childKey = this.keys.take();
    const vars = m.calledElement?.propagateAllParentVariables === false
      ? { ...this.data.tree.vars[el.scope] }
      : ctx;
    this.data.waits[c.executionId] = { kind: 'call', childKey };
    this.effects.push({ t: 'startChild', childKey, processDefinitionId: processId, variables: vars, parentProcessInstanceKey: this.data.key, parentElementInstanceKey: el.key, tenantId: this.meta.tenantId });
  }

  private timerSet(c: any) {
    // Boundary and catch events report the timer on the event's own execution.
    const execId = c.executionId;
    const el = this.data.elements[execId] ?? this.elementOfTimer(execId);
    const dueAt = c.expireAt ? new Date(c.expireAt).getTime() : this.clock.now() + Number(c.timeout ?? 0);
    const known = this.data.waits[execId];
    if (known?.kind === 'timer' && known.dueAt === dueAt) return; // resumed: the timer is stored already
    if (el) this.data.waits[execId] = { kind: 'timer', dueAt };
    this.effects.push({ t: 'timer', doc: { _id: `${this.data.key}/${execId}`, processInstanceKey: this.data.key, executionId: execId, elementId: c.id, dueAt, lease: 0 } });
  }

  /** A timer fired: when we fired it, or when resuming found it overdue. */
  private timedOut(c: any) {
    if (c.state !== 'timeout') return; // stopped or cancelled, not fired
    const execId = c.executionId;
    this.timerCallbacks.delete(execId);
    delete this.data.waits[execId];
    this.effects.push({ t: 'cancelTimer', id: `${this.data.key}/${execId}` });
    const el = this.data.elements[execId] ?? this.elementOfTimer(execId);
    if (el) { this.triggered(el); this.history('TIMER_TRIGGERED', el); }
  }

  private elementOfTimer(execId: string) {
    const base = execId.replace(/_\d+$/, '');
    return this.data.elements[execId] ?? this.data.elements[base];
  }

  private ended(c: any) {
    const el = this.iteration(c.executionId);
    if (!el) return;
    this.triggered(el); // an error boundary event, triggered as it ends
    if (el.items) {
      for (const [execId, e] of Object.entries(this.data.elements)) if (e.parentExec === c.executionId) this.iterationEmptied(execId);
      this.bodyCompleted(el);
    }
    else if (el.parentExec && this.data.elements[el.parentExec]?.items) this.collectLoopOutput(el);
    else this.applyOutputs(el);
    this.closeWait(c.executionId, 'COMPLETED');
    this.history('ELEMENT_COMPLETED', el);
    this.effects.push({ t: 'element', doc: this.elementDoc(el, 'COMPLETED') });
    delete this.data.elements[c.executionId];
    dropScope(this.data.tree, el.scope);
    if (el.type === 'bpmn:BoundaryEvent') this.after.push(() => this.interrupt(el));
    if (el.type === 'bpmn:EventBasedGateway') this.gatewayLeft(el);
    if (el.parentExec && el.parentExec !== this.data.processExec && this.isTerminateEnd(el)) this.terminateScope(el.parentExec);
    // The last element of a sub-process iteration ends that iteration. Checked once the engine is
    // quiet: between an element's end and the next one's start the iteration holds nothing.
    const parent = el.parentExec;
    if (parent && this.isIteration(parent)) this.after.push(() => this.iterationEmptied(parent));
  }

  /** A sub-process iteration that holds no element any more is done (a task's iteration ends by signal()). */
  private iterationEmptied(execId: string) {
    const el = this.data.elements[execId];
    if (el?.type === 'bpmn:SubProcess' && !Object.values(this.data.elements).some((e) => e.parentExec === execId)) this.iterationDone(execId);
  }

  /**
   * An interrupting boundary event ends the element it is attached to. bpmn-elements does so
   * itself, except after a non-interrupting cycle timer on the same element has fired: there the
   * attached element keeps running, so it is discarded here.
   */
  private interrupt(boundary: ElementRef) {
    const b = this.model.elements[boundary.elementId];
    if (!b || b.cancelActivity === false) return;
    // A boundary event on a copy of an element (tokens.ts) is attached to that copy.
    const host = b.attachedToRef + copySuffix(boundary);
    for (const [execId, el] of Object.entries(this.data.elements)) {
      if (runIdOf(el) !== host) continue;
      const api = this.apis.get(execId);
      if (api) api.sendApiMessage('discard');
      if (this.data.elements[execId]) this.terminated(execId, el);
    }
  }

  private isTerminateEnd(el: ElementRef) {
    return el.type === 'bpmn:EndEvent' && this.model.elements[el.elementId]?.eventDefinitions?.some((d: any) => d.kind === 'terminate');
  }

  /**
   * A terminate end event inside a sub-process ends only that sub-process (or that iteration of it):
   * what else runs in it is terminated, and the sub-process then completes as usual. bpmn-elements
   * stops those elements without announcing it, so they are recorded as terminated here.
   */
  private terminateScope(scopeExec: string) {
    for (const [execId, el] of Object.entries(this.data.elements)) if (el.parentExec === scopeExec) this.terminated(execId, el);
  }

  /** The multi-instance body hands its output collection to its flow scope, then applies its own outputs. */
  private bodyCompleted(body: ElementRef) {
    const loop = this.model.elements[body.elementId]?.loopCharacteristics;
    if (loop?.outputCollection) {
      const list = this.data.tree.vars[body.scope]?.[loop.outputCollection] ?? body.items!.map(() => null);
      propagate(this.data.tree, this.data.tree.parent[body.scope] ?? this.data.key, { [loop.outputCollection]: list }, this.changed);
    }
    this.applyOutputs(body);
  }

  private collectLoopOutput(el: ElementRef) {
    this.applyOutputs(el);
    const loop = this.model.elements[el.elementId]?.loopCharacteristics;
    if (!loop?.outputCollection || !loop.outputElement) return;
    const body = this.data.elements[el.parentExec!];
    const execId = Object.keys(this.data.elements).find((k) => this.data.elements[k] === el)!;
    const index = Number(/_(\d+)$/.exec(execId)![1]);
    const value = this.feel(loop.outputElement, visible(this.data.tree, el.scope), el.elementId);
    const bodyVars = (this.data.tree.vars[body.scope] ??= {});
    const list = Array.isArray(bodyVars[loop.outputCollection]) ? [...(bodyVars[loop.outputCollection] as unknown[])] : [];
    while (list.length < body.items!.length) list.push(null);
    list[index] = value;
    setLocal(this.data.tree, body.scope, { [loop.outputCollection]: list }, this.changed);
  }

  private discarded(c: any) {
    const el = this.iteration(c.executionId);
    if (!el) return;
    this.terminated(c.executionId, el);
  }

  private terminated(execId: string, el: ElementRef) {
    for (const [child, c] of Object.entries(this.data.elements)) if (c.parentExec === execId) this.terminated(child, c);
    if (!this.data.elements[execId]) return;
    this.closeWait(execId, 'TERMINATED');
    if (!el.armed) {
      this.history('ELEMENT_TERMINATED', el);
      this.effects.push({ t: 'element', doc: this.elementDoc(el, 'TERMINATED') });
    }
    delete this.data.elements[execId];
    dropScope(this.data.tree, el.scope);
  }

  /** Set by the command that completes a task or job, for its record. */
  completion: { by?: string | null; jobState?: string } = {};

  private closeWait(execId: string, how: 'COMPLETED' | 'TERMINATED') {
    const w = this.data.waits[execId];
    if (!w) return;
    delete this.data.waits[execId];
    const pik = this.data.key;
    const done = how === 'COMPLETED';
    if (w.kind === 'job') this.effects.push({ t: 'closeJob', jobKey: w.jobKey, state: this.completion.jobState ?? (done ? 'COMPLETED' : 'CANCELED') });
    if (w.kind === 'userTask') this.effects.push({ t: 'closeUserTask', userTaskKey: w.userTaskKey, state: done ? 'COMPLETED' : 'CANCELED', at: this.clock.now(), by: done ? this.completion.by ?? null : undefined });
    if (w.kind === 'message') this.effects.push({ t: 'unsubscribe', id: `${pik}/${execId}` });
    if (w.kind === 'timer') this.effects.push({ t: 'cancelTimer', id: `${pik}/${execId}` });
    if (w.kind === 'call' && how === 'TERMINATED') this.effects.push({ t: 'cancelChild', childKey: w.childKey });
    if (w.kind === 'incident') this.effects.push({ t: 'resolveIncident', incidentKey: w.incidentKey });
  }

  private finish(state: 'COMPLETED' | 'TERMINATED') {
    if (this.state !== 'ACTIVE') return;
    // A terminate end event ends the process with branches still running: those are terminated.
    for (const [execId, el] of Object.entries(this.data.elements).reverse()) this.terminated(execId, el);
    this.state = state;
    this.history(state === 'COMPLETED' ? 'ELEMENT_COMPLETED' : 'ELEMENT_TERMINATED', { key: this.data.key, elementId: this.def.processDefinitionId, type: 'bpmn:Process', scope: this.data.key, parentExec: null });
    if (state === 'COMPLETED' && this.meta.parentProcessInstanceKey) {
      this.effects.push({ t: 'childDone', parentProcessInstanceKey: this.meta.parentProcessInstanceKey, parentElementInstanceKey: this.meta.parentElementInstanceKey!, variables: this.data.tree.vars[this.data.key] ?? {} });
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** Run what handlers queued until nothing is left; bpmn-engine is synchronous between waits. */
  private settle() {
    for (let i = 0; this.after.length; i++) {
      if (i > 100_000) throw new Error('instance did not settle');
      this.after.shift()!();
    }
    this.waitingTokens();
    if (this.failure) throw this.failure;
  }

  private resolve(expr: unknown, msg: any): unknown {
    const c = msg?.content ?? {};
    const copy = routeTarget(c.id ?? '', expr);
    if (copy) return this.isFree(copy, c.parent?.executionId ?? c.inbound?.[0]?.parent?.executionId ?? null);
    if (typeof expr !== 'string' || !expr.startsWith('=')) return expr;
    const scope = this.scopeOf(c) ?? this.data.key;
    const value = this.feel(expr, visible(this.data.tree, scope), c.id ? originalId(c.id) : null);
    if (c.type === 'bpmn:SequenceFlow' && typeof value !== 'boolean') {
      throw new ExpressionError(originalId(c.sourceId ?? c.id), `Expected the condition of sequence flow '${c.id}' (${expr.slice(1)}) to be a boolean, but it was ${value === null ? 'null' : JSON.stringify(value)}`);
    }
    return value;
  }

  /** A token that waits at a busy element asks for (more) copies of it, unless it has the most. */
  private waitingTokens() {
    if (!this.arriving.size || this.failure || this.state !== 'ACTIVE') return;
    for (const target of this.arriving.values()) {
      const id = originalId(target);
      const slots = this.def.compiled.copies[id] ?? 1;
      if (slots < MAX_SLOTS) this.failure = new NeedsCopies(id, slots);
    }
    this.arriving.clear();
  }

  /** Whether no token is at this copy of an element in this scope (tokens.ts routes to free copies). */
  private isFree(runId: string, parentExec: string | null) {
    return !Object.values(this.data.elements).some((e) => runIdOf(e) === runId && e.parentExec === parentExec);
  }

  /** The scope an expression of a flow, gateway or event is evaluated in. */
  private scopeOf(c: any): string | undefined {
    for (let p = c; p; p = p.parent) {
      const el = p.executionId && this.iteration(p.executionId);
      if (el) return el.scope;
    }
    return undefined;
  }

  private now = () => this.clock.now();

  feel(expr: string, ctx: Variables, elementId: string | null): unknown {
    return evaluateFeel(expr, ctx, elementId, this.now);
  }

  private element(execId: string): ElementRef {
    const el = this.data.elements[execId];
    if (!el) throw new Error(`no active element for execution ${execId}`);
    return el;
  }

  private api(execId: string): Api {
    const api = this.apis.get(execId);
    if (!api) throw new Error(`element execution ${execId} is not waiting`);
    return api;
  }

  private changed = (scopeKey: string, name: string, value: unknown) => {
    // Each variable (scope + name) gets a key of its own the first time it is set, as in Zeebe.
    const id = `${scopeKey}/${name}`;
    const keys = (this.data.varKeys ??= {});
    keys[id] ??= this.keys.take();
    const el = Object.values(this.data.elements).find((e) => e.scope === scopeKey);
    // Values are kept as JSON text: variable names inside values may hold dots or dollars.
    this.history('VARIABLE_SET', el ?? null, { name, value: JSON.stringify(value ?? null), variableKey: keys[id] });
  };

  private history(event: string, el: ElementRef | null, extra: Record<string, unknown> = {}) {
    this.effects.push({
      t: 'history',
      entry: {
        processInstanceKey: this.data.key, seq: ++this.data.seq, at: new Date(this.clock.now()).toISOString(), event,
        ...(el && { elementId: el.elementId, elementInstanceKey: el.key, elementType: el.type }), ...extra,
      },
    });
  }

  private elementDoc(el: ElementRef, state: string) {
    const now = new Date(this.clock.now());
    return {
      _id: el.key, processInstanceKey: this.data.key, processDefinitionKey: this.def.key, processDefinitionId: this.def.processDefinitionId,
      elementId: el.elementId, elementName: this.model.elements[el.elementId]?.name ?? null, type: camundaType(el.type), state,
      ...(state === 'ACTIVE' ? { startDate: now } : { endDate: now }), tenantId: this.meta.tenantId,
    };
  }

  private timers() {
    const self = this;
    const set = (owner: any, cb: () => void) => {
      if (owner?.executionId) self.timerCallbacks.set(owner.executionId, cb);
      return { owner };
    };
    const clear = (ref: any) => {
      const execId = ref?.owner?.executionId;
      if (!execId) return;
      self.timerCallbacks.delete(execId);
      if (self.data.waits[execId]?.kind === 'timer') delete self.data.waits[execId];
      self.effects.push({ t: 'cancelTimer', id: `${self.data.key}/${execId}` });
    };
    return {
      now: () => self.clock.now(), // read by timer-definition.ts
      executing: [],
      register: (owner: any) => ({ setTimeout: (cb: () => void) => set(owner, cb), clearTimeout: clear }),
      setTimeout: (cb: () => void) => set(null, cb),
      clearTimeout: clear,
    };
  }
}
