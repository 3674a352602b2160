// Group commit: while an insert into a collection is on its way, further inserts into it queue up
// and go together in the next insertMany. On FerretDB an insert of twenty documents costs about
// what one does, while every update or delete scans its collection, so the read side is built
// from inserts only.
import type { Model } from 'mongoose';

interface Pending { docs: any[]; waiters: Array<{ from: number; to: number; resolve: (dups: Set<number>) => void; reject: (err: unknown) => void }> }

export class BatchInserter {
  private pending = new Map<Model<any>, Pending>();
  private busy = new Set<Model<any>>();

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

  private async drain(model: Model<any>) {
    this.busy.add(model);
    try {
      for (let p = this.pending.get(model); p; p = this.pending.get(model)) {
        this.pending.delete(model);
        await this.write(model, p);
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
