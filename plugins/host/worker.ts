// One job in a worker thread (piscina): import the plugin's handler module, call it with the job
// and its context, and answer with JSON text the host checks before anything reaches the runtime.
// The host stops the thread (worker.terminate) when the job's time is up, so a handler that hangs
// or busy-loops costs a thread, never the platform's event loop.
import type { MessagePort } from 'node:worker_threads';
import { format } from 'node:util';
import type { PluginJob } from './contract.ts';

export interface WorkerTask {
  module: string; // file URL of the handler module
  exportName: string;
  job: PluginJob;
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
  port: MessagePort;
  maxResultChars: number;
}

/** What a worker answers (as JSON text). */
export type WorkerAnswer =
  | { complete: Record<string, unknown> }
  | { error: { errorCode: string; errorMessage: string; variables?: Record<string, unknown> } }
  | { fail: { errorMessage: string; retries?: number; retryBackOffMs?: number } }
  | { threw: string }
  | { garbage: string };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `a ${value.constructor?.name ?? 'null-prototype'} object`;
  return `a ${typeof value}`;
}

/** JSON.stringify that refuses what JSON would silently drop or change. */
function strictJson(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, key, v: unknown) {
    const at = key === '' ? 'the result' : `'${key}'`;
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw new Error(`${at} is ${describe(v)}`);
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`${at} is ${v}`);
    if (v === undefined && Array.isArray(this)) throw new Error(`an element of a list is undefined`);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) throw new Error(`${at} is ${describe(v)}`);
    }
    return v;
  });
}

/** Handler modules, once per thread (thread.mjs lets TypeScript ones load through tsx). */
const modules = new Map<string, Promise<Record<string, unknown>>>();
function load(url: string): Promise<Record<string, unknown>> {
  let m = modules.get(url);
  if (!m) {
    m = import(url) as Promise<Record<string, unknown>>;
    m.catch(() => modules.delete(url));
    modules.set(url, m);
  }
  return m;
}

const field = (err: unknown, name: string): unknown => (err && typeof err === 'object' ? (err as Record<string, unknown>)[name] : undefined);
const messageOf = (err: unknown) => String(field(err, 'message') ?? err).slice(0, 2_000);

export default async function runJob(task: WorkerTask): Promise<string> {
  const { port } = task;
  const abort = new AbortController();
  port.on('message', (m) => { if (m === 'abort') abort.abort(new Error('the job ran out of time')); });
  const log = (level: string) => (...args: unknown[]) => port.postMessage({ log: level, text: format(...args).slice(0, 4_000) });
  try {
    port.postMessage({ started: true });
    const mod = await load(task.module);
    const handler = mod[task.exportName];
    if (typeof handler !== 'function') return JSON.stringify({ garbage: `the module exports no function '${task.exportName}'` });
    const result: unknown = await handler(task.job, {
      logger: { info: log('info'), warn: log('warn'), error: log('error') },
      settings: task.settings,
      secrets: task.secrets,
      signal: abort.signal,
    });
    if (result !== undefined && (result === null || typeof result !== 'object' || Array.isArray(result))) {
      return JSON.stringify({ garbage: `returned ${describe(result)}; a handler returns an object of variables or nothing` });
    }
    let text: string;
    try {
      text = strictJson({ complete: result ?? {} });
    } catch (err) {
      return JSON.stringify({ garbage: `returned variables that are not JSON: ${messageOf(err)}` });
    }
    if (text.length > task.maxResultChars) return JSON.stringify({ garbage: `returned ${text.length} characters of variables, more than the ${task.maxResultChars} allowed` });
    return text;
  } catch (err) {
    const name = field(err, 'name');
    if (name === 'BpmnError' && typeof field(err, 'errorCode') === 'string') {
      const variables = field(err, 'variables');
      try {
        const text = strictJson({ error: { errorCode: field(err, 'errorCode'), errorMessage: messageOf(err), ...(variables && typeof variables === 'object' ? { variables } : {}) } });
        if (text.length <= task.maxResultChars) return text;
        return JSON.stringify({ garbage: `threw a BPMN error whose variables are more than ${task.maxResultChars} characters` });
      } catch (e) {
        return JSON.stringify({ garbage: `threw a BPMN error whose variables are not JSON: ${messageOf(e)}` });
      }
    }
    if (name === 'JobFailure') {
      const o = (field(err, 'options') ?? {}) as Record<string, unknown>;
      return JSON.stringify({ fail: { errorMessage: messageOf(err), ...(Number.isInteger(o.retries) ? { retries: o.retries } : {}), ...(Number.isInteger(o.retryBackOffMs) ? { retryBackOffMs: o.retryBackOffMs } : {}) } });
    }
    return JSON.stringify({ threw: messageOf(err) });
  } finally {
    port.close();
  }
}
