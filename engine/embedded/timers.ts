// The durable timer scheduler: timers live in the database, so they survive restarts and fire
// once among several processes (a short lease is taken before firing). Due timers that fell
// while the platform was down fire at the first tick after start.
import type { Store } from './store.ts';
import type { Clock } from './instance.ts';

const TICK_MS = 100;
const LEASE_MS = 30_000;

export class TimerScheduler {
  private handle: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly fire: (timer: any) => Promise<void>,
  ) {}

  start() {
    if (this.handle) return;
    const loop = async () => {
      await this.tick().catch(() => {});
      if (this.handle) this.handle = setTimeout(loop, TICK_MS);
    };
    this.handle = setTimeout(loop, 0);
  }

  stop() {
    if (this.handle) clearTimeout(this.handle);
    this.handle = null;
  }

  /** Fire every due timer once; returns how many fired. Tests call it after moving the clock. */
  async tick(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      let fired = 0;
      const tried = new Set<string>(); // one attempt per timer and due date in a tick
      for (;;) {
        const now = this.clock.now();
        const due = (await this.store.timers.find({ dueAt: { $lte: now }, lease: { $lt: now } }).sort({ dueAt: 1 }).limit(200).lean<any[]>())
          .filter((t) => !tried.has(`${t._id}@${t.dueAt}`)).slice(0, 50);
        if (!due.length) return fired;
        for (const t of due) {
          tried.add(`${t._id}@${t.dueAt}`);
          // One process fires a timer: the firing is claimed by a unique insert, per lease period.
          try {
            await this.store.claims.create({ _id: `timer/${t._id}/${t.dueAt}/${Math.floor(now / LEASE_MS)}`, at: new Date(now) });
          } catch (err: any) {
            if (err?.code === 11000) continue;
            throw err;
          }
          await this.store.timers.updateOne({ _id: t._id, dueAt: t.dueAt }, { $set: { lease: now + LEASE_MS } });
          await this.fire({ ...t, lease: now + LEASE_MS }).catch((err) => console.error(`gridflow: timer ${t._id} failed:`, err?.message ?? err));
          fired++;
        }
      }
    } finally {
      this.running = false;
    }
  }
}
