// The local MongoDB-compatible server the platform starts when MONGODB_URI is not set:
// `mongod` if one is on PATH, otherwise FerretDB (SQLite backend) built by scripts/setup-database.mjs.
// It listens on loopback only, on a free port, with its files under the data folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ferretdbBinary = path.join(projectRoot, '.cache', 'bin', 'ferretdb');

export interface LocalServer { kind: 'mongod' | 'ferretdb'; uri: string; stop(): Promise<void> }

export class NoDatabaseServerError extends Error {
  constructor() {
    super([
      'Gridflow needs a MongoDB-compatible database, and none could be provided. Fix it in one of three ways:',
      '  1. set MONGODB_URI to an existing MongoDB-compatible server (e.g. MONGODB_URI=mongodb://127.0.0.1:27017/gridflow);',
      '  2. put `mongod` on your PATH;',
      `  3. install Go (https://go.dev/dl/) and run \`npm run setup:db\`, which builds FerretDB into ${ferretdbBinary}.`,
    ].join('\n'));
    this.name = 'NoDatabaseServerError';
  }
}

/** The full path of `name` if it is an executable on PATH. */
export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try { accessSync(file, constants.X_OK); return file; } catch { /* next */ }
  }
  return undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Start mongod or FerretDB with its files under `dataDir`; resolves once it answers `ping`. */
export async function startLocalServer(dataDir: string): Promise<LocalServer> {
  const mongod = onPath('mongod');
  const kind = mongod ? 'mongod' : existsSync(ferretdbBinary) ? 'ferretdb' : undefined;
  if (!kind) throw new NoDatabaseServerError();
  const port = await freePort();
  const dir = path.resolve(dataDir, kind);
  mkdirSync(kind === 'mongod' ? dir : path.join(dir, 'sqlite'), { recursive: true });
  const args = kind === 'mongod'
    ? ['--dbpath', dir, '--bind_ip', '127.0.0.1', '--port', String(port), '--quiet']
    : ['--handler=sqlite', `--sqlite-url=file:${path.join(dir, 'sqlite')}/`, `--state-dir=${dir}`,
      `--listen-addr=127.0.0.1:${port}`, '--debug-addr=-', '--telemetry=disable', '--log-level=error'];
  const logFile = path.join(dir, `${kind}.log`);
  const log = openSync(logFile, 'a');
  const child = spawn(mongod ?? ferretdbBinary, args, { stdio: ['ignore', log, log] });
  closeSync(log);
  const release = killOnExit(child);
  const stop = async () => { release(); await terminate(child); };
  const uri = `mongodb://127.0.0.1:${port}/`;
  try {
    await waitForPing(uri, child, logFile);
  } catch (err) {
    await stop();
    throw err;
  }
  return { kind, uri, stop };
}

async function waitForPing(uri: string, child: ChildProcess, logFile: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The local database server exited (${child.exitCode ?? child.signalCode}) before accepting connections; ` +
        `last lines of ${logFile}:\n${tail(logFile)}`);
    }
    const client = new mongoose.mongo.MongoClient(uri, { serverSelectionTimeoutMS: 500, connectTimeoutMS: 500 });
    try {
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`The local database server did not answer at ${uri} within ${timeoutMs} ms: ${(err as Error).message}`);
    } finally {
      await client.close().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function tail(file: string, lines = 20): string {
  try { return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n'); } catch { return '(no log)'; }
}

// Children to kill when this process exits, or gets SIGINT/SIGTERM that nobody else handles (an
// application that handles the signal itself is expected to close its database; 'exit' is the net).
const children = new Set<ChildProcess>();
const killAll = () => { for (const child of children) child.kill('SIGTERM'); };
const onSignal = (signal: NodeJS.Signals) => {
  if (process.listenerCount(signal) > 1) return;
  killAll();
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  process.kill(process.pid, signal); // terminate as if we had not been listening
};

function killOnExit(child: ChildProcess): () => void {
  if (children.size === 0) process.on('exit', killAll).on('SIGINT', onSignal).on('SIGTERM', onSignal);
  children.add(child);
  const release = () => {
    if (children.delete(child) && children.size === 0) process.off('exit', killAll).off('SIGINT', onSignal).off('SIGTERM', onSignal);
  };
  child.once('exit', release);
  return release;
}

async function terminate(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
