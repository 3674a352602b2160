// Mocha root-hook plugin (see .mocharc.json): the whole test run shares ONE database server,
// MONGODB_URI if set, else a local server (mongod or FerretDB) started once in a temp folder.
// Each test file asks testDatabase('its-name') for its own freshly dropped database.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { startLocalServer, type LocalServer } from '../../engine/db/local-server.ts';
import { connectOptions, withDbName } from '../../engine/db/connect.ts';

interface Shared { uri: string; server?: LocalServer; dir?: string }
let shared: Promise<Shared> | undefined;
const connections = new Set<mongoose.Connection>();

async function start(): Promise<Shared> {
  if (process.env.MONGODB_URI) return { uri: process.env.MONGODB_URI };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gridflow-test-'));
  const server = await startLocalServer(dir);
  return { uri: server.uri, server, dir };
}

/** URI of the shared server (started on first use). Child platform processes get it as MONGODB_URI. */
export async function testServerUri(): Promise<string> {
  shared ??= start();
  return (await shared).uri;
}

export interface TestDatabase { name: string; uri: string; connection: mongoose.Connection }

/**
 * A fresh (dropped) database for one test file, connected as openDatabase() would connect to it;
 * `uri` names that database, for child processes (MONGODB_URI) or openDatabase({ uri }).
 */
export async function testDatabase(name: string): Promise<TestDatabase> {
  const dbName = `gf_test_${name.replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 60);
  const uri = withDbName(await testServerUri(), dbName);
  const connection = await mongoose.createConnection(uri, await connectOptions(uri)).asPromise();
  connections.add(connection);
  await connection.dropDatabase();
  return { name: dbName, uri, connection };
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    await testServerUri();
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    await Promise.all([...connections].map((c) => c.close()));
    connections.clear();
    if (!shared) return;
    const { server, dir } = await shared;
    shared = undefined;
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  },
};
