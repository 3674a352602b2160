// What the engine needs from its database, checked through mongoose 9 against the real server the
// test run uses (FerretDB unless mongod is on PATH or MONGODB_URI is set).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mongoose, { Schema } from 'mongoose';
import { isFerretDB, openDatabase, withDbName } from '../engine/db/connect.ts';
import { NoDatabaseServerError, startLocalServer } from '../engine/db/local-server.ts';
import { testDatabase, type TestDatabase } from './helpers/database.ts';

const versioned = new Schema({ _id: String, version: Number, count: Number, state: String });

describe('database', () => {
  let db: TestDatabase;
  before(async () => { db = await testDatabase('db'); });

  it('enforces unique indexes with duplicate key error 11000', async () => {
    const Key = db.connection.model('UniqueKey', new Schema({ key: { type: String, unique: true }, n: Number }));
    await Key.init();
    await Key.create({ key: 'a', n: 1 });
    await assert.rejects(Key.create({ key: 'a', n: 2 }), (err: { code?: number }) => err.code === 11000);
    assert.equal(await Key.countDocuments(), 1);
  });

  it('lets exactly one of many concurrent inserts of a unique key win (from two connections)', async () => {
    const other = await mongoose.createConnection(db.uri).asPromise();
    try {
      const schema = new Schema({ key: String, version: Number });
      schema.index({ key: 1, version: 1 }, { unique: true });
      const [A, B] = [db.connection.model('Claim', schema), other.model('Claim', schema)];
      await A.init();
      for (let version = 1; version <= 10; version++) {
        const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => (i % 2 ? A : B).create({ key: 'k', version })));
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        assert.ok(results.every((r) => r.status === 'fulfilled' || (r.reason as { code?: number }).code === 11000));
      }
    } finally {
      await other.close();
    }
  });

  it('findOneAndUpdate with a version condition updates only the expected version ($inc/$set)', async () => {
    const Doc = db.connection.model('Versioned', versioned);
    await Doc.create({ _id: 'x', version: 3, count: 0, state: 'NEW' });
    assert.equal(await Doc.findOneAndUpdate({ _id: 'x', version: 2 }, { $inc: { version: 1 }, $set: { state: 'STALE' } }), null);
    const next = await Doc.findOneAndUpdate({ _id: 'x', version: 3 }, { $inc: { version: 1, count: 2 }, $set: { state: 'OK' } }, { returnDocument: 'after' }).lean();
    assert.deepEqual(next, { _id: 'x', version: 4, count: 2, state: 'OK', __v: 0 });
    assert.equal(await Doc.findOneAndUpdate({ _id: 'x', version: 3 }, { $inc: { version: 1 } }), null);
  });

  // Twenty writers race on version 0, exactly one wins; read-modify-write with retry and plain
  // $inc lose no increment.
  const race = async (Doc: any, Other: any, _id: string) => {
    await Doc.create({ _id, version: 0, count: 0, state: 'NEW' });
    const pick = (i: number) => (i % 2 ? Doc : Other);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      pick(i).findOneAndUpdate({ _id, version: 0 }, { $inc: { version: 1, count: 1 }, $set: { state: `W${i}` } }, { returnDocument: 'after' }).lean()));
    assert.equal(results.filter((r) => r !== null).length, 1);
    const bump = async (i: number) => {
      for (;;) {
        const cur = (await pick(i).findById(_id).lean())!;
        if (await pick(i).findOneAndUpdate({ _id, version: cur.version }, { $inc: { version: 1 }, $set: { count: cur.count + 1 } })) return;
      }
    };
    await Promise.all(Array.from({ length: 15 }, (_, i) => bump(i)));
    await Promise.all(Array.from({ length: 30 }, (_, i) => pick(i).updateOne({ _id }, { $inc: { count: 1 } })));
    const final = (await Doc.findById(_id).lean())!;
    assert.deepEqual({ version: final.version, count: final.count }, { version: 16, count: 46 });
  };

  it('conditional findOneAndUpdate and $inc are atomic under concurrency on the connection openDatabase makes', async () => {
    const Doc = db.connection.model('Versioned', versioned);
    await race(Doc, Doc, 'y');
  });

  it('... and across connections (FerretDB 1.x: not)', async function () {
    if (await isFerretDB(db.connection)) this.skip(); // see note 1 at the top of engine/db/connect.ts
    const other = await mongoose.createConnection(db.uri).asPromise();
    try {
      await race(db.connection.model('Versioned', versioned), other.model('Versioned', versioned), 'z');
    } finally {
      await other.close();
    }
  });

  it('insertMany ordered:false inserts everything but the duplicates', async () => {
    const Event = db.connection.model('Event', new Schema({ _id: String, seq: Number }));
    await Event.create({ _id: 'e0', seq: 0 });
    const err = await Event.insertMany(
      [{ _id: 'e1', seq: 1 }, { _id: 'e0', seq: 0 }, { _id: 'e2', seq: 2 }, { _id: 'e1', seq: 1 }, { _id: 'e3', seq: 3 }],
      { ordered: false }).then(() => undefined, (e: unknown) => e as { code?: number; writeErrors?: Array<{ code?: number }> });
    assert.ok(err, 'expected a bulk write error');
    assert.equal(err.code, 11000);
    assert.equal(err.writeErrors?.length, 2);
    assert.ok(err.writeErrors.every((w) => w.code === 11000));
    assert.deepEqual((await Event.find().sort({ seq: 1 }).lean()).map((e) => e._id), ['e0', 'e1', 'e2', 'e3']);
  });

  describe('aggregation', () => {
    const docs = Array.from({ length: 60 }, (_, i) => ({ type: `t${i % 6}`, state: i % 4 === 0 ? 'FAILED' : 'ACTIVE', retries: i % 5 }));
    const active = docs.filter((d) => d.state === 'ACTIVE');
    const total = (type: string, f: (d: typeof docs[number]) => number) => active.filter((d) => d.type === type).reduce((n, d) => n + f(d), 0);
    const types = [...new Set(active.map((d) => d.type))];
    const jobModel = (c: mongoose.Connection) => c.model('Job', new Schema({ type: String, state: String, retries: Number }));
    let Job: ReturnType<typeof jobModel>;
    before(async () => {
      Job = jobModel(db.connection);
      await Job.insertMany(docs);
    });

    it('runs $match, $group($sum), $sort, $skip, $limit', async () => {
      const expected = types.map((t) => ({ _id: t, retries: total(t, (d) => d.retries) }))
        .sort((a, b) => b.retries - a.retries || a._id.localeCompare(b._id));
      const page = await Job.aggregate([
        { $match: { state: 'ACTIVE' } },
        { $group: { _id: '$type', retries: { $sum: '$retries' } } },
        { $sort: { retries: -1, _id: 1 } },
        { $skip: 1 },
        { $limit: 3 },
      ]);
      assert.deepEqual(page, expected.slice(1, 4));
      const counts = await Job.aggregate([{ $match: { state: 'ACTIVE' } }, { $group: { _id: '$type', n: { $sum: 1 } } }, { $sort: { _id: 1 } }]);
      assert.deepEqual(counts, types.sort().map((t) => ({ _id: t, n: total(t, () => 1) })));
    });

    it('computes several accumulators in one $group (FerretDB 1.x: only the first)', async function () {
      if (await isFerretDB(db.connection)) this.skip(); // see note 2 at the top of engine/db/connect.ts
      const groups = await Job.aggregate([{ $match: { state: 'ACTIVE' } }, { $group: { _id: '$type', n: { $sum: 1 }, retries: { $sum: '$retries' } } }, { $sort: { _id: 1 } }]);
      assert.deepEqual(groups, types.sort().map((t) => ({ _id: t, n: total(t, () => 1), retries: total(t, (d) => d.retries) })));
    });

    it('sorts, skips, limits and counts finds', async () => {
      const found = await Job.find({ state: 'ACTIVE' }).sort({ type: 1, retries: -1 }).skip(5).limit(4).lean();
      const sorted = [...active].sort((a, b) => a.type.localeCompare(b.type) || b.retries - a.retries);
      assert.deepEqual(found.map(({ type, retries }) => ({ type, retries })), sorted.slice(5, 9).map(({ type, retries }) => ({ type, retries })));
      assert.equal(await Job.countDocuments({ state: 'ACTIVE' }), active.length);
    });
  });

  it('stores and reads back ~1 MB documents', async () => {
    const Blob = db.connection.model('Blob', new Schema({ _id: String, xml: String, data: Buffer, variables: Schema.Types.Mixed }));
    const xml = '<bpmn:definitions>' + 'x'.repeat(600_000) + '</bpmn:definitions>';
    const data = Buffer.alloc(200_000, 7);
    const variables = { items: Array.from({ length: 2_000 }, (_, i) => ({ i, name: `item ${i}`, tags: ['a', 'b', 'c'], note: 'é€😀'.repeat(10) })) };
    await Blob.create({ _id: 'big', xml, data, variables });
    const back = (await Blob.findById('big').lean())!;
    assert.equal(back.xml, xml);
    assert.ok(Buffer.from(back.data!.buffer).equals(data));
    assert.deepEqual(back.variables, variables);
    await Blob.updateOne({ _id: 'big' }, { $set: { xml: xml.replace('x', 'y') } });
    assert.equal((await Blob.findById('big').lean())!.xml!.slice(0, 20), '<bpmn:definitions>yx');
  });
});

describe('openDatabase', () => {
  it('connects to an explicit URI and keeps the database it names', async () => {
    const { uri: testUri } = await testDatabase('open');
    const db = await openDatabase({ uri: testUri });
    try {
      assert.equal(db.connection.name, 'gf_test_open');
      assert.equal(db.uri, testUri);
      await db.connection.collection('c').insertOne({ a: 1 });
      assert.equal(await db.connection.collection('c').countDocuments(), 1);
    } finally {
      await db.close();
    }
  });

  it('names the default database gridflow', () => {
    assert.equal(withDbName('mongodb://h:1', 'gridflow', false), 'mongodb://h:1/gridflow');
    assert.equal(withDbName('mongodb://h:1/?a=b', 'gridflow', false), 'mongodb://h:1/gridflow?a=b');
    assert.equal(withDbName('mongodb://u:p@h:1,h2:2/mine?a=b', 'gridflow', false), 'mongodb://u:p@h:1,h2:2/mine?a=b');
    assert.equal(withDbName('mongodb://h:1/mine', 'other'), 'mongodb://h:1/other');
  });

  it('explains the three ways to get a database when none can be provided', () => {
    const { message } = new NoDatabaseServerError();
    for (const fix of ['MONGODB_URI', 'mongod', 'npm run setup:db']) assert.ok(message.includes(fix), fix);
  });

  it('starts a local server in the data folder and stops it', async function () {
    if (process.env.MONGODB_URI) this.skip();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gridflow-local-'));
    try {
      const server = await startLocalServer(dir);
      assert.match(server.uri, /^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
      const client = await new mongoose.mongo.MongoClient(server.uri).connect();
      await client.db('x').collection('y').insertOne({ z: 1 });
      await client.close();
      await server.stop();
      const after = new mongoose.mongo.MongoClient(server.uri, { serverSelectionTimeoutMS: 300 });
      await assert.rejects(after.db('admin').command({ ping: 1 }));
      await after.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
