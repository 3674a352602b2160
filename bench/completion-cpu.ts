// CPU and garbage-collection time per command of the embedded runtime, without HTTP: starts, then
// completions of user tasks on runs held in memory (recent) and on instances resumed from their
// stored state. For comparing node flags or runtime changes back to back on a busy machine, where
// CPU per operation holds up better than rates:
//   node [flags] --import tsx bench/completion-cpu.ts      (BENCH_START_COUNT: instances started, 1500)
// `gc` is the time garbage collections took (their pauses and parallel work), per operation.
import { PerformanceObserver } from 'node:perf_hooks';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { openDatabase, withDbName, defaultDbName } from '../engine/db/connect.ts';
import { startLocalServer } from '../engine/db/local-server.ts';
import { EmbeddedRuntime } from '../engine/embedded/embedded-runtime.ts';
import { PROCESS_ID, XML } from './two-tasks.ts';

let gcMs = 0;
new PerformanceObserver((l) => { for (const e of l.getEntries()) gcMs += e.duration; }).observe({ entryTypes: ['gc'] });
const N = Number(process.env.BENCH_START_COUNT ?? 1500), C = 32;
const dir = await mkdtemp(path.join(os.tmpdir(), 'gridflow-bench-cpu-'));
const server = await startLocalServer(dir);
const db = await openDatabase({ uri: withDbName(server.uri, defaultDbName) });
const runtime = new EmbeddedRuntime({ connection: db.connection });
await runtime.start();
await runtime.deploy([{ name: 'bench.bpmn', content: XML }] as any);
async function pool<T>(items: T[], fn: (t: T) => Promise<unknown>) {
  let i = 0;
  await Promise.all(Array.from({ length: C }, async () => { while (i < items.length) await fn(items[i++]!); }));
}
async function measure(name: string, items: any[], fn: (t: any) => Promise<unknown>) {
  const c0 = process.cpuUsage(); const g0 = gcMs; const t0 = performance.now();
  await pool(items, fn);
  await runtime.idle();
  const cpu = process.cpuUsage(c0); const wall = performance.now() - t0;
  console.log(`${name.padEnd(10)} n=${items.length} cpu ${(((cpu.user + cpu.system) / 1000) / items.length).toFixed(2)} ms/op  gc ${((gcMs - g0) / items.length).toFixed(2)} ms/op  wall ${(wall / items.length).toFixed(2)} ms/op`);
}
const tasks = async (order: 'ASC' | 'DESC', n: number) => (await runtime.searchUserTasks({ filter: { state: 'CREATED', elementId: 'first' }, sort: [{ field: 'creationDate', order }], page: { from: 0, limit: n } } as any)).items.map((t) => t.userTaskKey);
await pool(Array.from({ length: 100 }, (_, i) => i), (i) => runtime.createProcessInstance({ processDefinitionId: PROCESS_ID, variables: { i } } as any));
await pool(await tasks('ASC', 100), (k) => runtime.completeUserTask(k, { ok: true }));
await measure('start', Array.from({ length: N }, (_, i) => i), (i) => runtime.createProcessInstance({ processDefinitionId: PROCESS_ID, variables: { order: i, customer: `c-${i % 97}` } } as any));
await measure('recent', await tasks('DESC', 500), (k) => runtime.completeUserTask(k, { approved: true }));
await measure('resumed', await tasks('ASC', 600), (k) => runtime.completeUserTask(k, { approved: true }));
await runtime.stop(); await db.close(); await server.stop(); await rm(dir, { recursive: true, force: true });
process.exit(0);
