// The one door to the engine for the rest of the platform: which runtime runs is decided here.
import type { Connection } from 'mongoose';
import { EmbeddedRuntime } from './embedded/embedded-runtime.ts';
import type { Runtime } from './runtime.ts';

export type { Runtime } from './runtime.ts';
export { RuntimeError } from './runtime.ts';
export { openDatabase } from './db/connect.ts';

/**
 * GRIDFLOW_RUNTIME=embedded (default) runs processes in this process; GRIDFLOW_RUNTIME=zeebe on
 * a Camunda 8 cluster, configured by @camunda8/sdk's environment variables (docs/zeebe.md).
 */
export async function createRuntime(opts: { connection: Connection; kind?: string }): Promise<Runtime> {
  const kind = opts.kind ?? process.env.GRIDFLOW_RUNTIME ?? 'embedded';
  if (kind === 'embedded') return new EmbeddedRuntime({ connection: opts.connection });
  if (kind === 'zeebe') {
    // Loaded only when chosen: the SDK is large and the embedded runtime does not need it.
    const { ZeebeRuntime } = await import('./zeebe/zeebe-runtime.ts');
    const ms = (name: string) => {
      const text = process.env[name];
      if (!text) return undefined;
      if (!/^\d+$/.test(text)) throw new Error(`${name}=${text}: expected a number of milliseconds`);
      return Number(text);
    };
    return new ZeebeRuntime({
      connection: opts.connection,
      userTaskLeaseMs: ms('GRIDFLOW_ZEEBE_USER_TASK_LEASE_MS'),
      consistencyWaitMs: ms('GRIDFLOW_ZEEBE_CONSISTENCY_WAIT_MS'),
      jobBasedUserTasks: process.env.GRIDFLOW_ZEEBE_JOB_USER_TASKS !== 'false',
    });
  }
  throw new Error(`GRIDFLOW_RUNTIME=${kind}: expected 'embedded' or 'zeebe'`);
}
