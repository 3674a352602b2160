// Runs one plugin's handlers off the main event loop: a piscina pool of worker threads per plugin
// (a plugin's trouble stays in its own threads), a time limit per job (the handler's signal is
// aborted, then the thread is terminated), and every answer checked before it reaches the
// runtime: JSON only, bounded in size, no secret in it. Each failure becomes a job failure with
// back-off, or an incident once retries run out, whose message says what the plugin did.
import { MessageChannel } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { ActivatedJob, JobOutcome } from '../../engine/runtime.ts';
import type { PluginJob } from './contract.ts';
import { MissingSecretError, SecretResolver } from './secrets.ts';
import type { WorkerAnswer, WorkerTask } from './worker.ts';

const WORKER = new URL('./thread.mjs', import.meta.url).href;
/** After the handler's signal is aborted, how long it has to return before its thread is stopped. */
const ABORT_GRACE_MS = 1_000;
export const MAX_RESULT_CHARS = 256 * 1024;
/** Environment variables a handler's thread sees; secrets reach handlers only through the context. */
const THREAD_ENV = ['PATH', 'TZ', 'LANG', 'LC_ALL', 'NODE_ENV', 'HOME', 'TMPDIR'];

export interface JobTypeSpec {
  type: string;
  module: string; // absolute path
  exportName: string;
  timeoutMs: number;
  concurrency: number;
  retryBackOffMs: number;
}

export interface Health {
  completed: number;
  failed: number;
  bpmnErrors: number;
  timedOut: number;
  lastRunAt: string | null;
  lastError: { at: string; jobType: string; message: string } | null;
}

export interface SandboxOptions {
  pluginId: string;
  env: NodeJS.ProcessEnv;
  /** Secrets the plugin declares: handed to handlers as context.secrets. */
  secrets: string[];
  /** The plugin's current settings (read for every job, so a change made anywhere applies). */
  settings: () => Promise<Record<string, unknown>>;
  /** Counters kept by the plugin's entry, so they survive a disable and enable. */
  health: Health;
  log: (line: string) => void;
  now: () => number;
}

export class Sandbox {
  private pool: Piscina | null = null;

  constructor(private readonly opts: SandboxOptions, private readonly maxThreads: number) {}

  get health(): Health { return this.opts.health; }

  private threads(): Piscina {
    this.pool ??= new Piscina({
      filename: WORKER,
      minThreads: 0,
      maxThreads: this.maxThreads,
      idleTimeout: 300_000, // a thread starts in about a second (tsx, the handler module): keep it a while
      env: Object.fromEntries(THREAD_ENV.filter((k) => this.opts.env[k] !== undefined).map((k) => [k, this.opts.env[k]!])),
      resourceLimits: { maxOldGenerationSizeMb: 256, stackSizeMb: 4 },
    });
    return this.pool;
  }

  async stop() {
    const pool = this.pool;
    this.pool = null;
    await pool?.destroy().catch(() => {});
  }

  /** The JobHandler for `spec`, as Runtime.registerJobHandler takes it. */
  handler(spec: JobTypeSpec) {
    return (job: ActivatedJob): Promise<JobOutcome> => this.run(spec, job);
  }

  private prefix(spec: JobTypeSpec) { return `Plugin '${this.opts.pluginId}' (job type '${spec.type}')`; }

  private failure(spec: JobTypeSpec, job: ActivatedJob, message: string, retries = job.retries - 1, backOff = spec.retryBackOffMs, timedOut = false): JobOutcome {
    const errorMessage = `${this.prefix(spec)}: ${message}`;
    this.health.failed++;
    if (timedOut) this.health.timedOut++;
    this.health.lastError = { at: new Date(this.opts.now()).toISOString(), jobType: spec.type, message: errorMessage };
    this.opts.log(`${errorMessage} [job ${job.jobKey}, retries left ${Math.max(retries, 0)}]`);
    return { fail: { retries: Math.max(retries, 0), errorMessage, retryBackOff: retries > 0 ? backOff : 0 } };
  }

  async run(spec: JobTypeSpec, job: ActivatedJob): Promise<JobOutcome> {
    this.health.lastRunAt = new Date(this.opts.now()).toISOString();
    const secrets = new SecretResolver(this.opts.env);
    let task: Omit<WorkerTask, 'port'>;
    let settings: Record<string, unknown>;
    try {
      settings = await this.opts.settings();
    } catch (err) {
      return this.failure(spec, job, `its settings could not be read: ${(err as Error).message}`);
    }
    try {
      const declared = Object.fromEntries(this.opts.secrets.filter((n) => this.opts.env[`GRIDFLOW_SECRET_${n}`]).map((n) => [n, secrets.lookup(n)]));
      task = {
        module: pathToFileURL(spec.module).href,
        exportName: spec.exportName,
        job: secrets.resolve<PluginJob>({
          key: job.jobKey, type: job.type, processInstanceKey: job.processInstanceKey, processDefinitionId: job.processDefinitionId,
          elementId: job.elementId, retries: job.retries, variables: job.variables, customHeaders: job.customHeaders,
        }),
        settings: secrets.resolve(settings),
        secrets: declared,
        maxResultChars: MAX_RESULT_CHARS,
      };
    } catch (err) {
      if (err instanceof MissingSecretError) return this.failure(spec, job, err.message);
      throw err;
    }

    const answer = await this.execute(spec, job, task, secrets);
    if ('outcome' in answer) return answer.outcome;
    const text = answer.text;
    let parsed: WorkerAnswer;
    try {
      parsed = JSON.parse(text) as WorkerAnswer;
    } catch {
      return this.failure(spec, job, 'answered something that is not JSON');
    }
    if ('garbage' in parsed) return this.failure(spec, job, secrets.mask(parsed.garbage));
    if ('threw' in parsed) return this.failure(spec, job, `the handler failed: ${secrets.mask(parsed.threw)}`);
    if ('fail' in parsed) {
      const f = parsed.fail;
      return this.failure(spec, job, secrets.mask(f.errorMessage), f.retries ?? job.retries - 1, f.retryBackOffMs ?? spec.retryBackOffMs);
    }
    // A secret in what would be stored (variables, BPMN error) is refused outright: retrying would
    // only try to store it again.
    const leaked = secrets.leakedIn(text);
    if (leaked) return this.failure(spec, job, `the handler put the value of secret '${leaked}' into its result; the result was discarded so that the secret is not stored`, 0);
    if ('error' in parsed) {
      this.health.bpmnErrors++;
      return { error: { errorCode: parsed.error.errorCode, errorMessage: parsed.error.errorMessage, ...(parsed.error.variables ? { variables: parsed.error.variables } : {}) } };
    }
    this.health.completed++;
    return { complete: parsed.complete };
  }

  private execute(spec: JobTypeSpec, job: ActivatedJob, task: Omit<WorkerTask, 'port'>, secrets: SecretResolver): Promise<{ text: string } | { outcome: JobOutcome }> {
    const { port1, port2 } = new MessageChannel();
    const stop = new AbortController();
    let timedOut = false;
    const timers: NodeJS.Timeout[] = [];
    const startClock = () => {
      timers.push(setTimeout(() => {
        timedOut = true;
        port1.postMessage('abort');
        timers.push(setTimeout(() => stop.abort(new Error('time is up')), ABORT_GRACE_MS));
      }, spec.timeoutMs));
    };
    // Queued jobs wait for a thread; if none frees up in time, the wait itself times out.
    timers.push(setTimeout(() => { timedOut = true; stop.abort(new Error('no thread')); }, spec.timeoutMs * 2 + ABORT_GRACE_MS * 5));
    port1.on('message', (m: { started?: boolean; log?: string; text?: string }) => {
      if (m?.started) startClock();
      else if (m?.log) this.opts.log(`[plugin ${this.opts.pluginId}] ${m.log}: ${secrets.mask(String(m.text))} (job ${job.jobKey})`);
    });
    // The worker closes its end once done: lines it logged just before arrive until then.
    const drained = new Promise<void>((resolve) => { port1.once('close', () => resolve()); setTimeout(resolve, 250).unref(); });
    const done = () => { for (const t of timers) clearTimeout(t); void drained.then(() => port1.close()); };
    return this.threads().run({ ...task, port: port2 }, { transferList: [port2] as never, signal: stop.signal }).then(
      (text: unknown) => { done(); return typeof text === 'string' ? { text } : { outcome: this.failure(spec, job, 'answered something that is not JSON') }; },
      (err: unknown) => {
        done();
        if (timedOut) return { outcome: this.failure(spec, job, `did not finish within ${spec.timeoutMs} ms; its thread was stopped`, job.retries - 1, spec.retryBackOffMs, true) };
        return { outcome: this.failure(spec, job, `its worker thread failed: ${secrets.mask(String((err as Error)?.message ?? err))}`) };
      },
    );
  }
}
