// Keys look like Zeebe's: partition id in the upper bits (partition 1), a counter below.
// Each process claims numbered blocks of keys by a unique insert, so several processes sharing
// a database never hand out the same key. Runs take keys synchronously from a pool filled beforehand.
import { KeyPoolEmpty } from './instance.ts';
import type { Store } from './store.ts';

const PARTITION_OFFSET = 1n << 51n;
const BLOCK = 1000;

export class KeyAllocator {
  private ranges: Array<[number, number]> = [];
  private pending: Promise<void> | null = null;
  constructor(private readonly store: Store) {}

  private get available() { return this.ranges.reduce((n, [a, b]) => n + b - a, 0); }

  async ensure(n: number) {
    while (this.available < n) {
      this.pending ??= this.reserve(Math.max(BLOCK, n)).finally(() => { this.pending = null; });
      await this.pending;
    }
  }

  take(): string {
    const r = this.ranges[0];
    if (!r) throw new KeyPoolEmpty('key pool empty');
    const k = r[0]++;
    if (r[0] >= r[1]) this.ranges.shift();
    return (PARTITION_OFFSET + BigInt(k)).toString();
  }

  async key(): Promise<string> {
    await this.ensure(1);
    return this.take();
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
