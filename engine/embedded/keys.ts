// Keys look like Zeebe's: partition id in the upper bits (partition 1), a counter below.
// Each process claims numbered blocks of keys by a unique insert, so several processes sharing
// a database never hand out the same key. Runs take keys synchronously from a pool filled beforehand.
import { KeyPoolEmpty } from './instance.ts';
import type { Store } from './store.ts';

const PARTITION_OFFSET = 1n << 51n;
const BLOCK = 1000;

/** Numbered key ranges taken from synchronously; a run thread holds one handed over by the allocator. */
export class KeyPool {
  protected ranges: Array<[number, number]> = [];

  get available() { return this.ranges.reduce((n, [a, b]) => n + b - a, 0); }

  add(ranges: Array<[number, number]>) { this.ranges.push(...ranges); }

  take(): string {
    const r = this.ranges[0];
    if (!r) throw new KeyPoolEmpty('key pool empty');
    const k = r[0]++;
    if (r[0] >= r[1]) this.ranges.shift();
    return (PARTITION_OFFSET + BigInt(k)).toString();
  }

  /** Up to n keys as ranges, removed from this pool. */
  protected split(n: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    while (n > 0 && this.ranges.length) {
      const r = this.ranges[0]!;
      const end = Math.min(r[1], r[0] + n);
      out.push([r[0], end]);
      n -= end - r[0];
      r[0] = end;
      if (r[0] >= r[1]) this.ranges.shift();
    }
    return out;
  }
}

export class KeyAllocator extends KeyPool {
  private pending: Promise<void> | null = null;
  constructor(private readonly store: Store) { super(); }

  async ensure(n: number) {
    while (this.available < n) {
      this.pending ??= this.reserve(Math.max(BLOCK, n)).finally(() => { this.pending = null; });
      await this.pending;
    }
  }

  /** n keys for another pool (a run thread's), reserved first if need be. */
  async handOver(n: number): Promise<Array<[number, number]>> {
    for (;;) {
      await this.ensure(n);
      if (this.available >= n) return this.split(n); // others may have taken keys meanwhile
    }
  }

  async key(): Promise<string> {
    for (;;) {
      await this.ensure(1);
      if (this.available) return this.take();
    }
  }

  private async reserve(size: number) {
    const blocks = Math.ceil(size / BLOCK);
    const last = await this.store.keyBlocks.findOne({}, { _id: 1 }).sort({ _id: -1 }).lean<any>();
    let n = (last?._id ?? 0) + 1;
    for (let got = 0; got < blocks; n++) {
      try {
        await this.store.keyBlocks.create({ _id: n, at: new Date() });
      } catch (err: any) {
        if (err?.code === 11000) continue;
        throw err;
      }
      this.ranges.push([n * BLOCK, (n + 1) * BLOCK]);
      got++;
    }
  }
}
