// Where a scenario runs: a Runtime plus the two things that differ between runtimes — how time
// moves (a test clock on the embedded runtime and the test gateway's backend, real time on a
// cluster) and how soon a read shows a command's effect (at once on the embedded runtime,
// eventually on a cluster, whose searches are served from secondary storage).
import type { Runtime } from '../../engine/runtime.ts';
import { ZeebeRuntime } from '../../engine/zeebe/zeebe-runtime.ts';
import { testDatabase } from '../helpers/database.ts';
import { testRuntime } from '../helpers/runtime.ts';
import { startTestCluster } from '../helpers/zeebe-gateway.ts';

export interface Harness {
  runtime: Runtime;
  /** Let `ms` of process time pass (timers, message time-to-live, retry back-off). */
  advance(ms: number): Promise<void>;
  /** A process id unique to this run: a real cluster keeps what earlier runs deployed. */
  id(base: string): string;
  close(): Promise<void>;
}

export type MakeHarness = (name: string) => Promise<Harness>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const embeddedHarness: MakeHarness = async (name) => {
  const { runtime, clock } = await testRuntime(`scenario_${name}`, { timers: false });
  return {
    runtime,
    async advance(ms) { clock.advance(ms); await runtime.timers.tick(); await runtime.idle(); },
    id: (base) => base,
    close: () => runtime.stop(),
  };
};

/** ZeebeRuntime through the test gateway (gRPC) and Gridflow's REST server, over an embedded engine. */
export const gatewayHarness: MakeHarness = async (name) => {
  const cluster = await startTestCluster(`scenario_gw_${name}`);
  const db = await testDatabase(`scenario_zb_${name}`);
  const runtime = new ZeebeRuntime({ connection: db.connection, config: cluster.config, consistencyWaitMs: 0 });
  await runtime.start();
  return {
    runtime,
    async advance(ms) { cluster.clock.advance(ms); await cluster.backend.timers.tick(); await cluster.backend.idle(); },
    id: (base) => base,
    async close() { await runtime.stop(); await cluster.stop(); },
  };
};

/** The address a real cluster is configured with, if any (the SDK's own variables). */
export const clusterAddress = () => process.env.ZEEBE_GRPC_ADDRESS ?? process.env.ZEEBE_ADDRESS;

/** ZeebeRuntime on the cluster the environment names. */
export const clusterHarness: MakeHarness = async (name) => {
  const db = await testDatabase(`scenario_cluster_${name}`);
  const runtime = new ZeebeRuntime({ connection: db.connection });
  await runtime.start();
  const run = Date.now().toString(36);
  return {
    runtime,
    advance: async (ms) => { await sleep(ms + 1_000); },
    id: (base) => `${base}_${run}`,
    close: () => runtime.stop(),
  };
};

/** Polls a read until it satisfies `ok` (reads on a cluster are eventually consistent). */
export async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T | undefined;
  let error: unknown;
  for (;;) {
    try {
      last = await read();
      error = undefined;
      if (ok(last)) return last;
    } catch (err) { error = err; }
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}; last ${error ? `error: ${(error as Error).message}` : `value: ${JSON.stringify(last)?.slice(0, 800)}`}`);
    await sleep(50);
  }
}
