// What copies of an element (engine/embedded/tokens.ts) cost a run: bpmn-engine resuming a
// three-tier handling instance from its stored state and serialising it again, as a command does,
// on compiles with no copies and with 8 and 32 copies of each element a token may reach while busy.
// In memory, no HTTP, no database. Run: node --import tsx bench/copies.ts
import { readFileSync } from 'node:fs';
import { Engine } from 'bpmn-engine';
import { compile, elements } from '../engine/embedded/compile.ts';

const PROCESS_ID = 'three-tier-handling';
const xml = readFileSync(new URL('../processes/diagrams/three-tier-handling.bpmn', import.meta.url), 'utf8');
const RUNS = Number(process.env.BENCH_RUNS ?? 300);
// The reminders' tasks, downstream of the non-interrupting boundary timers.
const BUSY = ['warned_t1', 'warned_t2', 'warned_t3'];

const quiet = { debug() {}, error() {}, warn() {} };
const timers = { now: () => Date.now(), executing: [], register: () => ({ setTimeout: () => ({}), clearTimeout() {} }), setTimeout: () => ({}), clearTimeout() {} };
// Every expression answers a date far ahead: the instance waits at its first task with its timers set.
const expressions = { resolveExpression: (e: unknown) => (typeof e === 'string' && e.startsWith('=') ? '2099-01-01T00:00:00Z' : e), isExpression: () => false, hasExpression: () => false };

async function perResume(slots: number) {
  const copies = slots > 1 ? Object.fromEntries(BUSY.map((id) => [id, slots])) : {};
  const { sourceContext } = await compile(xml, PROCESS_ID, copies);
  const engine = () => new Engine(<any>{ name: 'bench', sourceContext, elements, timers, expressions, Logger: () => quiet, settings: { enableDummyService: false, strict: false, disableTrackState: true } });
  const first = engine();
  await first.execute();
  const state = JSON.stringify(first.execution.getState());
  const t0 = performance.now();
  for (let i = 0; i < RUNS; i++) {
    const run = engine();
    run.recover(JSON.parse(state));
    await run.resume();
    JSON.stringify(run.execution.getState());
  }
  return (performance.now() - t0) / RUNS;
}

const rows: Array<[string, number]> = [];
for (const round of [1, 2]) {
  for (const slots of [1, 8, 32]) {
    const ms = await perResume(slots);
    rows.push([`round ${round}, ${slots === 1 ? 'no copies' : `${slots} copies of ${BUSY.length} elements`}`, ms]);
    console.log(`${rows.at(-1)![0]}: ${ms.toFixed(2)} ms per resume (${RUNS} resumes)`);
  }
}
const base = rows.filter(([n]) => n.includes('no copies')).reduce((s, [, v]) => s + v, 0) / 2;
for (const slots of [8, 32]) {
  const ms = rows.filter(([n]) => n.includes(`${slots} copies`)).reduce((s, [, v]) => s + v, 0) / 2;
  console.log(`${slots} copies: ${(ms / base).toFixed(2)}× the run without copies`);
}
console.log(`Command: node --import tsx bench/copies.ts (BENCH_RUNS=${RUNS}), load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
