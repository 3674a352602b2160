// Time bound for FEEL. feelin evaluates synchronously, so an expression that iterates
// (`for … in 1..100000000 return …`, `some`/`every`, user-defined functions that may recurse)
// is evaluated on a worker thread and waited for synchronously (Atomics.wait): past
// MAX_EVALUATION_MS the worker is terminated and the evaluation fails with a LIMIT error. Plain
// expressions (comparisons, paths, calls of built-ins: nearly all of them) run on the caller's
// thread, which costs nothing.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { parseExpression } from 'feelin';
import { FEEL_DIALECT } from './parse.ts';

export const MAX_EVALUATION_MS = 1_000;
const ITERATING = new Set(['ForExpression', 'QuantifiedExpression', 'FunctionDefinition']);

/** Whether an expression can run for long: it iterates or defines functions. */
export function mayIterate(feel: string): boolean {
  if (!/\b(for|some|every|function)\b/.test(feel)) return false;
  let found = false;
  try {
    parseExpression(feel, {}, FEEL_DIALECT).iterate({ enter(n) { if (ITERATING.has(n.name)) found = true; } });
  } catch {
    return false; // a syntax error is reported by the evaluation itself
  }
  return found;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const signal = new Int32Array(workerData.shared);
let feelin;
// JSON as Zeebe stores it: functions and ranges become null, temporal values their ISO text.
const plain = (v) => {
  if (v === undefined || v === null || typeof v === 'function' || feelin.isFunction(v) || feelin.isRange(v)) return null;
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object') {
    if (Object.getPrototypeOf(v) !== Object.prototype) return typeof v.toString === 'function' ? v.toString() : null;
    const out = {};
    for (const [k, x] of Object.entries(v)) out[k] = plain(x);
    return out;
  }
  return typeof v === 'number' && !Number.isFinite(v) ? null : v;
};
// now() and today() at the caller's clock, when it sent one (clock.ts).
const clockFunctions = (clock) => ({
  now: Object.assign(() => feelin.dateAndTime(clock.now), { $args: [] }),
  today: Object.assign(() => feelin.parseDate(clock.today), { $args: [] }),
});
parentPort.on('message', async ({ port, feel, context, clock, dialect }) => {
  let reply;
  try {
    feelin ??= await import(workerData.feelin);
    const { value, warnings } = feelin.evaluate(feel, clock ? { ...clockFunctions(clock), ...context } : context, dialect);
    reply = { ok: true, value: plain(value), warnings: warnings.map((w) => ({ type: w.type, message: w.message })) };
  } catch (err) {
    reply = { ok: false, name: err && err.name, message: String(err && err.message || err) };
  }
  port.postMessage(reply);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

const feelinUrl = pathToFileURL(createRequire(import.meta.url).resolve('feelin')).href;
let worker: Worker | null = null;
let shared: SharedArrayBuffer;
let signal: Int32Array;

function ensureWorker() {
  if (worker) return worker;
  shared = new SharedArrayBuffer(4);
  signal = new Int32Array(shared);
  worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared, feelin: feelinUrl } });
  worker.unref();
  return worker;
}

export type SandboxResult = { ok: true; value: unknown; warnings: Array<{ type: string; message: string }> } | { ok: false; name?: string; message: string; timedOut?: boolean };

/**
 * Evaluate on the worker, waiting at most MAX_EVALUATION_MS (the first call also waits for the worker
 * to start). `clock`: what now() and today() answer (clock.ts), when not the machine's clock.
 */
export function evaluateBounded(feel: string, context: Record<string, unknown>, clock?: { now: string; today: string }): SandboxResult {
  const w = ensureWorker();
  const { port1, port2 } = new MessageChannel();
  Atomics.store(signal, 0, 0);
  let plain: Record<string, unknown>;
  try {
    plain = JSON.parse(JSON.stringify(context, (_k, v) => (typeof v === 'function' ? undefined : v)));
  } catch {
    plain = {};
  }
  w.postMessage({ port: port2, feel, context: plain, clock, dialect: FEEL_DIALECT }, [port2 as unknown as MessagePort]);
  const started = Date.now();
  // The first evaluation also pays for the worker's start and its loading of feelin.
  const budget = MAX_EVALUATION_MS + (starting ? 5_000 : 0);
  for (;;) {
    const left = budget - (Date.now() - started);
    if (left <= 0 || Atomics.wait(signal, 0, 0, left) === 'timed-out') {
      void w.terminate();
      worker = null;
      port1.close();
      starting = true;
      return { ok: false, timedOut: true, message: `evaluation took longer than ${MAX_EVALUATION_MS} ms and was stopped` };
    }
    const got = receiveMessageOnPort(port1);
    if (got) {
      port1.close();
      starting = false;
      return got.message as SandboxResult;
    }
  }
}
let starting = true;
