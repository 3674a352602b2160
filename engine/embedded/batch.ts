// Group commit: while an insert into a collection is on its way, further inserts into it queue up
// and go together in the next insertMany. On FerretDB an insert of twenty documents costs about
// what one does, while every update or delete scans its collection, so the read side is built
// from inserts only.
//
// When the connection runs one command at a time (maxPoolSize 1, as on FerretDB), a batch is only
// formed once the connection is free for it: documents that arrive while other collections' batches
// are on the wire still join, so fewer, larger inserts go out.
import type { Model } from 'mongoose';

interface Pending { docs: any[]; waiters: Array<{ from: number; to: number; resolve: (dups: Set<number>) => void; reject: (err: unknown) => void }> }

/** A counting semaphore handed out in arrival order. */
class Slots {
  private waiting: Array<() => void> = [];
  constructor(private free: number) {}
  async take(): Promise<void> {
    if (this.free > 0) { this.free--; return; }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

export class BatchInserter {
  private pending = new Map<Model<any>, Pending>();
  private busy = new Set<Model<any>>();
  private slots: Slots | null | undefined;

  /** One slot per connection when the pool is that small; no limit otherwise. */
  private slotsFor(model: Model<any>): Slots | null {
    if (this.slots === undefined) {
      const size = Number((model.db.getClient() as { options?: { maxPoolSize?: number } }).options?.maxPoolSize);
      this.slots = Number.isFinite(size) && size > 0 && size <= 2 ? new Slots(size) : null;
    }
    return this.slots;
  }

  /** Insert documents; resolves with the indexes (within `docs`) that already existed. */
  insert(model: Model<any>, docs: any[]): Promise<Set<number>> {
    if (!docs.length) return Promise.resolve(new Set());
    let p = this.pending.get(model);
    if (!p) this.pending.set(model, (p = { docs: [], waiters: [] }));
    const from = p.docs.length;
    p.docs.push(...docs);
    const to = p.docs.length;
    const promise = new Promise<Set<number>>((resolve, reject) => p!.waiters.push({ from, to, resolve, reject }));
    if (!this.busy.has(model)) void this.drain(model);
    return promise;
  }

  private removals = new Map<Model<any>, Set<string>>();
  private removing = new Set<Model<any>>();

  /**
   * Delete documents by id, grouped like inserts: while one delete on a collection is on its way,
   * further ids queue up and go together in the next deleteMany. For bookkeeping nobody waits
   * for (a creation journal entry once its instance is recorded); a failure is left for the next
   * start-up to clean up, so it is not reported.
   */
  remove(model: Model<any>, id: string): void {
    let ids = this.removals.get(model);
    if (!ids) this.removals.set(model, (ids = new Set()));
    ids.add(id);
    if (!this.removing.has(model)) void this.drainRemovals(model);
  }

  private async drainRemovals(model: Model<any>) {
    this.removing.add(model);
    try {
      for (let ids = this.removals.get(model); ids; ids = this.removals.get(model)) {
        this.removals.delete(model);
        const list = [...ids];
        await (list.length === 1 ? model.deleteOne({ _id: list[0] }) : model.deleteMany({ _id: { $in: list } })).catch(() => {});
      }
    } finally {
      this.removing.delete(model);
    }
  }

  private async drain(model: Model<any>) {
    this.busy.add(model);
    const slots = this.slotsFor(model);
    try {
      while (this.pending.has(model)) {
        await slots?.take();
        const p = this.pending.get(model)!;
        this.pending.delete(model);
        try {
          await this.write(model, p);
        } finally {
          slots?.give();
        }
      }
    } finally {
      this.busy.delete(model);
    }
  }

  private async write(model: Model<any>, p: Pending) {
    const dups = new Set<number>();
    let failure: unknown = null;
    try {
      await model.collection.insertMany(p.docs, { ordered: false });
    } catch (err: any) {
      const errors: any[] = err?.writeErrors ?? (err?.code === 11000 ? [{ index: 0, code: 11000 }] : null);
      if (!errors) failure = err;
      else for (const e of errors) {
        const code = e.code ?? e.err?.code;
        if (code === 11000) dups.add(e.index);
        else failure = err;
      }
    }
    for (const w of p.waiters) {
      if (failure) { w.reject(failure); continue; }
      const mine = new Set<number>();
      for (const i of dups) if (i >= w.from && i < w.to) mine.add(i - w.from);
      w.resolve(mine);
    }
  }
}
