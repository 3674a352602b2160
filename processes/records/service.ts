// Writing and reading cadre records. Inputs are checked here and refused with a CaseInputError
// naming the field (the job handler turns it into a failure without retries).
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { CaseInputError } from '../cases/service.ts';
import { CASE_NUMBER } from '../cases/numbers.ts';
import { caseModels } from '../cases/model.ts';
import { orgModels, type OrgModels } from '../org/models.ts';
import { ABILITIES, CHALLENGE_RESULTS, RECORD_KINDS, recordModel, type RecordKind } from './model.ts';

/** A placement carries the completion report too (case raised, analysis, proposal, reflections). */
const MAX_PLACEMENT = 50_000;

export interface RecordInput {
  cadreIds?: unknown;
  cadreId?: unknown;
  result?: unknown;
  challengeId?: unknown;
  title?: unknown;
  placement?: unknown;
  scores?: unknown;
  mentorId?: unknown;
  caseNumber?: unknown;
  comment?: unknown;
}

interface Provenance { jobKey?: string | null; processInstanceKey?: string | null; at?: Date }

function kindOf(kind: unknown): RecordKind {
  if (typeof kind !== 'string' || !(RECORD_KINDS as readonly string[]).includes(kind)) throw new CaseInputError('kind', `kind must be one of ${RECORD_KINDS.join(', ')}; got ${JSON.stringify(kind) ?? 'nothing'}`);
  return kind as RecordKind;
}

const str = (v: unknown, field: string, max = 200): string | null => {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string' && typeof v !== 'number') throw new CaseInputError(field, `${field} must be a string`);
  const s = String(v).trim();
  if (s.length > max) throw new CaseInputError(field, `${field} must be at most ${max} characters`);
  return s;
};

export class RecordService {
  readonly entries;
  readonly org: OrgModels;

  constructor(connection: Connection, private readonly now: () => number = Date.now) {
    this.entries = recordModel(connection);
    this.org = orgModels(connection);
  }

  /** Writes one entry per cadre; returns how many were new. */
  async write(kind: unknown, input: RecordInput, p: Provenance = {}): Promise<number> {
    const k = kindOf(kind);
    const cadreIds = await this.cadres(input);
    return this.insert(k, cadreIds, this.fields(k, input), p);
  }

  /**
   * Writes the entry of the cadre linked to the user `username`; null, writing nothing, when no
   * cadre is (a department officer or the zone centre's staff have no cadre record).
   */
  async writeForUser(kind: unknown, input: RecordInput, username: string | null, p: Provenance = {}): Promise<number | null> {
    const k = kindOf(kind);
    const fields = this.fields(k, input);
    const cadre = username === null ? null : await this.org.cadres.findOne({ username }, { _id: 1 }).lean<any>();
    return cadre ? this.insert(k, [cadre._id], fields, p) : null;
  }

  private async insert(kind: RecordKind, cadreIds: string[], fields: Record<string, unknown>, p: Provenance): Promise<number> {
    const at = p.at ?? new Date(this.now());
    const key = p.jobKey ?? randomUUID();
    // A case counts once in a cadre's record however often they handled it (returns, reopenings).
    const idOf = (cadreId: string) => (kind === 'case-handled' ? `case-handled/${fields.caseNumber as string}/${cadreId}` : `${key}/${cadreId}`);
    const docs = cadreIds.map((cadreId) => ({ _id: idOf(cadreId), cadreId, kind, at, processInstanceKey: p.processInstanceKey ?? null, ...fields }));
    for (const d of docs) await this.entries.validate(d);
    try {
      const r = await this.entries.collection.insertMany(docs as any[], { ordered: false });
      return r.insertedCount;
    } catch (err) {
      // A job delivered again (or a case handled again): its entries are there already.
      const e = err as { code?: unknown; result?: { insertedCount?: number }; insertedCount?: number; writeErrors?: Array<{ code?: number }> };
      const errors = e.writeErrors ?? [];
      if (e.code === 11000 || (errors.length > 0 && errors.every((w) => w.code === 11000))) return e.insertedCount ?? e.result?.insertedCount ?? 0;
      throw err;
    }
  }

  private async cadres(input: RecordInput): Promise<string[]> {
    let ids: unknown[];
    if (input.cadreIds !== undefined && input.cadreIds !== null) {
      if (!Array.isArray(input.cadreIds)) throw new CaseInputError('cadreIds', 'cadreIds must be a list of cadre ids');
      ids = input.cadreIds;
    } else if (input.cadreId !== undefined && input.cadreId !== null && input.cadreId !== '') ids = [input.cadreId];
    else throw new CaseInputError('cadreIds', 'cadreIds (or cadreId) is required');
    if (ids.length === 0 || ids.length > 100) throw new CaseInputError('cadreIds', 'cadreIds must name 1 to 100 cadres');
    const out: string[] = [];
    for (const id of ids) {
      if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new CaseInputError('cadreIds', `cadreIds: ${JSON.stringify(id)} is not a cadre id`);
      if (!(await this.org.cadres.findById(id).lean())) throw new CaseInputError('cadreIds', `cadreIds: cadre ${id} does not exist`);
      if (!out.includes(id)) out.push(id);
    }
    return out;
  }

  private fields(kind: RecordKind, input: RecordInput): Record<string, unknown> {
    const comment = str(input.comment, 'comment', 10_000);
    switch (kind) {
      case 'challenge-result': {
        const r = typeof input.result === 'string' ? CHALLENGE_RESULTS.find((c) => c.code === input.result || c.zh === input.result) : undefined;
        if (!r) throw new CaseInputError('result', `result must be one of ${CHALLENGE_RESULTS.map((c) => `${c.code} (${c.zh})`).join(', ')}; got ${JSON.stringify(input.result) ?? 'nothing'}`);
        return { result: r.code, challengeId: str(input.challengeId, 'challengeId', 64), title: str(input.title, 'title'), comment };
      }
      case 'rotation-placement': {
        const pl = input.placement;
        if (typeof pl === 'string' && pl.trim() !== '' && pl.length <= 200) return { placement: { host: pl.trim() }, mentorId: str(input.mentorId, 'mentorId', 32), comment };
        if (pl !== null && typeof pl === 'object' && !Array.isArray(pl)) {
          const text = JSON.stringify(pl);
          if (text.length > MAX_PLACEMENT) throw new CaseInputError('placement', `placement must be at most ${MAX_PLACEMENT} characters as JSON (it has ${text.length})`);
          const bad = badKey(pl);
          if (bad !== null) throw new CaseInputError('placement', `placement: the key ${JSON.stringify(bad)} must not start with $ or contain a dot`);
          const mentorId = str(input.mentorId, 'mentorId', 32) ?? str((pl as Record<string, unknown>).mentorId, 'placement.mentorId', 32);
          return { placement: pl, mentorId, comment };
        }
        throw new CaseInputError('placement', 'placement is required: the host (a string) or an object such as { programme, host, from, to }');
      }
      case 'mentor-score': {
        const s = input.scores as Record<string, unknown> | null | undefined;
        if (s === null || typeof s !== 'object' || Array.isArray(s)) throw new CaseInputError('scores', `scores is required: { ${ABILITIES.join(', ')} }, each 1 to 5`);
        const scores: Record<string, number> = {};
        for (const a of ABILITIES) {
          const raw = s[a];
          const v = typeof raw === 'string' && /^[1-5]$/.test(raw.trim()) ? Number(raw) : raw;
          if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 5) throw new CaseInputError(`scores.${a}`, `scores.${a} must be a whole number from 1 to 5, not ${JSON.stringify(v) ?? 'nothing'}`);
          scores[a] = v;
        }
        return { scores, mentorId: str(input.mentorId, 'mentorId', 32), comment };
      }
      case 'case-handled': {
        const n = str(input.caseNumber, 'caseNumber', 40);
        if (n === null || !CASE_NUMBER.test(n)) throw new CaseInputError('caseNumber', `caseNumber must be a case number such as SQ-202611-0001, not ${JSON.stringify(input.caseNumber) ?? 'nothing'}`);
        return { caseNumber: n, comment };
      }
    }
  }

  /** Case-handled entries with the case's title, category, status and rating (lookups by number). */
  private async withCases(entries: any[]): Promise<any[]> {
    const facts = caseModels(this.entries.db).facts;
    return Promise.all(entries.map(async (e, i) => {
      if (i >= 200) return e;
      const c = await facts.findById(e.caseNumber, { title: 1, category: 1, status: 1, rating: 1, gridId: 1 }).lean<any>();
      return c ? { ...e, case: { title: c.title, category: c.category, status: c.status, rating: c.rating, gridId: c.gridId } } : e;
    }));
  }

  /** A cadre's record: the cadre, entries by kind (oldest first), the latest and average ability scores. */
  async recordOf(cadreId: string): Promise<any | null> {
    const cadre = await this.org.cadres.findById(cadreId).lean<any>();
    if (!cadre) return null;
    const entries = await this.entries.find({ cadreId }).sort({ at: 1 }).lean<any[]>();
    const of = (k: RecordKind) => entries.filter((e) => e.kind === k).map(({ _id, cadreId: _c, kind: _k, ...rest }) => ({ id: _id, ...strip(rest) }));
    const scores = of('mentor-score');
    const averages = scores.length === 0 ? null : Object.fromEntries(ABILITIES.map((a) => [a, Math.round((scores.reduce((s, e: any) => s + e.scores[a], 0) / scores.length) * 100) / 100]));
    return {
      cadre: { id: cadre._id, name: cadre.name, cohort: cadre.cohort, unit: cadre.unit, department: cadre.department, gridId: cadre.gridId, roles: cadre.roles, mentorId: cadre.mentorId },
      challenges: of('challenge-result'),
      placements: of('rotation-placement'),
      scores,
      abilities: { latest: (scores.at(-1) as any)?.scores ?? null, average: averages, assessments: scores.length },
      casesHandled: await this.withCases(of('case-handled')),
    };
  }
}

/** The first key (at any depth) the database would misread: starting with $ or containing a dot. */
function badKey(value: unknown, depth = 0): string | null {
  if (value === null || typeof value !== 'object' || depth > 20) return null;
  for (const [k, v] of Object.entries(value)) {
    if (!Array.isArray(value) && (k.startsWith('$') || k.includes('.'))) return k;
    const inner = badKey(v, depth + 1);
    if (inner !== null) return inner;
  }
  return null;
}

const strip = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));
