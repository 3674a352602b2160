// The platform as a child process (`node --import tsx web/main.ts`), for tests that crash it,
// restart it, or run several of it on one database. Every child started here is tracked, so a
// test's after hook (killAllPlatforms) and the test process's exit take them all down.
// The HTTP helpers speak /v2 with fetch and tell "the server answered" (HttpError, with the
// status) apart from "no answer" (ConnectionError: refused, reset, timed out), after which the
// outcome of the request is unknown.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STARTUP_MS = 60_000;

const live = new Set<Platform>();
process.once('exit', () => { for (const p of live) p.child?.kill('SIGKILL'); });

/** Kill every platform child still running (for after hooks; safe to call twice). */
export async function killAllPlatforms(): Promise<void> {
  await Promise.all([...live].map((p) => p.kill('SIGKILL')));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface PlatformOptions {
  /** MONGODB_URI of the child: the test database it shares with the test (and other children). */
  uri: string;
  /** Name in log lines. */
  name?: string;
  /** Fixed port; default a free one, kept across restarts. */
  port?: number;
  /** Extra environment (GRIDFLOW_UNPROTECTED_API is 'true' and the demo seed off unless set here). */
  env?: Record<string, string>;
  /** Echo the child's output (also when GRIDFLOW_TEST_VERBOSE is set). */
  verbose?: boolean;
}

export class Platform {
  child: ChildProcess | null = null;
  readonly name: string;
  readonly client: Client;
  /** How many times the child was started. */
  starts = 0;
  private lines: string[] = [];
  private exited: Promise<void> = Promise.resolve();

  private constructor(readonly opts: PlatformOptions, readonly port: number) {
    this.name = opts.name ?? `platform:${port}`;
    this.client = new Client(this.baseUrl);
  }

  get baseUrl() { return `http://127.0.0.1:${this.port}`; }
  get running() { return this.child !== null; }

  static async start(opts: PlatformOptions): Promise<Platform> {
    const p = new Platform(opts, opts.port ?? await freePort());
    live.add(p);
    try {
      await p.spawn();
    } catch (err) {
      await p.kill('SIGKILL');
      throw err;
    }
    return p;
  }

  private async spawn() {
    this.starts++;
    const child = spawn(process.execPath, ['--import', 'tsx', 'web/main.ts'], {
      cwd: ROOT,
      // The load drivers here act as everyone at once (start, complete any task, work jobs): the
      // child runs with the API unprotected (docs/security.md); opts.env can turn that off.
      // The engine API runs unprotected in tests (no logins to bootstrap); opts.env may turn that off.
      env: { ...process.env, GRIDFLOW_UNPROTECTED_API: 'true', GRIDFLOW_DEMO_SEED: 'false', GRIDFLOW_DEMO_FLOWS: 'false', ...this.opts.env, PORT: String(this.port), MONGODB_URI: this.opts.uri },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const verbose = this.opts.verbose || !!process.env.GRIDFLOW_TEST_VERBOSE;
    const log = (stream: string) => (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue;
        this.lines.push(`[${this.name}#${this.starts} ${stream}] ${line}`);
        if (verbose) console.log(this.lines[this.lines.length - 1]);
      }
      if (this.lines.length > 500) this.lines.splice(0, this.lines.length - 500);
    };
    child.stdout!.on('data', log('out'));
    child.stderr!.on('data', log('err'));
    let exitInfo: string | null = null;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      exitInfo = `exit code ${code}, signal ${signal}`;
      if (this.child === child) this.child = null;
      resolve();
    }));
    const until = Date.now() + STARTUP_MS;
    for (;;) {
      if (exitInfo) throw new Error(`${this.name} exited while starting (${exitInfo}):\n${this.output()}`);
      if (Date.now() > until) throw new Error(`${this.name} did not answer GET /v2/topology within ${STARTUP_MS} ms:\n${this.output()}`);
      try {
        const res = await fetch(`${this.baseUrl}/v2/topology`, { signal: AbortSignal.timeout(2_000) });
        await res.arrayBuffer();
        if (res.ok) return;
      } catch { /* not listening yet */ }
      await sleep(50);
    }
  }

  /** Send `signal` (SIGKILL: a crash) and wait until the child is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (child) {
      child.kill(signal);
      if (signal !== 'SIGKILL') {
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await this.exited;
        clearTimeout(t);
      } else await this.exited;
    }
    live.delete(this);
  }

  /** Kill (SIGKILL) if running, then start again on the same port, with the same database. */
  async restart(): Promise<void> {
    await this.kill('SIGKILL');
    live.add(this);
    try {
      await this.spawn();
    } catch (err) {
      await this.kill('SIGKILL');
      throw err;
    }
  }

  /** A graceful stop (SIGTERM, SIGKILL after 10 s). */
  stop() { return this.kill('SIGTERM'); }

  /** The child's recent output, for failure messages. */
  output(lines = 80) { return this.lines.slice(-lines).join('\n'); }

  /** Lines the child wrote to stderr (all starts, most recent 500 lines of output kept). */
  errors() { return this.lines.filter((l) => / err\] /.test(l)); }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---- HTTP ---------------------------------------------------------------------------------------

export class HttpError extends Error {
  constructor(readonly method: string, readonly path: string, readonly status: number, readonly body: any) {
    super(`${method} ${path} → ${status}: ${typeof body === 'object' ? body?.detail ?? JSON.stringify(body) : body}`);
    this.name = 'HttpError';
  }
}

/** No answer: refused, reset, or timed out. Whether the request took effect is unknown. */
export class ConnectionError extends Error {
  constructor(readonly method: string, readonly path: string, readonly reason: unknown) {
    super(`${method} ${path}: no answer (${describe(reason)})`);
    this.name = 'ConnectionError';
  }
}

function describe(err: any): string {
  const c = err?.cause;
  return [err?.name, c?.code ?? err?.code, c?.message ?? err?.message].filter(Boolean).join(' ');
}

export interface Page<T> { items: T[]; page: { totalItems: number } }

export class Client {
  constructor(readonly baseUrl: string, readonly timeoutMs = 30_000) {}

  async request(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, timeoutMs = this.timeoutMs): Promise<any> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(this.baseUrl + path, {
        method,
        headers: body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      throw new ConnectionError(method, path, err);
    }
    let parsed: any = text;
    try { parsed = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
    if (!res.ok) throw new HttpError(method, path, res.status, parsed);
    return parsed;
  }

  deploy(name: string, xml: string) {
    const form = new FormData();
    form.append('resources', new Blob([xml], { type: 'application/xml' }), name);
    return this.request('POST', '/v2/deployments', form);
  }

  createInstance(processDefinitionId: string, variables: Record<string, unknown> = {}): Promise<{ processInstanceKey: string; processDefinitionKey: string }> {
    return this.request('POST', '/v2/process-instances', { processDefinitionId, variables });
  }

  getInstance(key: string) { return this.request('GET', `/v2/process-instances/${key}`); }

  async searchInstances(filter: Record<string, unknown> = {}, limit = 1000): Promise<any[]> {
    return (await this.request('POST', '/v2/process-instances/search', { filter, page: { limit } }) as Page<any>).items;
  }

  async history(key: string): Promise<any[]> {
    return (await this.request('GET', `/v2/process-instances/${key}/history`)).items;
  }

  /** Long polls for up to requestTimeout ms (-1: answer at once); the fetch waits a little longer. */
  async activateJobs(req: { type: string; maxJobsToActivate: number; timeout: number; worker?: string; requestTimeout?: number }): Promise<any[]> {
    const wait = req.requestTimeout === undefined || req.requestTimeout === 0 ? 10_000 : Math.max(req.requestTimeout, 0);
    return (await this.request('POST', '/v2/jobs/activation', req, wait + this.timeoutMs)).jobs;
  }

  completeJob(key: string, variables?: Record<string, unknown>) {
    return this.request('POST', `/v2/jobs/${key}/completion`, variables === undefined ? {} : { variables });
  }

  async searchUserTasks(filter: Record<string, unknown> = {}, limit = 1000): Promise<any[]> {
    return (await this.request('POST', '/v2/user-tasks/search', { filter, page: { limit } }) as Page<any>).items;
  }

  completeUserTask(key: string, variables?: Record<string, unknown>) {
    return this.request('POST', `/v2/user-tasks/${key}/completion`, variables === undefined ? {} : { variables });
  }

  /** Variables with their values parsed (the API sends them as JSON text). */
  async searchVariables(filter: Record<string, unknown>, limit = 10_000): Promise<Array<{ name: string; value: unknown; scopeKey: string; processInstanceKey: string }>> {
    const page = await this.request('POST', '/v2/variables/search?truncateValues=false', { filter, page: { limit } }) as Page<any>;
    return page.items.map((v) => ({ ...v, value: JSON.parse(v.value) }));
  }

  async searchElementInstances(filter: Record<string, unknown>, limit = 10_000): Promise<any[]> {
    return (await this.request('POST', '/v2/element-instances/search', { filter, page: { limit } }) as Page<any>).items;
  }
}

/**
 * Run `fn` until the server answers: a ConnectionError (platform down or killed mid-request) or a
 * 503 is retried every `pauseMs` until `deadline`. `attempts` tells whether an answer came after a
 * retry, in which case an earlier attempt may have taken effect already.
 */
export async function untilAnswered<T>(fn: () => Promise<T>, opts: { deadline: number; pauseMs?: number; label?: string }): Promise<{ value: T; attempts: number }> {
  for (let attempts = 1; ; attempts++) {
    try {
      return { value: await fn(), attempts };
    } catch (err) {
      const retry = err instanceof ConnectionError || (err instanceof HttpError && err.status === 503);
      if (!retry) { (err as any).attempts = attempts; throw err; }
      if (Date.now() > opts.deadline) throw new Error(`${opts.label ?? 'request'}: no answer before the deadline (${(err as Error).message})`);
      await sleep(opts.pauseMs ?? 100);
    }
  }
}

/** A seeded generator (the demo zone's mulberry32), so a failing chaos run can be replayed with its seed. */
export { random as seededRandom } from '../../processes/demo/names.ts';

// ---- history ------------------------------------------------------------------------------------

/**
 * What is wrong with an instance's history, given the element ids expected to complete (the
 * process id included, once per completion): sequence numbers must run 1..n without gaps or
 * repeats, every element instance must be activated once and completed once, and nothing may be
 * terminated or raise an incident. An empty list means the history is exactly as expected.
 */
export function historyProblems(history: any[], expectedCompleted: string[]): string[] {
  const problems: string[] = [];
  history.forEach((h, n) => { if (h.seq !== n + 1) problems.push(`entry ${n} has seq ${h.seq}, expected ${n + 1}`); });
  const activated = new Map<string, number>();
  const completed = new Map<string, number>();
  for (const h of history) {
    if (h.event === 'ELEMENT_ACTIVATED') activated.set(h.elementInstanceKey, (activated.get(h.elementInstanceKey) ?? 0) + 1);
    if (h.event === 'ELEMENT_COMPLETED') completed.set(h.elementInstanceKey ?? h.processInstanceKey, (completed.get(h.elementInstanceKey ?? h.processInstanceKey) ?? 0) + 1);
    if (h.event === 'ELEMENT_TERMINATED' || h.event === 'INCIDENT_CREATED') problems.push(`${h.event} ${h.elementId}: ${h.detail ?? ''}`);
  }
  for (const [k, n] of completed) if (n !== 1) problems.push(`element instance ${k} completed ${n} times`);
  for (const [k, n] of activated) {
    if (n !== 1) problems.push(`element instance ${k} activated ${n} times`);
    if (!completed.has(k)) problems.push(`element instance ${k} activated but never completed`);
  }
  const ids = history.filter((h) => h.event === 'ELEMENT_COMPLETED').map((h) => h.elementId).sort();
  const want = [...expectedCompleted].sort();
  if (JSON.stringify(ids) !== JSON.stringify(want)) problems.push(`completed elements ${JSON.stringify(ids)}, expected ${JSON.stringify(want)}`);
  return problems;
}
