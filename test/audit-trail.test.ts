// The audit trail: hash-chained and append-only. Concurrent writers on separate connections (as
// two processes would be) never fork the chain; tampering (an edited, re-hashed, removed or
// reordered entry, or a cut-off end) is found by GET /api/audit/verify and `npm run audit:verify`,
// which name the first bad entry. What the platform records: sign-ins and failures, user changes.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { connectOptions } from '../engine/db/connect.ts';
import { AuditTrail, entryId, GENESIS, hashEntry, type AuditEntry } from '../web/audit/trail.ts';
import { DEMO_PASSWORD } from '../web/identity/bootstrap.ts';
import { testDatabase, type TestDatabase } from './helpers/database.ts';
import { ANONYMOUS, basic, startSecureApp, type SecureApp } from './helpers/secure-app.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function auditVerify(uri: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts'], { cwd: ROOT, env: { ...process.env, MONGODB_URI: uri }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 2) : 0, out: `${stdout}${stderr}` });
    });
  });
}

const record = (n: number, who = 'tester') => ({ action: 'test.event', actor: { kind: 'user' as const, id: who }, target: `thing/${n}`, before: { n }, after: { n: n + 1, 'dotted.key': true, $dollar: 'kept as text' } });

describe('audit trail: the chain', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let other: mongoose.Connection;

  before(async () => {
    db = await testDatabase('audit_chain');
    other = await mongoose.createConnection(db.uri, await connectOptions(db.uri)).asPromise();
  });

  after(() => other.close());

  async function fresh(): Promise<AuditTrail> {
    await db.connection.collection('audit').deleteMany({});
    await db.connection.collection('audit_head').deleteMany({});
    return new AuditTrail(db.connection);
  }

  const entries = () => db.connection.collection<AuditEntry>('audit');

  it('two writers on separate connections append at once: one unbroken chain, numbers 1..n, each linked to the one before', async () => {
    await fresh();
    const a = new AuditTrail(db.connection);
    const b = new AuditTrail(other);
    await Promise.all([
      ...Array.from({ length: 25 }, (_, i) => a.append(record(i, 'a'))),
      ...Array.from({ length: 25 }, (_, i) => b.append(record(i, 'b'))),
    ]);
    const all = await entries().find({}).sort({ _id: 1 }).toArray();
    assert.deepEqual(all.map((e) => e.seq), Array.from({ length: 50 }, (_, i) => i + 1));
    assert.equal(all[0]!.prev, GENESIS);
    for (let i = 1; i < all.length; i++) assert.equal(all[i]!.prev, all[i - 1]!.hash, `entry ${i + 1} links to entry ${i}`);
    assert.equal(all.filter((e) => e.actor?.id === 'a').length, 25);
    const result = await a.verify();
    assert.deepEqual(result, { ok: true, entries: 50, lastSeq: 50, lastHash: all[49]!.hash, problem: null });
    // A writer that starts later finds the end and goes on from there.
    const late = new AuditTrail(other);
    assert.equal((await late.append(record(99))).seq, 51);
  });

  it('an edited entry is named', async () => {
    const t = await fresh();
    for (let i = 0; i < 10; i++) await t.append(record(i));
    await entries().updateOne({ _id: entryId(5) }, { $set: { after: JSON.stringify({ n: 1000 }) } });
    const r = await t.verify();
    assert.equal(r.ok, false);
    assert.deepEqual({ seq: r.problem!.seq, kind: r.problem!.kind }, { seq: 5, kind: 'edited' });
    assert.equal(r.lastSeq, 4, 'entries 1 to 4 are intact');
  });

  it('an edited entry whose hash was recomputed is named too (the next entry no longer links to it)', async () => {
    const t = await fresh();
    for (let i = 0; i < 10; i++) await t.append(record(i));
    const e = (await entries().findOne({ _id: entryId(6) }))!;
    const changed = { ...e, actor: { kind: 'user', id: 'someone-else' } };
    await entries().replaceOne({ _id: entryId(6) }, { ...changed, hash: hashEntry(changed) });
    const r = await t.verify();
    assert.deepEqual({ seq: r.problem!.seq, kind: r.problem!.kind }, { seq: 6, kind: 'edited' });
  });

  it('a removed entry is named, also at the end of the chain', async () => {
    const t = await fresh();
    for (let i = 0; i < 10; i++) await t.append(record(i));
    await entries().deleteOne({ _id: entryId(7) });
    let r = await t.verify();
    assert.deepEqual({ seq: r.problem!.seq, kind: r.problem!.kind }, { seq: 7, kind: 'removed' });
    await entries().deleteMany({ _id: { $in: [entryId(7), entryId(8), entryId(9), entryId(10)] } });
    r = await t.verify();
    assert.deepEqual({ seq: r.problem!.seq, kind: r.problem!.kind }, { seq: 7, kind: 'removed' });
    assert.match(r.problem!.detail, /removed from the end/);
  });

  it('reordered entries are named', async () => {
    const t = await fresh();
    for (let i = 0; i < 10; i++) await t.append(record(i));
    const [e3, e4] = await Promise.all([entries().findOne({ _id: entryId(3) }), entries().findOne({ _id: entryId(4) })]);
    const { _id: _3, ...c3 } = e3!;
    const { _id: _4, ...c4 } = e4!;
    await entries().replaceOne({ _id: entryId(3) }, c4);
    await entries().replaceOne({ _id: entryId(4) }, c3);
    const r = await t.verify();
    assert.deepEqual({ seq: r.problem!.seq, kind: r.problem!.kind }, { seq: 3, kind: 'reordered' });
  });
});

describe('audit trail: the API, the command and what is recorded', function () {
  this.timeout(90_000);
  let app: SecureApp;
  const admin = basic('admin', DEMO_PASSWORD);

  before(async () => {
    app = await startSecureApp('audit_api');
  });

  after(() => app.close());

  it('records sign-ins and failures, user creation and changes with before and after, password resets without the password', async () => {
    await app.login('cadre', DEMO_PASSWORD);
    await app.call(ANONYMOUS, 'POST', '/api/login', { username: 'cadre', password: 'not-the-password-1' });
    const created = await app.call(admin, 'POST', '/api/users', { username: 'wang.fang', displayName: '王芳', password: 'correct-horse-battery-7', roles: ['cadre'], groups: ['grid-2'] });
    assert.equal(created.status, 201, created.text);
    const changed = await app.call(admin, 'PATCH', '/api/users/wang.fang', { roles: ['grid-leader'], groups: ['grid-2', 'grid-4'] });
    assert.equal(changed.status, 200, changed.text);
    assert.equal((await app.call(admin, 'POST', '/api/users/wang.fang/password', { password: 'another-strong-pass-8' })).status, 204);

    const entries = (await app.call(admin, 'GET', '/api/audit?limit=1000')).json.items as any[];
    const signIn = entries.find((e) => e.action === 'auth.sign-in' && e.outcome === 'success');
    assert.deepEqual(signIn.actor, { kind: 'user', id: 'cadre' });
    assert.match(signIn.at, /^\d{4}-\d\d-\d\dT/);
    assert.ok(signIn.ip);
    const failure = entries.find((e) => e.action === 'auth.sign-in' && e.outcome === 'failure');
    assert.equal(failure.detail.reason, 'wrong password');
    const create = entries.find((e) => e.action === 'user.create' && e.target === 'user/wang.fang');
    assert.deepEqual(create.actor, { kind: 'user', id: 'admin' });
    assert.deepEqual(create.after, { displayName: '王芳', roles: ['cadre'], groups: ['grid-2'] });
    const update = entries.find((e) => e.action === 'user.update');
    assert.deepEqual(update.before, { displayName: '王芳', roles: ['cadre'], groups: ['grid-2'], disabled: false });
    assert.deepEqual(update.after, { displayName: '王芳', roles: ['grid-leader'], groups: ['grid-2', 'grid-4'], disabled: false });
    const reset = entries.find((e) => e.action === 'user.password-reset');
    assert.equal(reset.target, 'user/wang.fang');
    assert.ok(!JSON.stringify(entries).includes('another-strong-pass-8'));
    assert.ok(!JSON.stringify(entries).includes('$argon2id'));
  });

  it('GET /api/audit/verify: administrators only; reports an intact chain, then the first tampered entry', async () => {
    assert.equal((await app.call(basic('cadre', DEMO_PASSWORD), 'GET', '/api/audit/verify')).status, 403);
    assert.equal((await app.call(ANONYMOUS, 'GET', '/api/audit/verify')).status, 401);
    const good = await app.call(admin, 'GET', '/api/audit/verify');
    assert.equal(good.status, 200);
    assert.equal(good.json.ok, true);
    assert.ok(good.json.entries >= 10);

    const cli = await auditVerify(app.db.uri);
    assert.equal(cli.code, 0, cli.out);
    assert.match(cli.out, /audit trail intact: \d+ entries; last entry \d+, hash [0-9a-f]{64}/);

    await app.db.connection.collection('audit').updateOne({ _id: entryId(3) as never }, { $set: { target: 'user/somebody-else' } });
    const bad = await app.call(admin, 'GET', '/api/audit/verify');
    assert.equal(bad.json.ok, false);
    assert.deepEqual({ seq: bad.json.problem.seq, kind: bad.json.problem.kind }, { seq: 3, kind: 'edited' });

    const tampered = await auditVerify(app.db.uri);
    assert.equal(tampered.code, 1, tampered.out);
    assert.match(tampered.out, /audit trail TAMPERED: entry 3 was edited/);
  });
});
