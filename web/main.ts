// `npm start`: the database (local unless MONGODB_URI), the runtime, identity and the audit
// trail, the HTTP app on PORT. GRIDFLOW_MODE=production has no default passwords (the first
// administrator comes from GRIDFLOW_ADMIN_USER / GRIDFLOW_ADMIN_PASSWORD); demo mode, the default
// on an empty database, creates the demo logins documented in the README.
import type { Server } from 'node:http';
import { createRuntime, openDatabase } from '../engine/index.ts';
import { NoDatabaseServerError } from '../engine/db/local-server.ts';
import { openAuth, secureCookiesFromEnv, trustProxyFromEnv, type Auth } from './access/setup.ts';
import { bootstrap, BootstrapError, resolveMode } from './identity/bootstrap.ts';
import { createApp } from './server.ts';
import type { FeatureContext } from './feature.ts';
import { FEATURES } from './features.ts';

const port = Number(process.env.PORT ?? 3000);

/** GRIDFLOW_UNPROTECTED_API=true: no authentication at all (development and tests; refused in production mode). */
const unprotected = /^(1|true|yes)$/i.test(process.env.GRIDFLOW_UNPROTECTED_API ?? '');

async function main() {
  const db = await openDatabase();
  const runtime = await createRuntime({ connection: db.connection });
  const mode = await resolveMode(db.connection, process.env);
  if (unprotected && mode === 'production') throw new BootstrapError('GRIDFLOW_UNPROTECTED_API is refused in production mode');

  let auth: Auth | 'unprotected' = 'unprotected';
  if (!unprotected) {
    auth = await openAuth(db.connection, { mode, secureCookies: secureCookiesFromEnv(process.env.GRIDFLOW_SECURE_COOKIES) });
    await bootstrap(auth.identity, process.env, (line) => console.log(`Gridflow: ${line}`));
  } else {
    console.warn('Gridflow: GRIDFLOW_UNPROTECTED_API is set: the API has NO authentication or authorization (development and tests only)');
  }

  await runtime.start();
  const context: FeatureContext = { runtime, connection: db.connection, auth, now: () => Date.now(), log: (line) => console.log(`Gridflow: ${line}`) };
  for (const f of FEATURES) await f.start?.(context);
  const app = createApp({ runtime, auth, trustProxy: trustProxyFromEnv(process.env.GRIDFLOW_TRUST_PROXY), features: { features: FEATURES, context } });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, () => resolve(s));
    s.on('error', reject);
  });
  // Slow or oversized requests: headers within 30 s, a whole request within 10 minutes (job
  // activation long polls answer within an hour but send their request at once).
  server.headersTimeout = 30_000;
  server.requestTimeout = 600_000;
  const sweeper = auth === 'unprotected' ? undefined : setInterval(() => {
    (auth as Auth).identity.sessions.sweep().catch((err: unknown) => console.error('Gridflow: session sweep failed', err));
  }, 3_600_000);
  sweeper?.unref();
  console.log(`Gridflow is up on http://localhost:${port} (runtime: ${runtime.kind}, mode: ${mode}, database: ${db.uri.replace(/\/\/[^@/]*@/, '//***@')})`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`Gridflow: ${signal}, shutting down`);
    if (sweeper) clearInterval(sweeper);
    server.close();
    server.closeAllConnections?.();
    for (const f of [...FEATURES].reverse()) await f.stop?.().catch(() => {});
    await runtime.stop().catch(() => {});
    await db.close().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  if (err instanceof NoDatabaseServerError || err instanceof BootstrapError) console.error(`Gridflow: ${err.message}`);
  else console.error('Gridflow failed to start:', err);
  process.exit(1);
});
