// The one door to the engine for the rest of the platform: which runtime runs is decided here.
import type { Connection } from 'mongoose';
import { EmbeddedRuntime } from './embedded/embedded-runtime.ts';
import type { Runtime } from './runtime.ts';

export type { Runtime } from './runtime.ts';
export { RuntimeError } from './runtime.ts';
export { openDatabase } from './db/connect.ts';

export async function createRuntime(opts: { connection: Connection; kind?: string }): Promise<Runtime> {
  const kind = opts.kind ?? process.env.GRIDFLOW_RUNTIME ?? 'embedded';
  if (kind !== 'embedded') throw new Error(`GRIDFLOW_RUNTIME=${kind}: only the embedded runtime exists so far`);
  return new EmbeddedRuntime({ connection: opts.connection });
}
