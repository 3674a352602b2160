// Installs the local database server (FerretDB) when no MongoDB is configured; see engine/db/.
// Runs as npm postinstall and as `npm run setup:db`. Plain Node, no dependencies.
//
// Builds FerretDB v1.24.2 (SQLite backend) with Go into .cache/bin/ferretdb. A plain
// `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` builds a binary that panics at
// start-up ("Invalid build/version/version.txt file content"): the module lacks the generated
// build/version/version.txt. So we fetch the module with Go, copy it, add that file, and run
// `go install ./cmd/ferretdb` in the copy with GOBIN=.cache/bin.
//
// One line of FerretDB is patched (PATCH below). Its SQLite backend looks documents up by
// `_ferretdb_sjson->'$._id'`, while the unique _id index it creates is on
// `_ferretdb_sjson->"_id"`: SQLite matches index expressions by their text, so no lookup, update
// or delete by _id ever used the index and each one scanned its whole table (measured: 10 ms at
// 5,000 documents, growing with the table). The patch makes lookups use the index's own
// expression; the two select the same value. The stamp file records which patch a binary has.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = 'v1.24.2';
const MODULE = 'github.com/FerretDB/FerretDB';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, '.cache', 'bin');
const binary = path.join(bin, 'ferretdb');
const PATCH = 'id-index-lookup-1';
const stamp = path.join(bin, 'ferretdb.patch');
const patched = () => { try { return readFileSync(stamp, 'utf8').trim() === PATCH; } catch { return false; } };
const explicit = process.env.npm_lifecycle_event !== 'postinstall';
const log = (msg) => console.log(`[setup:db] ${msg}`);

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    try { if (dir) { accessSync(path.join(dir, name), constants.X_OK); return path.join(dir, name); } } catch { /* next */ }
  }
  return undefined;
}

/** Give up: a warning during npm install (never fail it), an error when run on purpose. */
function giveUp(msg) {
  console.warn(`[setup:db] WARNING: ${msg}`);
  console.warn('[setup:db] Gridflow will not start without a database: set MONGODB_URI, put mongod on PATH, ' +
    'or install Go (https://go.dev/dl/) and run `npm run setup:db`.');
  process.exit(explicit ? 1 : 0);
}

function works(file) {
  return spawnSync(file, ['--version'], { encoding: 'utf8' }).stdout?.includes(`version: ${VERSION}`);
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
    child.on('error', reject);
    child.on('exit', (code, signal) => code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} failed (${code ?? signal})`)));
  });
}

function makeWritable(dir) {
  chmodSync(dir, 0o755);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) makeWritable(p); else chmodSync(p, 0o644);
  }
}

if (process.env.MONGODB_URI) { log('MONGODB_URI is set: no local database server needed.'); process.exit(0); }
if (onPath('mongod')) { log(`using ${onPath('mongod')}: no FerretDB needed.`); process.exit(0); }
if (existsSync(binary) && works(binary) && patched()) { log(`FerretDB ${VERSION} is ready at ${path.relative(root, binary)}.`); process.exit(0); }
if (!onPath('go')) giveUp(`Go is not installed, so FerretDB ${VERSION} cannot be built.`);

const started = Date.now();
log(`building FerretDB ${VERSION} into ${path.relative(root, binary)} (the first build takes a few minutes)...`);
const heartbeat = setInterval(() => log(`still building... ${Math.round((Date.now() - started) / 1000)} s`), 30_000);
const src = path.join(root, '.cache', `ferretdb-${VERSION}-src`);
let failure;
try {
  const dl = spawnSync('go', ['mod', 'download', '-json', `${MODULE}@${VERSION}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (dl.status !== 0) throw new Error(`go mod download ${MODULE}@${VERSION} failed: ${dl.stdout}`);
  rmSync(src, { recursive: true, force: true });
  cpSync(JSON.parse(dl.stdout).Dir, src, { recursive: true });
  makeWritable(src);
  writeFileSync(path.join(src, 'build', 'version', 'version.txt'), `${VERSION}\n`);
  const meta = path.join(src, 'internal', 'backends', 'sqlite', 'metadata', 'metadata.go');
  const before = readFileSync(meta, 'utf8');
  const after = before.replace(`IDColumn = DefaultColumn + "->'$._id'"`, 'IDColumn = DefaultColumn + `->"_id"`');
  if (after === before) throw new Error(`cannot apply ${PATCH} to ${meta}`);
  writeFileSync(meta, after);
  mkdirSync(bin, { recursive: true });
  await run('go', ['install', '-trimpath', '-buildvcs=false', './cmd/ferretdb'], { cwd: src, env: { ...process.env, GOBIN: bin } });
  if (!works(binary)) throw new Error(`${binary} was built but does not run`);
  writeFileSync(stamp, `${PATCH}\n`);
  log(`FerretDB ${VERSION} built in ${Math.round((Date.now() - started) / 1000)} s.`);
} catch (err) {
  failure = err.message;
} finally {
  clearInterval(heartbeat);
  rmSync(src, { recursive: true, force: true });
}
if (failure) giveUp(failure);
