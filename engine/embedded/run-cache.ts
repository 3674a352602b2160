// Instance runs a run thread keeps alive between commands, so a command on an instance it ran a
// moment ago skips resuming bpmn-engine from the stored state. A run's Engine holds brokers,
// queues and consumers for every element of its process, idle ones included: measured on
// bpmn-engine 25 at about 256 KiB plus 34 KiB per element or sequence flow (a two-task process:
// ~0.5 MiB; sixty elements: ~2.3 MiB). The cache is bounded by that estimate rather than by a
// count, so large diagrams cannot take the heap with them.

/**
 * Estimated heap the cached runs may take (KiB): GRIDFLOW_RUN_CACHE_MIB, else none. Measured
 * with the runs on their own thread (bench/README.md), any cache made commands dearer: a cached
 * run lives long enough to be promoted to the old generation, so evicting it leaves work for full
 * collections, while a run made for one command dies young and costs a cheap scavenge.
 */
export function runCacheBudgetKib(value = process.env.GRIDFLOW_RUN_CACHE_MIB): number {
  if (value === undefined || value === '') return 0;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`GRIDFLOW_RUN_CACHE_MIB=${value}: expected a number of mebibytes, 0 or more`);
  return Math.floor(n * 1024);
}

/** The estimated heap of one run of a process with this many elements and sequence flows (KiB). */
export const runWeight = (elements: number) => 256 + 34 * elements;

export class RunCache<T> {
  private entries = new Map<string, { value: T; weight: number }>();
  private total = 0;

  constructor(private readonly budget: number) {}

  /** The run, now the most recently used. */
  get(key: string): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  /** Keep a run as the most recently used; the least recently used go while over budget. */
  set(key: string, value: T, weight: number): void {
    this.delete(key);
    if (!this.budget) return;
    this.entries.set(key, { value, weight });
    this.total += weight;
    for (const [oldest, e] of this.entries) {
      if (this.total <= this.budget || oldest === key) break;
      this.entries.delete(oldest);
      this.total -= e.weight;
    }
  }

  delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.total -= e.weight;
  }

  get size(): number { return this.entries.size; }
  /** Estimated heap of the cached runs (KiB). */
  get weight(): number { return this.total; }
}
