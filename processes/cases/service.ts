// What happens to a case: filing, the events of its handling (three tiers, whistle, review,
// rating, reopening, closure) and its deadlines. Job handlers and the demo seed call this; every
// input is checked here and refused with a CaseInputError naming the field.
//
// Changes to one case are serialised in this process; across processes, the writer that takes a
// case from version n to n + 1 first claims `<number>/<n + 1>` with a unique insert (FerretDB's
// conditional updates are not atomic across connections; unique inserts are), then writes with a
// version condition.
// A change made by a job carries its job key in the timeline entry: the same job delivered again
// finds its entry and changes nothing.
import type { Connection } from 'mongoose';
import { isValidUscc } from '../../forms/uscc.ts';
import { orgModels, type OrgModels } from '../org/models.ts';
import { CASE_CATEGORIES, normalize, RATINGS, URGENCIES } from '../org/reference.ts';
import { addWorkingDays, workingDaysBetween, workingHoursBefore } from '../working-days.ts';
import { caseModels, CASE_EVENTS, STATUS_AFTER, TIMELINE_CAP, type CaseEvent, type CaseModels, type TimelineEntry } from './model.ts';
import { CaseNumbers, CASE_NUMBER, zoneMonth } from './numbers.ts';
import { writeFact } from './facts.ts';

export class CaseInputError extends Error {
  constructor(readonly field: string, message: string, readonly status = 400) {
    super(message);
    this.name = 'CaseInputError';
  }
}

export interface OpenCase {
  enterprise: unknown;
  category: unknown;
  urgency?: unknown;
  title: unknown;
  description?: unknown;
  gridId?: unknown;
  filedBy?: unknown;
  tags?: unknown;
  visitKey?: unknown;
  parentCaseNumber?: unknown;
  /** The enterprise's name when it is not in the register. */
  enterpriseName?: unknown;
}

export interface EventFields {
  tier?: unknown;
  reason?: unknown;
  handler?: unknown;
  rating?: unknown;
  deadline?: unknown;
  comment?: unknown;
}

export interface Provenance {
  jobKey?: string | null;
  processInstanceKey?: string | null;
  by?: string | null;
  at?: Date;
}

/** A change claimed this long ago whose case never reached the claimed version was abandoned. */
const STALE_CLAIM_MS = 30_000;

const GROUP_HANDLER = /^(dept-[a-z0-9-]+|zone-center|district|committee|mentors|panel|org-office)$/;
const TIER_GROUPS: Record<number, string> = { 2: 'zone-center', 3: 'district' };

function text(value: unknown, field: string, max: number, required: boolean): string | null {
  if (value === undefined || value === null || value === '') {
    if (required) throw new CaseInputError(field, `${field} is required`);
    return null;
  }
  if (typeof value !== 'string') throw new CaseInputError(field, `${field} must be a string`);
  const v = value.trim();
  if (required && v === '') throw new CaseInputError(field, `${field} is required`);
  if (v.length > max) throw new CaseInputError(field, `${field} must be at most ${max} characters`);
  return v;
}

export function gridIdOf(value: unknown, field = 'gridId'): string {
  const v = typeof value === 'number' ? String(value) : value;
  if (typeof v !== 'string' || !/^[1-9][0-9]{0,3}$/.test(v.trim())) throw new CaseInputError(field, `${field} must be a grid number such as 3, not ${JSON.stringify(value)}`);
  return v.trim();
}

function tierOf(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  const n = typeof value === 'string' && /^[123]$/.test(value) ? Number(value) : value;
  if (n !== 1 && n !== 2 && n !== 3) throw new CaseInputError('tier', `tier must be 1, 2 or 3, not ${JSON.stringify(value)}`);
  return n;
}

function dateOf(value: unknown, field: string): Date | null {
  if (value === undefined || value === null || value === '') return null;
  const d = typeof value === 'string' ? new Date(value) : null;
  if (d === null || Number.isNaN(+d)) throw new CaseInputError(field, `${field} must be an ISO 8601 date-time, not ${JSON.stringify(value)}`);
  return d;
}

export class CaseService {
  readonly models: CaseModels;
  readonly org: OrgModels;
  readonly numbers: CaseNumbers;
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(connection: Connection, private readonly now: () => number = Date.now) {
    this.models = caseModels(connection);
    this.org = orgModels(connection);
    this.numbers = new CaseNumbers(this.models);
  }

  async get(number: string): Promise<any | null> {
    if (!CASE_NUMBER.test(number)) return null;
    return this.models.cases.findById(number).lean();
  }

  /** Files a case; a job delivered again gets the case its first delivery filed. */
  async open(input: OpenCase, p: Provenance = {}): Promise<any> {
    const claimId = p.jobKey ? `open/${p.jobKey}` : null;
    if (claimId !== null) {
      const claim = await this.models.openClaims.findById(claimId).lean<any>();
      if (claim) return this.ensureFiled(claim.caseNumber, claim.input);
    }
    const doc = await this.prepare(input, p);
    const number = await this.numbers.allocate(doc.filedAt, p.jobKey ?? null);
    if (claimId !== null) {
      try {
        await this.models.openClaims.collection.insertOne({ _id: claimId as any, caseNumber: number, at: doc.filedAt, input: doc });
      } catch (err) {
        if ((err as { code?: unknown }).code !== 11000) throw err;
        const winner = await this.models.openClaims.findById(claimId).lean<any>();
        return this.ensureFiled(winner.caseNumber, winner.input);
      }
    }
    return this.ensureFiled(number, doc);
  }

  private async ensureFiled(number: string, doc: any): Promise<any> {
    const existing = await this.get(number);
    if (existing) {
      await writeFact(this.models, existing);
      return existing;
    }
    const created = new this.models.cases({ ...doc, _id: number });
    try {
      await created.save();
    } catch (err) {
      if ((err as { code?: unknown }).code !== 11000) throw err;
    }
    const filed = await this.get(number);
    await writeFact(this.models, filed);
    return filed;
  }

  /** The case document a filing would insert (without its number); validates the input. */
  async prepare(input: OpenCase, p: Provenance): Promise<any> {
    const uscc = typeof input.enterprise === 'string' ? input.enterprise.trim().toUpperCase() : input.enterprise;
    if (uscc === undefined || uscc === null || uscc === '') throw new CaseInputError('enterprise', 'enterprise (the unified social credit code) is required');
    if (typeof uscc !== 'string' || !isValidUscc(uscc)) throw new CaseInputError('enterprise', `enterprise ${JSON.stringify(input.enterprise)} is not a valid unified social credit code (统一社会信用代码)`);
    const category = normalize(CASE_CATEGORIES, input.category);
    if (category === null) throw new CaseInputError('category', `category must be one of ${CASE_CATEGORIES.map((c) => `${c.code} (${c.zh})`).join(', ')}; got ${JSON.stringify(input.category) ?? 'nothing'}`);
    const urgency = input.urgency === undefined || input.urgency === null || input.urgency === '' ? 'normal' : normalize(URGENCIES, input.urgency);
    if (urgency === null) throw new CaseInputError('urgency', `urgency must be one of ${URGENCIES.map((c) => `${c.code} (${c.zh})`).join(', ')}`);
    const title = text(input.title, 'title', 200, true)!;
    const description = text(input.description, 'description', 5000, false) ?? '';
    const enterprise = await this.org.enterprises.findById(uscc).lean<any>();
    const gridId = input.gridId === undefined || input.gridId === null || input.gridId === '' ? enterprise?.gridId : gridIdOf(input.gridId);
    if (gridId === undefined) throw new CaseInputError('gridId', 'gridId is required (the enterprise is not in the zone\'s register, so its grid is unknown)');
    if ((await this.org.grids.countDocuments({})) > 0 && !(await this.org.grids.findById(gridId).lean())) throw new CaseInputError('gridId', `grid ${gridId} does not exist`);
    let tags: string[] = [];
    if (input.tags !== undefined && input.tags !== null) {
      if (!Array.isArray(input.tags) || input.tags.some((t) => typeof t !== 'string' || t.length > 40) || input.tags.length > 20) throw new CaseInputError('tags', 'tags must be a list of at most 20 strings of at most 40 characters');
      tags = [...new Set((input.tags as string[]).map((t) => t.trim()).filter((t) => t !== ''))];
    }
    const parentCaseNumber = text(input.parentCaseNumber, 'parentCaseNumber', 40, false);
    if (parentCaseNumber !== null && !CASE_NUMBER.test(parentCaseNumber)) throw new CaseInputError('parentCaseNumber', `parentCaseNumber ${JSON.stringify(parentCaseNumber)} is not a case number such as SQ-202611-0001`);
    const at = p.at ?? new Date(this.now());
    const filedBy = text(input.filedBy, 'filedBy', 64, false) ?? p.by ?? null;
    return {
      enterprise: { uscc, name: enterprise?.name ?? text(input.enterpriseName, 'enterpriseName', 100, false) ?? '' }, gridId, category, tags, urgency, title, description,
      tier: 1, status: 'filed', handler: null, groups: [], filedBy, filedAt: at, month: zoneMonth(at),
      processInstanceKeys: p.processInstanceKey ? [p.processInstanceKey] : [],
      visitKey: text(input.visitKey, 'visitKey', 64, false), parentCaseNumber,
      timeline: [{ at, by: filedBy, event: 'filed', tier: 1, jobKey: p.jobKey ?? null }],
    };
  }

  /** Applies one event of the case's handling; see STATUS_AFTER for the status it leads to. */
  async apply(number: unknown, event: unknown, fields: EventFields = {}, p: Provenance = {}): Promise<any> {
    if (typeof event !== 'string' || !(CASE_EVENTS as readonly string[]).includes(event) || event === 'filed' || event === 'deadline') {
      throw new CaseInputError('event', `event must be one of ${CASE_EVENTS.filter((e) => e !== 'filed' && e !== 'deadline').join(', ')}; got ${JSON.stringify(event) ?? 'nothing'}`);
    }
    const e = event as CaseEvent;
    const tier = tierOf(fields.tier);
    const reason = text(fields.reason, 'reason', 10_000, false);
    const comment = text(fields.comment, 'comment', 10_000, false);
    const handler = text(fields.handler, 'handler', 64, e === 'assigned');
    const deadline = dateOf(fields.deadline, 'deadline');
    let rating: string | null = null;
    if (e === 'rated' || (fields.rating !== undefined && fields.rating !== null && fields.rating !== '')) {
      rating = normalize(RATINGS, fields.rating);
      if (rating === null) throw new CaseInputError('rating', `rating must be one of 满意, 基本满意, 不满意; got ${JSON.stringify(fields.rating) ?? 'nothing'}`);
    }
    return this.change(number, p, (c, at) => {
      const set: Record<string, unknown> = {};
      let newTier: number = c.tier;
      const groups = new Set<string>(c.groups);
      switch (e) {
        case 'accepted': break;
        case 'escalated': newTier = tier ?? Math.min(3, c.tier + 1); set.escalations = c.escalations + 1; break;
        case 'returned': newTier = tier ?? Math.max(1, c.tier - 1); break;
        case 'resolved': set.resolvedAt = at; break;
        case 'whistled': set.whistled = true; groups.add('committee'); break;
        case 'rated': set.rating = rating; break;
        case 'reopened':
          newTier = tier ?? 1;
          Object.assign(set, { reopenCount: c.reopenCount + 1, resolvedAt: null, closedAt: null, closedMonth: null, resolutionWorkingDays: null, metDeadline: null, overdue: false });
          break;
        case 'closed': {
          let days: number | null = null;
          try { days = workingDaysBetween(c.filedAt, at); } catch { days = null; }
          const missed = c.timeline.some((t: TimelineEntry) => t.event === 'overdue');
          Object.assign(set, { closedAt: at, closedMonth: zoneMonth(at), resolutionWorkingDays: days, metDeadline: c.deadline === null ? (missed ? false : null) : !missed && +(c.resolvedAt ?? at) <= +c.deadline, overdue: false });
          break;
        }
        case 'overdue': set.overdue = true; break;
        default: if (tier !== null) newTier = tier;
      }
      if (e !== 'escalated' && e !== 'returned' && e !== 'reopened' && tier !== null) newTier = tier;
      if (TIER_GROUPS[newTier]) groups.add(TIER_GROUPS[newTier]!);
      if (handler !== null) {
        set.handler = handler;
        if (GROUP_HANDLER.test(handler)) groups.add(handler);
      }
      if (rating !== null) set.rating = rating;
      if (deadline !== null) set.deadline = deadline;
      set.tier = newTier;
      set.groups = [...groups];
      if (STATUS_AFTER[e]) set.status = STATUS_AFTER[e];
      return { set, entry: { at, by: p.by ?? null, event: e, tier: newTier, reason, comment, handler, rating, deadline } };
    });
  }

  /** Sets the deadline of the case's current round: `slaDays` working days from now, a warning `warningHours` working hours before. */
  async setDeadline(number: unknown, input: { tier?: unknown; slaDays: unknown; warningHours?: unknown }, p: Provenance = {}): Promise<{ deadline: Date; warnAt: Date; case: any }> {
    const tier = tierOf(input.tier);
    const sla = input.slaDays;
    if (typeof sla !== 'number' || !Number.isInteger(sla) || sla < 0 || sla > 365) throw new CaseInputError('slaDays', `slaDays must be a whole number of working days from 0 to 365, not ${JSON.stringify(sla) ?? 'nothing'}`);
    const hours = input.warningHours ?? 4;
    if (typeof hours !== 'number' || !Number.isFinite(hours) || hours < 0 || hours > 2_000) throw new CaseInputError('warningHours', `warningHours must be a number of working hours from 0 to 2000, not ${JSON.stringify(hours)}`);
    const c = await this.change(number, p, (c, at) => {
      const deadline = addWorkingDays(at, sla);
      const warnAt = workingHoursBefore(deadline, hours);
      const t = tier ?? c.tier;
      return { set: { deadline, warnAt, overdue: false, tier: t }, entry: { at, by: p.by ?? null, event: 'deadline' as CaseEvent, tier: t, deadline, comment: `warn at ${warnAt.toISOString()}` } };
    });
    return { deadline: new Date(c.deadline), warnAt: new Date(c.warnAt), case: c };
  }

  /** Read, change, write with a version condition; serialised per case in this process. */
  private change(number: unknown, p: Provenance, make: (c: any, at: Date) => { set: Record<string, unknown>; entry: Omit<TimelineEntry, 'jobKey'> }): Promise<any> {
    if (typeof number !== 'string' || number === '') throw new CaseInputError('caseNumber', 'caseNumber is required');
    if (!CASE_NUMBER.test(number)) throw new CaseInputError('caseNumber', `caseNumber ${JSON.stringify(number)} is not a case number such as SQ-202611-0001`);
    const run = (this.locks.get(number) ?? Promise.resolve()).then(() => this.changeNow(number, p, make));
    const tail = run.catch(() => {});
    this.locks.set(number, tail);
    void tail.then(() => { if (this.locks.get(number) === tail) this.locks.delete(number); });
    return run;
  }

  private async changeNow(number: string, p: Provenance, make: (c: any, at: Date) => { set: Record<string, unknown>; entry: Omit<TimelineEntry, 'jobKey'> }): Promise<any> {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const c = await this.get(number);
      if (!c) throw new CaseInputError('caseNumber', `case ${number} does not exist`, 404);
      if (p.jobKey && c.timeline.some((t: TimelineEntry) => t.jobKey === p.jobKey)) { // delivered before
        await writeFact(this.models, c);
        return c;
      }
      const at = p.at ?? new Date(this.now());
      const { set, entry } = make(c, at);
      const timeline = [...c.timeline, { ...entry, jobKey: p.jobKey ?? null }].slice(-TIMELINE_CAP);
      const keys = p.processInstanceKey && !c.processInstanceKeys.includes(p.processInstanceKey) ? [...c.processInstanceKeys, p.processInstanceKey] : c.processInstanceKeys;
      if (!(await this.claimVersion(number, c.version + 1))) {
        await new Promise((r) => setTimeout(r, 2 + Math.random() * 10 * (attempt + 1)));
        continue; // another writer takes the case to that version: read it again
      }
      const updated = await this.models.cases.findOneAndUpdate(
        { _id: number, version: c.version },
        { $set: { ...set, timeline, processInstanceKeys: keys, version: c.version + 1 } },
        { returnDocument: 'after', runValidators: true },
      ).lean();
      if (updated) {
        await writeFact(this.models, updated);
        return updated;
      }
      await this.models.changes.collection.deleteOne({ _id: `${number}/${c.version + 1}` as any }); // ours, unused
    }
    throw new Error(`case ${number}: too many concurrent changes`);
  }

  /**
   * Claims the right to take the case to `version` (a unique insert). A claim whose writer died
   * before updating the case is taken over after STALE_CLAIM_MS.
   */
  private async claimVersion(number: string, version: number): Promise<boolean> {
    const id = `${number}/${version}`;
    const now = Date.now();
    try {
      await this.models.changes.collection.insertOne({ _id: id as any, at: now });
      return true;
    } catch (err) {
      if ((err as { code?: unknown }).code !== 11000) throw err;
    }
    const claim = await this.models.changes.collection.findOne({ _id: id as any });
    if (claim && now - (claim.at as number) > STALE_CLAIM_MS) {
      const c = await this.models.cases.findById(number, { version: 1 }).lean<any>();
      if (c && c.version === version - 1) await this.models.changes.collection.deleteOne({ _id: id as any, at: claim.at });
    }
    return false;
  }
}
