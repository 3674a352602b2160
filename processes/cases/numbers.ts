// Case numbers: SQ-<YYYYMM>-<NNNN>, the month of filing in the zone, numbered from 0001 each month.
// The allocation is a unique insert into `case_numbers`, so two processes on one database never
// hand out the same number; within a process, allocations of a month run one at a time from the
// last number known, so they are consecutive and cost one insert each.
import type { CaseModels } from './model.ts';

const ZONE_OFFSET = 8 * 3_600_000;

/** YYYY-MM of an instant in the zone (Asia/Shanghai). */
export const zoneMonth = (at: Date | number) => new Date(+at + ZONE_OFFSET).toISOString().slice(0, 7);

export const formatCaseNumber = (month: string, n: number) => `SQ-${month.replace('-', '')}-${String(n).padStart(4, '0')}`;

export const CASE_NUMBER = /^SQ-(\d{4})(\d{2})-(\d{4,})$/;

const isDuplicate = (err: unknown) => (err as { code?: unknown })?.code === 11000;

export class CaseNumbers {
  private readonly last = new Map<string, number>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly models: CaseModels) {}

  /** The next free number of the month of `at`. */
  allocate(at: Date, jobKey: string | null = null): Promise<string> {
    const month = zoneMonth(at);
    const run = (this.queues.get(month) ?? Promise.resolve()).then(() => this.next(month, at, jobKey));
    this.queues.set(month, run.catch(() => {}));
    return run;
  }

  private async next(month: string, at: Date, jobKey: string | null): Promise<string> {
    let n = this.last.get(month) ?? (await this.highest(month));
    for (let attempt = 0; attempt < 10_000; attempt += 1) {
      n += 1;
      const number = formatCaseNumber(month, n);
      try {
        await this.models.numbers.collection.insertOne({ _id: number as any, at, jobKey });
        this.last.set(month, n);
        return number;
      } catch (err) {
        if (!isDuplicate(err)) throw err; // another process took it: try the next
      }
    }
    throw new Error(`no free case number in ${month}`);
  }

  /** The highest number allocated in the month (a scan of the month's numbers, once per process). */
  private async highest(month: string): Promise<number> {
    const prefix = `SQ-${month.replace('-', '')}-`;
    const ids = await this.models.numbers.collection.find({ _id: { $gte: prefix, $lt: `${prefix}~` } as any }, { projection: { _id: 1 } }).toArray();
    return ids.reduce((max, d) => Math.max(max, Number(String(d._id).slice(prefix.length)) || 0), 0);
  }
}
