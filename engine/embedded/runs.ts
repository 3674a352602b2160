// Where instance runs execute: bpmn-engine's work for a command (resuming a run from its stored
// state, applying the command, serialising the new state) is most of a command's CPU and of the
// garbage it leaves, so it runs on a thread of its own (run-host.ts) while the HTTP thread keeps
// answering. Requests and replies are plain data: the database stays with the caller, which
// commits what a reply carries. Runs may stay alive between commands (the run cache, off by default).
import { InstanceRun, KeyPoolEmpty, NeedsCopies, noneStartEventId, type InstanceData, type RunServices } from './instance.ts';
import { compile } from './compile.ts';
import { moreSlots, type Copies } from './tokens.ts';
import { KeyPool } from './keys.ts';
import { RunCache, runWeight } from './run-cache.ts';
import { RuntimeError, type Variables } from '../runtime.ts';
import type { Definition, RunDefinition } from './definitions.ts';
import type { Effect } from './effects.ts';
import type { Command, Meta } from './instances.ts';
import type { FeelFunctionList } from '../feel/bridge.ts';

/** formId/bindingType/versionTag → formKey, resolved by the caller for one definition's forms. */
export type FormMap = Record<string, string | null>;
export const formSlot = (b: { formId: string; bindingType: string; versionTag?: string | null }) => `${b.bindingType}/${b.formId}/${b.versionTag ?? ''}`;

interface Common {
  pik: string; def: string; meta: Meta; now: number; forms: FormMap;
  /** sent with the first request that uses the definition */
  definition?: Definition;
  /** more keys for the run thread's pool */
  keys?: Array<[number, number]>;
  /** the FEEL functions registered where the request comes from, when they changed (run-worker.ts) */
  feel?: FeelFunctionList;
}
export type RunRequest =
  | Common & { op: 'start'; rev: number; data: InstanceData; variables: Variables; startElementId?: string }
  /** `rev` is the latest committed revision; `stored` its state, used unless the run is held at that revision */
  | Common & { op: 'apply'; rev: number; stored: { state: string; engine: string | null; data: string }; command: Command }
  | { op: 'forget'; pik: string }
  | { op: 'held' };

/** The runs a thread holds in memory, and their estimated heap (run-cache.ts). */
export interface Held { runs: number; kib: number }

export type RunReply =
  | {
    ok: true;
    /** only resuming ran (timers that fell due fired): commit this, then send the command again */
    resumedOnly: boolean;
    state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED'; engine: string | null; data: string; outbox: Effect[]; keysLeft: number;
  }
  | { ok: false; error: RunError; keysLeft: number };

export type RunError =
  | { kind: 'keys' }
  | { kind: 'runtime'; status: RuntimeError['status']; code: string; message: string }
  /** the engine failed on the command: an incident */
  | { kind: 'failure'; name: string; message: string; elementId: string | null };

export class UnhandledError extends Error {
  constructor(readonly command: Extract<Command, { kind: 'error' }>) {
    super(`An error with code '${command.errorCode}' was thrown but not caught${command.errorMessage ? `: ${command.errorMessage}` : ''}`);
    this.name = 'UnhandledError';
  }
}

export class Runs {
  private defs = new Map<string, Promise<RunDefinition>>();
  /** the same definitions compiled with copies of elements (tokens.ts) or for a start event (compile.ts), the most recent 64 */
  private variants = new Map<string, Promise<RunDefinition>>();
  private cache: RunCache<{ run: InstanceRun; rev: number }>;
  private keys = new KeyPool();
  /** The caller's clock at the request being handled: held runs read it too, not the time they were made at. */
  private at = 0;
  private clock = { now: () => this.at };
  private forms: FormMap = {};
  private services: RunServices = { resolveForm: (b) => this.forms[formSlot(b)] ?? null };

  constructor(cacheBudgetKib = 0) { this.cache = new RunCache(cacheBudgetKib); }

  private queue: Promise<unknown> = Promise.resolve();

  /** Requests are handled one at a time, in the order they come (the clock and forms are the current request's). */
  handle(req: RunRequest): Promise<RunReply | Held | null> {
    const next = this.queue.then(() => this.handleNow(req));
    this.queue = next.catch(() => {});
    return next;
  }

  private async handleNow(req: RunRequest): Promise<RunReply | Held | null> {
    if (req.op === 'forget') { this.cache.delete(req.pik); return null; }
    if (req.op === 'held') return { runs: this.cache.size, kib: this.cache.weight };
    this.at = req.now;
    this.forms = req.forms;
    if (req.keys) this.keys.add(req.keys);
    if (req.definition) this.defs.set(req.definition.key, compiled(req.definition));
    try {
      for (const more: Copies = {}; ;) {
        try {
          return req.op === 'start' ? await this.start(req, more) : await this.apply(req, more);
        } catch (err) {
          if (!(err instanceof NeedsCopies)) throw err;
          // Nothing of the dropped run was kept: the request runs again, from the same revision.
          this.cache.delete(req.pik);
          more[err.elementId] = moreSlots(err.slots);
        }
      }
    } catch (err) {
      this.cache.delete(req.pik); // a run that failed half way is resumed afresh next time
      return { ok: false, error: runError(err as Error), keysLeft: this.keys.available };
    }
  }

  /** `more`: copies of elements to run on beyond those the instance has. */
  private async run(req: RunRequest & { op: 'start' | 'apply' }, data: InstanceData, more: Copies) {
    if (Object.keys(more).length) data.copies = { ...data.copies, ...more };
    const plain = await this.defs.get(req.def);
    const startAt = req.op === 'start' && plain && startEvents(plain.model) > 1 ? req.startElementId ?? noneStartEventId(plain.model) : undefined;
    const def = await this.definition(req.def, data.copies ?? {}, startAt);
    if (!def) throw new Error(`process definition '${req.def}' was not handed to this run thread`);
    return new InstanceRun(def, data, this.keys, this.clock, req.meta, this.services);
  }

  /** The definition compiled with these copies (tokens.ts), for starting at `startAt` when given (compile.ts). */
  private definition(key: string, copies: Copies, startAt?: string | null) {
    const plain = this.defs.get(key);
    const names = Object.keys(copies).sort();
    if ((!names.length && startAt === undefined) || !plain) return plain;
    const id = `${key}/${names.map((n) => `${n}=${copies[n]}`).join(',')}${startAt === undefined ? '' : `/start=${startAt}`}`;
    let def = this.variants.get(id);
    if (!def) {
      def = plain.then(async (d) => ({ ...d, compiled: await compile(d.xml, d.processDefinitionId, copies, startAt) }));
      if (this.variants.size >= 64) this.variants.delete(this.variants.keys().next().value!);
      this.variants.set(id, def);
    }
    return def;
  }

  private async start(req: RunRequest & { op: 'start' }, more: Copies): Promise<RunReply> {
    const run = await this.run(req, structuredClone(req.data), more);
    await run.start(req.variables);
    return this.reply(req.pik, run, req.rev, false);
  }

  private async apply(req: RunRequest & { op: 'apply' }, more: Copies): Promise<RunReply> {
    let held = this.cache.get(req.pik);
    if (held?.rev !== req.rev) {
      const run = await this.run(req, JSON.parse(req.stored.data), more);
      run.state = req.stored.state as InstanceRun['state'];
      if (req.stored.engine && run.state === 'ACTIVE') await run.resume(JSON.parse(req.stored.engine));
      // Resuming fires timers that fell due meanwhile: what they did is committed before anything
      // else, and the caller checks its command again on it (a task may be gone). A timer's own
      // command needs no check: it goes on in the same revision (its timer may be the one that fired).
      const goOn = req.command.kind === 'timer' && run.state === 'ACTIVE' && run.engineLoaded;
      if (run.effects.length && !goOn) return this.reply(req.pik, run, req.rev + 1, true);
      held = { run, rev: req.rev };
    }
    const run = held.run;
    if (run.state !== 'ACTIVE' || !run.engineLoaded) throw new RuntimeError(409, 'INVALID_STATE', `Process instance '${req.pik}' is not active`);
    run.completion = {};
    applyCommand(run, req.command);
    return this.reply(req.pik, run, req.rev + 1, false);
  }

  /** The run's new state, as the caller commits it as revision `rev`; the run is held at that revision. */
  private reply(pik: string, run: InstanceRun, rev: number, resumedOnly: boolean): RunReply {
    const outbox = run.effects;
    run.effects = [];
    const reply: RunReply = {
      ok: true, resumedOnly, state: run.state, outbox, keysLeft: this.keys.available,
      engine: run.engineLoaded ? JSON.stringify(run.getState()) : null, data: JSON.stringify(run.data),
    };
    if (run.state === 'ACTIVE' && run.engineLoaded) this.cache.set(pik, { run, rev }, runWeight(Object.keys(run.def.model?.elements ?? {}).length));
    else this.cache.delete(pik);
    return reply;
  }
}

/** A process with one start event starts on its plain compile (compile.ts `startAt`). */
const startEvents = (model: any) => Object.values<any>(model.elements).filter((e) => e.type === 'bpmn:StartEvent' && !e.parentId).length;

async function compiled(def: Definition): Promise<RunDefinition> {
  return { ...def, compiled: await compile(def.xml, def.processDefinitionId) };
}

function applyCommand(run: InstanceRun, c: Command) {
  switch (c.kind) {
    case 'complete': run.completion.by = c.by; return run.complete(c.execId, c.variables);
    case 'error': if (!run.throwError(c.execId, c.errorCode, c.errorMessage, c.variables)) throw new UnhandledError(c); return;
    case 'correlate': return run.correlate(c.execId, c.messageKey, c.variables);
    case 'timer': run.fireTimer(c.execId); return;
    case 'child': return run.childCompleted(c.execId, c.variables);
    case 'cancel': return run.cancel();
  }
}

function runError(err: Error): RunError {
  if (err instanceof KeyPoolEmpty) return { kind: 'keys' };
  if (err instanceof RuntimeError) return { kind: 'runtime', status: err.status, code: err.code, message: err.message };
  return { kind: 'failure', name: err.name, message: err.message, elementId: (err as any).elementId ?? null };
}
