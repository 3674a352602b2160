// An embedded runtime on a fresh test database, with a clock the test moves.
import { EmbeddedRuntime } from '../../engine/embedded/embedded-runtime.ts';
import { testDatabase } from './database.ts';

export class TestClock {
  offset = 0;
  now = () => Date.now() + this.offset;
  advance(ms: number) { this.offset += ms; }
}

export async function testRuntime(name: string, opts: { timers?: boolean } = {}) {
  const db = await testDatabase(name);
  const clock = new TestClock();
  const runtime = new EmbeddedRuntime({ connection: db.connection, clock, timers: opts.timers ?? false });
  await runtime.start();
  return { runtime, clock, db };
}

export const deployXml = (runtime: EmbeddedRuntime, name: string, xml: string) =>
  runtime.deploy([{ name, content: xml }]);
