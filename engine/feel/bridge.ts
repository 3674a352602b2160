// Registered FEEL functions (functions.ts) on another thread: a thread that evaluates FEEL for the
// platform (a run thread) gets a stand-in for each function, which calls the real one on the
// thread that registered it and waits for the answer (Atomics.wait), since FEEL calls are
// synchronous. The registering thread answers on its event loop, which is free meanwhile: it is
// waiting for the evaluating thread's reply.
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { callFeelFunction, registerFeelFunction } from './functions.ts';
import { fromTransfer, toTransfer } from './transfer.ts';

export interface FeelBridge { port: MessagePort; shared: SharedArrayBuffer }
export interface FeelFunctionList { version: number; functions: Array<{ name: string; params: string[] }> }

const ANSWER_MS = 30_000;

/** The registering side: answers calls coming over the returned bridge (hand it to the thread). */
export function serveFeelFunctions(): { bridge: FeelBridge; close(): void } {
  const { port1, port2 } = new MessageChannel();
  const shared = new SharedArrayBuffer(4);
  const signal = new Int32Array(shared);
  port1.on('message', ({ id, name, args }: { id: number; name: string; args: unknown[] }) => {
    let answer: { id: number; value?: unknown; error?: string };
    try {
      answer = { id, value: toTransfer(callFeelFunction(name, fromTransfer(args) as unknown[])) };
    } catch (err) {
      answer = { id, error: err instanceof Error ? err.message : String(err) };
    }
    port1.postMessage(answer);
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  });
  port1.unref();
  return { bridge: { port: port2, shared }, close: () => port1.close() };
}

/** The evaluating side: registers stand-ins for the functions listed, dropping those no longer listed. */
export function useRemoteFeelFunctions(bridge: FeelBridge) {
  const signal = new Int32Array(bridge.shared);
  const unregister = new Map<string, () => void>();
  let next = 0;
  const call = (name: string, args: unknown[]) => {
    const id = next++;
    const deadline = Date.now() + ANSWER_MS;
    Atomics.store(signal, 0, 0);
    bridge.port.postMessage({ id, name, args: toTransfer(args) });
    for (;;) {
      const m = receiveMessageOnPort(bridge.port)?.message as { id: number; value?: unknown; error?: string } | undefined;
      if (m?.id === id) {
        if (m.error !== undefined) throw new Error(m.error);
        return fromTransfer(m.value);
      }
      if (m) continue; // the late answer to a call that timed out
      if (Date.now() > deadline) throw new Error(`the function '${name}' did not answer within ${ANSWER_MS} ms`);
      // Short waits: a notification that came between reading the port and waiting is not lost.
      Atomics.wait(signal, 0, 0, 50);
      Atomics.store(signal, 0, 0);
    }
  };
  return (list: FeelFunctionList) => {
    const names = new Set(list.functions.map((f) => f.name));
    for (const [name, drop] of unregister) if (!names.has(name)) { drop(); unregister.delete(name); }
    for (const { name, params } of list.functions) unregister.set(name, registerFeelFunction(name, (...args: unknown[]) => call(name, args), params));
  };
}
