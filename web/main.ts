// `npm start`: the database (local unless MONGODB_URI), the runtime, the HTTP app on PORT.
import type { Server } from 'node:http';
import { createRuntime, openDatabase } from '../engine/index.ts';
import { NoDatabaseServerError } from '../engine/db/local-server.ts';
import { createApp } from './server.ts';

const port = Number(process.env.PORT ?? 3000);

async function main() {
  const db = await openDatabase();
  const runtime = await createRuntime({ connection: db.connection });
  await runtime.start();
  const app = createApp({ runtime });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, () => resolve(s));
    s.on('error', reject);
  });
  console.log(`Gridflow is up on http://localhost:${port} (runtime: ${runtime.kind}, database: ${db.uri.replace(/\/\/[^@/]*@/, '//***@')})`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`Gridflow: ${signal}, shutting down`);
    server.close();
    server.closeAllConnections?.();
    await runtime.stop().catch(() => {});
    await db.close().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  if (err instanceof NoDatabaseServerError) console.error(err.message);
  else console.error('Gridflow failed to start:', err);
  process.exit(1);
});
