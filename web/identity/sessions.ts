// Server-side sessions for people signed in with a password. The cookie carries a random token
// (32 bytes); the database keeps only its SHA-256 as `_id`, so every request is one lookup by
// `_id` and a copy of the collection opens no session. Each session holds its own CSRF token
// (synchronizer token pattern).

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type mongoose from 'mongoose';

export interface SessionDoc {
  _id: string; // sha256(token), hex
  userId: string;
  csrf: string;
  createdAt: Date;
  lastSeenAt: Date;
  ip: string;
}

export interface SessionLimits {
  /** A session unused this long ends (default 30 minutes). */
  idleMs?: number;
  /** A session ends this long after sign-in whatever happens (default 12 hours). */
  absoluteMs?: number;
}

const TOUCH_EVERY_MS = 60_000;

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class SessionStore {
  private readonly sessions: mongoose.mongo.Collection<SessionDoc>;
  readonly idleMs: number;
  readonly absoluteMs: number;

  constructor(connection: mongoose.Connection, limits: SessionLimits = {}) {
    this.sessions = connection.db!.collection<SessionDoc>('sessions');
    this.idleMs = limits.idleMs ?? 30 * 60_000;
    this.absoluteMs = limits.absoluteMs ?? 12 * 3_600_000;
  }

  async create(userId: string, ip: string): Promise<{ token: string; csrf: string; doc: SessionDoc }> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const doc: SessionDoc = { _id: sha256(token), userId, csrf: randomBytes(32).toString('base64url'), createdAt: now, lastSeenAt: now, ip: ip.slice(0, 64) };
    await this.sessions.insertOne(doc);
    return { token, csrf: doc.csrf, doc };
  }

  /** The live session for a cookie token, or null (unknown, idle too long, or too old). */
  async get(token: string): Promise<SessionDoc | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const id = sha256(token);
    const doc = await this.sessions.findOne({ _id: id });
    if (doc === null) return null;
    const now = Date.now();
    if (now - doc.lastSeenAt.getTime() > this.idleMs || now - doc.createdAt.getTime() > this.absoluteMs) {
      await this.sessions.deleteOne({ _id: id });
      return null;
    }
    if (now - doc.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      doc.lastSeenAt = new Date(now);
      await this.sessions.updateOne({ _id: id }, { $set: { lastSeenAt: doc.lastSeenAt } });
    }
    return doc;
  }

  async destroy(token: string): Promise<void> {
    if (/^[A-Za-z0-9_-]{43}$/.test(token)) await this.sessions.deleteOne({ _id: sha256(token) });
  }

  /** When the session expires (idle or absolute, whichever comes first). */
  expiresAt(doc: SessionDoc): Date {
    return new Date(Math.min(doc.lastSeenAt.getTime() + this.idleMs, doc.createdAt.getTime() + this.absoluteMs));
  }

  /** Removes ended sessions (a scan: run now and then, not per request). */
  async sweep(): Promise<number> {
    const now = Date.now();
    const r = await this.sessions.deleteMany({
      $or: [{ lastSeenAt: { $lt: new Date(now - this.idleMs) } }, { createdAt: { $lt: new Date(now - this.absoluteMs) } }],
    });
    return r.deletedCount;
  }
}
