// Opens the platform's database: an explicit `uri`, else MONGODB_URI, else a local server started
// here (mongod on PATH, else FerretDB from .cache/bin) with its files under GRIDFLOW_DATA (./data).
//
// Checked against FerretDB v1.24.2 (SQLite backend) through mongoose 9.12 in test/db.test.ts.
// WORKS: unique indexes (E11000, code 11000), also for concurrent inserts from several connections
// (exactly one wins); findOneAndUpdate with a version condition and $inc/$set when not concurrent
// (stale version -> null); insertMany ordered:false with duplicates (code 11000, one writeError per
// duplicate, the rest inserted); $match/$group($sum)/$sort/$skip/$limit, $count; find with
// sort/skip/limit, countDocuments; ~1 MB documents (strings, Buffers, nested arrays).
// DOES NOT WORK on FerretDB 1.x (fine on mongod; isFerretDB() below tells them apart):
//  1. Concurrent updates are not atomic. FerretDB reads the matching document, applies the update
//     in Go and writes it back by _id, with no check that it still matches. 20 concurrent
//     findOneAndUpdate({_id, version: 0}, {$inc: {version: 1}}) returned the updated document to
//     2..10 callers (18 of 20 rounds), and 50 concurrent updateOne({_id}, {$inc: {n: 1}}) left n = 3.
//     So a version-field condition is NOT optimistic concurrency there. Mitigation here: FerretDB
//     runs one connection's commands one at a time, so openDatabase connects to FerretDB with
//     maxPoolSize 1, which makes the updates of ONE process atomic (tested). Several processes or
//     connections on one FerretDB database still race; what is atomic across them is the unique
//     index: claim a change by inserting {key, version: n + 1} into a collection with a unique
//     index on {key, version} (duplicate key = lost the race).
//  2. $group computes only its FIRST accumulator: {n: {$sum: 1}, r: {$sum: '$r'}} gives r = 0
//     (all accumulators share one iterator, the first exhausts it). Use one accumulator per $group.
//  4. Only a filter of exactly {_id: <string|ObjectId>} is pushed down to SQLite; every other
//     filter is evaluated in Go over the whole collection. Even that lookup scanned the table
//     until scripts/setup-database.mjs patched FerretDB to use its own _id index.
//  3. Not implemented: the $facet stage; the $max, $min, $push, $avg... accumulators (only $sum
//     and $count are). Count pages with countDocuments instead of $facet.
import path from 'node:path';
import mongoose from 'mongoose';
import { startLocalServer } from './local-server.ts';

export interface Database { uri: string; connection: mongoose.Connection; close(): Promise<void> }
export interface DatabaseOptions { dataDir?: string; uri?: string }

export const defaultDbName = 'gridflow';

export async function openDatabase(opts: DatabaseOptions = {}): Promise<Database> {
  const external = opts.uri || process.env.MONGODB_URI || undefined;
  const server = external ? undefined
    : await startLocalServer(path.resolve(opts.dataDir ?? (process.env.GRIDFLOW_DATA || './data')));
  const uri = withDbName(external ?? server!.uri, defaultDbName, false);
  try {
    const connection = await mongoose.createConnection(uri, await connectOptions(uri)).asPromise();
    const close = async () => {
      await connection.close();
      await server?.stop();
    };
    return { uri, connection, close };
  } catch (err) {
    await server?.stop();
    throw err;
  }
}

/** `uri` naming database `name`; with `override` false, a database already named in `uri` is kept. */
export function withDbName(uri: string, name: string, override = true): string {
  const m = /^(mongodb(?:\+srv)?:\/\/[^/?]*)(\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!m) throw new Error(`Not a MongoDB connection string: ${uri}`);
  const [, hosts, dbPath, query = ''] = m;
  if (!override && dbPath && dbPath.length > 1) return uri;
  return `${hosts}/${name}${query}`;
}

/** FerretDB answers buildInfo with a `ferretdbVersion`; see the limits noted at the top of this file. */
export async function isFerretDB(connection: mongoose.Connection): Promise<boolean> {
  const info = await connection.db!.admin().command({ buildInfo: 1 });
  return 'ferretdbVersion' in info;
}

/** Options for mongoose.createConnection(uri): one pooled connection on FerretDB (see note 1 above). */
export async function connectOptions(uri: string): Promise<mongoose.ConnectOptions> {
  if (/[?&]maxPoolSize=/i.test(uri)) return {};
  const client = new mongoose.mongo.MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    return 'ferretdbVersion' in info ? { maxPoolSize: 1 } : {};
  } finally {
    await client.close();
  }
}
