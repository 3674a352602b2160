// The audit trail: append-only and hash-chained. Entry n is stored with `_id` = n (zero-padded)
// and carries the hash of entry n-1; its own hash covers every field and that link. Appending
// claims the next sequence number with a unique insert, so two writers (in this process or
// another sharing the database) can never both write entry n: the loser reads the winner's entry
// and chains after it. Verification walks the chain and names the first entry that was edited,
// removed or reordered. A separate head document records the highest sequence written, so that
// removing entries from the end shows too (unless the head is rewritten as well: keep the hash
// that `npm run audit:verify` prints somewhere else to anchor the chain).

import { createHash } from 'node:crypto';
import type mongoose from 'mongoose';
import type { AuditRecord } from '../../engine/rest/access.ts';

export interface AuditEntry {
  _id: string;
  seq: number;
  at: string;
  actor: { kind: string; id: string } | null;
  action: string;
  target: string | null;
  outcome: 'success' | 'failure';
  /** JSON text (or null): what it was, what it became, anything else worth keeping. */
  before: string | null;
  after: string | null;
  detail: string | null;
  ip: string | null;
  prev: string;
  hash: string;
}

interface HeadDoc { _id: 'head'; seq: number; hash: string }

export interface AuditProblem { seq: number; kind: 'edited' | 'removed' | 'reordered'; detail: string }
export interface VerifyResult { ok: boolean; entries: number; lastSeq: number; lastHash: string; problem: AuditProblem | null }

export const GENESIS = '0'.repeat(64);
const PAD = 12;
export const entryId = (seq: number) => String(seq).padStart(PAD, '0');

const HASHED = ['seq', 'at', 'actor', 'action', 'target', 'outcome', 'before', 'after', 'detail', 'ip', 'prev'] as const;

/** Sorted keys at every level, so the hash does not depend on how the database orders fields. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj).filter((k) => obj[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`).join(',')}}`;
}

export function hashEntry(e: Omit<AuditEntry, 'hash' | '_id'> | AuditEntry): string {
  const picked: Record<string, unknown> = {};
  for (const k of HASHED) picked[k] = (e as unknown as Record<string, unknown>)[k] ?? null;
  return createHash('sha256').update(canonical(picked)).digest('hex');
}

const jsonText = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

export class AuditTrail {
  readonly entries: mongoose.mongo.Collection<AuditEntry>;
  private readonly head: mongoose.mongo.Collection<HeadDoc>;
  private tail: { seq: number; hash: string } | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(connection: mongoose.Connection) {
    this.entries = connection.db!.collection<AuditEntry>('audit');
    this.head = connection.db!.collection<HeadDoc>('audit_head');
  }

  /** Appends one entry; appends from this process go one at a time, in call order. */
  append(record: AuditRecord, context: { ip?: string | null; at?: Date } = {}): Promise<AuditEntry> {
    const run = this.queue.then(() => this.write(record, context));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(record: AuditRecord, context: { ip?: string | null; at?: Date }): Promise<AuditEntry> {
    this.tail ??= await this.findTail();
    for (let attempt = 0; attempt < 1000; attempt++) {
      const seq: number = this.tail.seq + 1;
      const body: Omit<AuditEntry, 'hash' | '_id'> = {
        seq,
        at: (context.at ?? new Date()).toISOString(),
        actor: record.actor === null ? null : { kind: record.actor.kind, id: record.actor.id },
        action: record.action,
        target: record.target ?? null,
        outcome: record.outcome ?? 'success',
        before: jsonText(record.before),
        after: jsonText(record.after),
        detail: jsonText(record.detail),
        ip: context.ip ?? null,
        prev: this.tail.hash,
      };
      const entry: AuditEntry = { _id: entryId(seq), ...body, hash: hashEntry(body) };
      try {
        await this.entries.insertOne(entry);
      } catch (err) {
        if ((err as { code?: unknown }).code !== 11000) throw err;
        // Another writer took this number: chain after its entry.
        const other = await this.entries.findOne({ _id: entryId(seq) });
        if (other === null) throw new Error(`audit entry ${seq} is taken but cannot be read`);
        this.tail = { seq, hash: other.hash };
        continue;
      }
      this.tail = { seq, hash: entry.hash };
      await this.raiseHead(seq, entry.hash);
      return entry;
    }
    throw new Error('audit trail: could not claim a sequence number');
  }

  private async raiseHead(seq: number, hash: string): Promise<void> {
    const head = await this.head.findOne({ _id: 'head' });
    if (head === null) {
      try { await this.head.insertOne({ _id: 'head', seq, hash }); } catch (err) { if ((err as { code?: unknown }).code !== 11000) throw err; }
    } else if (head.seq < seq) {
      await this.head.updateOne({ _id: 'head' }, { $set: { seq, hash } });
    }
  }

  /** The last entry: from the head upwards by `_id` lookups (doubling, then halving). */
  private async findTail(): Promise<{ seq: number; hash: string }> {
    const exists = async (seq: number) => seq === 0 || (await this.entries.findOne({ _id: entryId(seq) }, { projection: { _id: 1 } })) !== null;
    const head = await this.head.findOne({ _id: 'head' });
    let lo = head !== null && (await exists(head.seq)) ? head.seq : 0;
    let step = 1;
    while (await exists(lo + step)) { lo += step; step *= 2; }
    let hi = lo + step; // does not exist
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (await exists(mid)) lo = mid; else hi = mid;
    }
    if (lo === 0) return { seq: 0, hash: GENESIS };
    const last = await this.entries.findOne({ _id: entryId(lo) });
    return { seq: lo, hash: last!.hash };
  }

  /** Entries from `from` (oldest first). */
  async list(from = 1, limit = 100): Promise<AuditEntry[]> {
    return this.entries.find({ _id: { $gte: entryId(Math.max(1, from)) } }).sort({ _id: 1 }).limit(Math.min(Math.max(limit, 1), 1000)).toArray();
  }

  /** Walks the whole chain; names the first entry that was edited, removed or reordered. */
  async verify(): Promise<VerifyResult> {
    let prevHash = GENESIS;
    let expected = 1;
    let count = 0;
    const seen = new Map<string, number>(); // hash → seq, to tell a reordering from an edit
    let prevAt = '';
    const fail = (problem: AuditProblem): VerifyResult => ({ ok: false, entries: count, lastSeq: expected - 1, lastHash: prevHash, problem });
    for await (const e of this.entries.find({}).sort({ _id: 1 })) {
      count++;
      const idSeq = /^[0-9]+$/.test(String(e._id)) ? Number(e._id) : Number.NaN;
      if (Number.isNaN(idSeq)) return fail({ seq: expected, kind: 'edited', detail: `a stored entry has the id '${String(e._id)}', which is no sequence number` });
      if (idSeq > expected) {
        return fail({ seq: expected, kind: 'removed', detail: `entry ${expected} is missing${idSeq === expected + 1 ? '' : ` (through ${idSeq - 1})`}: the next stored entry is ${idSeq}` });
      }
      if (e.seq !== idSeq) return fail({ seq: idSeq, kind: 'reordered', detail: `the entry stored as number ${idSeq} says it is entry ${String(e.seq)}` });
      if (hashEntry(e) !== e.hash) return fail({ seq: idSeq, kind: 'edited', detail: `entry ${idSeq} (${e.action}) no longer matches its hash` });
      if (e.prev !== prevHash) {
        const linked = seen.get(e.prev);
        if (linked !== undefined || e.prev === GENESIS) {
          return fail({ seq: idSeq, kind: 'reordered', detail: `entry ${idSeq} follows entry ${linked ?? 0} in the chain, not entry ${idSeq - 1}` });
        }
        if (e.at < prevAt) return fail({ seq: idSeq, kind: 'reordered', detail: `entry ${idSeq} does not link to entry ${idSeq - 1} and is older than it` });
        return fail({ seq: idSeq - 1, kind: 'edited', detail: `entry ${idSeq - 1} was changed and re-hashed: entry ${idSeq} no longer links to it` });
      }
      seen.set(e.hash, idSeq);
      prevHash = e.hash;
      prevAt = e.at;
      expected++;
    }
    const head = await this.head.findOne({ _id: 'head' });
    if (head !== null && head.seq > expected - 1) {
      return fail({ seq: expected, kind: 'removed', detail: `entries ${expected} to ${head.seq} were removed from the end (the head records ${head.seq} entries)` });
    }
    return { ok: true, entries: count, lastSeq: expected - 1, lastHash: prevHash, problem: null };
  }

  /** Forget the cached tail (tests that rewrite the collection). */
  reset(): void { this.tail = undefined; }
}
