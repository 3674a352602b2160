// The administrators' calendar years in MongoDB (`working_calendar_years`) and their copy in memory.
// Every change is a new document `<year>/<version>` (a tombstone for a deletion): the unique _id
// makes the insert the commit, so of two administrators editing the same version, in one process
// or several sharing the database, exactly one wins and the other gets a conflict (FerretDB 1.x has
// neither transactions nor conditional updates that are atomic across connections). The latest
// version of each year is the truth; older ones stay as the year's history.
import mongoose, { Schema, type Connection } from 'mongoose';
import { setCalendarSupplement, type CalendarDays, type NamedDay } from '../working-days.ts';

export interface Notice { title: string; number: string | null }

/** A year as an administrator entered it. */
export interface EnteredYear extends CalendarDays {
  year: number;
  version: number;
  notice: Notice;
  enteredBy: string;
  enteredAt: string;
}

/** A change lost to another made meanwhile (409). */
export class CalendarConflict extends Error {
  constructor(readonly year: number, readonly current: number, expected: number) {
    super(`year ${year} is at version ${current}, not ${expected}: it was changed meanwhile; reload it and enter the change again`);
    this.name = 'CalendarConflict';
  }
}

const day = new Schema<any>({ date: { type: String, required: true }, name: { type: String, required: true } }, { _id: false });
const version = new Schema<any>({
  _id: { type: String, required: true },
  year: { type: Number, required: true },
  version: { type: Number, required: true },
  deleted: { type: Boolean, default: false },
  holidays: { type: [day], default: [] },
  workdays: { type: [day], default: [] },
  notice: { title: { type: String, default: null }, number: { type: String, default: null } },
  enteredBy: { type: String, required: true },
  enteredAt: { type: Date, required: true },
}, { versionKey: false, minimize: false, strict: 'throw' });

export function calendarModel(connection: Connection): mongoose.Model<any> {
  return (connection.models.working_calendar_years as mongoose.Model<any>) ?? connection.model('working_calendar_years', version, 'working_calendar_years');
}

const shape = (d: any): EnteredYear => ({
  year: d.year, version: d.version,
  holidays: (d.holidays as NamedDay[]).map(({ date, name }) => ({ date, name })),
  workdays: (d.workdays as NamedDay[]).map(({ date, name }) => ({ date, name })),
  notice: { title: d.notice?.title ?? '', number: d.notice?.number ?? null },
  enteredBy: d.enteredBy, enteredAt: new Date(d.enteredAt).toISOString(),
});

export interface WorkingCalendarOptions {
  /** How often other processes' changes are picked up (ms); 0 = only on refresh(). */
  refreshMs?: number;
  log?(line: string): void;
}

export class WorkingCalendar {
  private readonly model: mongoose.Model<any>;
  /** Latest version of every year ever entered (deleted ones too: the next change builds on it). */
  private versions = new Map<number, number>();
  private entered = new Map<number, EnteredYear>();
  private timer: NodeJS.Timeout | undefined;
  private loads = 0;

  constructor(connection: Connection, private readonly opts: WorkingCalendarOptions = {}) {
    this.model = calendarModel(connection);
  }

  async start(): Promise<void> {
    await this.refresh();
    if (this.opts.refreshMs) {
      this.timer = setInterval(() => { this.refresh().catch((err) => this.opts.log?.(`working calendar refresh failed: ${String(err)}`)); }, this.opts.refreshMs);
      this.timer.unref();
    }
  }

  /** Stops refreshing; the working-day functions forget the entered years (the database is closing). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.loads += 1;
    setCalendarSupplement([]);
  }

  /** Reads every year's latest version and hands the calendar to the working-day functions. */
  async refresh(): Promise<void> {
    const load = ++this.loads;
    const docs = await this.model.find({}).lean<any[]>();
    if (load !== this.loads) return; // a later read is on its way
    const latest = new Map<number, any>();
    for (const d of docs) if ((latest.get(d.year)?.version ?? 0) < d.version) latest.set(d.year, d);
    this.versions = new Map([...latest].map(([y, d]) => [y, d.version]));
    this.entered = new Map([...latest].filter(([, d]) => !d.deleted).map(([y, d]) => [y, shape(d)]));
    setCalendarSupplement(this.entered.values());
  }

  /** This process's own change, at once (a read that started before it is dropped). */
  private apply(d: any): void {
    this.loads += 1;
    if (this.versionOf(d.year) >= d.version) return;
    this.versions.set(d.year, d.version);
    if (d.deleted) this.entered.delete(d.year);
    else this.entered.set(d.year, shape(d));
    setCalendarSupplement(this.entered.values());
  }

  list(): EnteredYear[] {
    return [...this.entered.values()].sort((a, b) => a.year - b.year);
  }

  get(year: number): EnteredYear | undefined {
    return this.entered.get(year);
  }

  /** The version a change of `year` must name (0: never entered). */
  versionOf(year: number): number {
    return this.versions.get(year) ?? 0;
  }

  /** Creates or replaces a year; `expected` is the version the change was made on. */
  async put(year: number, days: CalendarDays, notice: Notice, expected: number, by: string, at: Date): Promise<EnteredYear> {
    const doc = await this.commit(year, expected, { deleted: false, holidays: days.holidays, workdays: days.workdays, notice, enteredBy: by, enteredAt: at });
    return shape(doc);
  }

  async remove(year: number, expected: number, by: string, at: Date): Promise<void> {
    await this.commit(year, expected, { deleted: true, holidays: [], workdays: [], notice: { title: null, number: null }, enteredBy: by, enteredAt: at });
  }

  private async commit(year: number, expected: number, change: Record<string, unknown>): Promise<any> {
    await this.refresh(); // another process may have moved on
    const current = this.versionOf(year);
    if (current !== expected) throw new CalendarConflict(year, current, expected);
    const doc = { _id: `${year}/${expected + 1}`, year, version: expected + 1, ...change };
    try {
      await this.model.create(doc);
    } catch (err) {
      if ((err as { code?: unknown }).code !== 11000) throw err;
      await this.refresh();
      throw new CalendarConflict(year, this.versionOf(year), expected);
    }
    this.apply(doc);
    return doc;
  }
}
