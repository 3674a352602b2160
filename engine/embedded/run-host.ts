// The HTTP thread's side of runs.ts: requests go to run threads (GRIDFLOW_RUN_THREADS, default 1;
// each holds the runs of the instances whose key falls to it), or to a Runs on this thread when
// it is 0. Each thread is sent a definition the first time it needs it and keys before it runs
// short, so a run never waits for the database.
import { Worker } from 'node:worker_threads';
import { Runs, type Held, type RunReply, type RunRequest } from './runs.ts';
import { feelFunctionList } from '../feel/functions.ts';
import { serveFeelFunctions } from '../feel/bridge.ts';
import type { Definition } from './definitions.ts';
import type { KeyAllocator } from './keys.ts';
import { runCacheBudgetKib } from './run-cache.ts';

const KEYS_LOW = 500;
const KEYS_BLOCK = 2_000;

/** GRIDFLOW_RUN_THREADS: how many run threads, 0 to run instances on the HTTP thread (default 1). */
export function runThreads(value = process.env.GRIDFLOW_RUN_THREADS): number {
  if (value === undefined || value === '') return 1;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 16) throw new Error(`GRIDFLOW_RUN_THREADS=${value}: expected a whole number from 0 to 16`);
  return n;
}

type Job = Extract<RunRequest, { op: 'start' | 'apply' }>;

interface Shard {
  send(req: RunRequest): Promise<RunReply | Held | null>;
  stop(): Promise<void>;
  defs: Set<string>;
  keysLeft: number;
  /** the version of the registered FEEL functions the shard has stand-ins for; null: it shares this thread's */
  feelVersion: number | null;
}

export class RunHost {
  private shards: Shard[];

  constructor(private readonly keys: KeyAllocator, threads = runThreads(), cacheKib = runCacheBudgetKib()) {
    this.shards = threads === 0 ? [inline(cacheKib)] : Array.from({ length: threads }, () => new ThreadShard(cacheKib));
  }

  private shard(pik: string) {
    return this.shards[Number(pik.slice(-6)) % this.shards.length]!;
  }

  /** Run a start or command; `moreKeys`: hand over that many keys first (a run ran out of them). */
  async run(req: Job, def: Definition, moreKeys?: number): Promise<RunReply> {
    const shard = this.shard(req.pik);
    if (moreKeys || shard.keysLeft < KEYS_LOW) {
      const n = Math.max(KEYS_BLOCK, moreKeys ?? 0);
      shard.keysLeft += n;
      req.keys = await this.keys.handOver(n);
    }
    // Between here and the send nothing waits: requests reach the thread in this order.
    if (!shard.defs.has(def.key)) { req.definition = def; shard.defs.add(def.key); }
    if (shard.feelVersion !== null) {
      const feel = feelFunctionList();
      if (feel.version !== shard.feelVersion) { req.feel = feel; shard.feelVersion = feel.version; }
    }
    const reply = (await shard.send(req)) as RunReply;
    shard.keysLeft = reply.keysLeft;
    return reply;
  }

  /** Drop a held run (its revision lost a race, or was written by other means). */
  forget(pik: string) { void this.shard(pik).send({ op: 'forget', pik }); }

  /** The runs held in memory, over all threads (for the benchmark). */
  async held(): Promise<Held> {
    const all = (await Promise.all(this.shards.map((s) => s.send({ op: 'held' })))) as Held[];
    return { runs: all.reduce((n, h) => n + h.runs, 0), kib: all.reduce((n, h) => n + h.kib, 0) };
  }

  async stop() { await Promise.all(this.shards.map((s) => s.stop())); }
}

function inline(cacheKib: number): Shard {
  const runs = new Runs(cacheKib);
  return { send: (req) => runs.handle(req), stop: async () => {}, defs: new Set(), keysLeft: 0, feelVersion: null };
}

/** A worker thread running runs.ts, started when first needed and again if it dies. */
class ThreadShard implements Shard {
  defs = new Set<string>();
  keysLeft = 0;
  feelVersion = -1;
  private current: { worker: Worker; waiting: Map<number, (r: any) => void> } | null = null;
  private next = 0;

  constructor(private readonly cacheKib: number) {}

  send(req: RunRequest): Promise<RunReply | Held | null> {
    if (req.op === 'forget') { this.current?.worker.postMessage({ id: -1, req }); return Promise.resolve(null); } // no thread, nothing held
    const { worker, waiting } = this.current ?? this.spawn();
    const id = this.next++;
    if (!waiting.size) worker.ref(); // a caller waits: keep the process up until it is answered
    return new Promise((resolve) => { waiting.set(id, resolve); worker.postMessage({ id, req }); });
  }

  private spawn() {
    const url = new URL('./run-worker.ts', import.meta.url).href;
    // The platform runs its TypeScript through tsx; a worker's entry needs it registered too.
    const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url)}); });`;
    const feel = serveFeelFunctions();
    const worker = new Worker(boot, { eval: true, workerData: { feel: feel.bridge, cacheKib: this.cacheKib }, transferList: [feel.bridge.port] });
    const waiting = new Map<number, (r: any) => void>();
    worker.unref();
    worker.on('message', ({ id, reply }: { id: number; reply: RunReply }) => {
      const done = waiting.get(id);
      waiting.delete(id);
      if (!waiting.size) worker.unref();
      done?.(reply);
    });
    const died = (err: Error) => {
      feel.close();
      if (this.current?.worker === worker) this.reset();
      const error = { kind: 'runtime' as const, status: 503 as const, code: 'UNAVAILABLE', message: `The run thread stopped (${err.message}); try again` };
      for (const done of waiting.values()) done({ ok: false, error, keysLeft: 0 });
      waiting.clear();
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`exit code ${code}`)));
    this.current = { worker, waiting };
    return this.current;
  }

  /** What a new thread has not been sent yet. */
  private reset() {
    this.current = null;
    this.defs.clear();
    this.keysLeft = 0;
    this.feelVersion = -1;
  }

  async stop() {
    const w = this.current?.worker;
    this.reset();
    await w?.terminate();
  }
}
