// Prints what running a handler in a plugin thread costs: a job at a time, many at once on two
// threads, and the first job of a new pool (thread start, tsx, the handler's module).
//   node --import tsx plugins/host/measure.ts
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ActivatedJob } from '../../engine/runtime.ts';
import { Sandbox, type Health, type JobTypeSpec } from './sandbox.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'gridflow-measure-'));
writeFileSync(path.join(dir, 'echo.mjs'), 'export default (job) => ({ echoed: job.variables.n });');
const spec: JobTypeSpec = { type: 'measure.echo', module: path.join(dir, 'echo.mjs'), exportName: 'default', timeoutMs: 5_000, concurrency: 2, retryBackOffMs: 0 };
const health = (): Health => ({ completed: 0, failed: 0, bpmnErrors: 0, timedOut: 0, lastRunAt: null, lastError: null });
const sandbox = (threads: number) => new Sandbox({ pluginId: 'measure', env: process.env, secrets: [], settings: async () => ({}), log: () => {}, now: Date.now, health: health() }, threads);
const job = (n: number) => ({ jobKey: String(n), type: spec.type, retries: 3, customHeaders: {}, variables: { n, payload: 'x'.repeat(1_000) } }) as unknown as ActivatedJob;

const cold = sandbox(1);
let t0 = performance.now();
await cold.run(spec, job(0));
const firstJobMs = performance.now() - t0;
await cold.stop();

const warm = sandbox(2);
await Promise.all([warm.run(spec, job(0)), warm.run(spec, job(1))]);
const SEQUENTIAL = 500;
t0 = performance.now();
for (let i = 0; i < SEQUENTIAL; i++) await warm.run(spec, job(i));
const sequentialMs = (performance.now() - t0) / SEQUENTIAL;
const PARALLEL = 1_000;
t0 = performance.now();
await Promise.all(Array.from({ length: PARALLEL }, (_, i) => warm.run(spec, job(i))));
const perSecond = PARALLEL / ((performance.now() - t0) / 1_000);
await warm.stop();

console.log(`first job on a new pool:        ${firstJobMs.toFixed(0)} ms`);
console.log(`one job at a time:              ${sequentialMs.toFixed(2)} ms per job (${SEQUENTIAL} jobs)`);
console.log(`${PARALLEL} jobs at once, 2 threads: ${perSecond.toFixed(0)} jobs/s`);
