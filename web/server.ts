// The HTTP application: Camunda 8.8's engine API under /v2 (and, later, Gridflow's own API
// under /api). web/main.ts wires it to a Runtime and listens.

import express from 'express';
import type { Runtime } from '../engine/runtime.ts';
import { createV2Router, type V2RouterOptions } from '../engine/rest/index.ts';

export interface AppOptions extends V2RouterOptions {
  runtime: Runtime;
}

export function createApp({ runtime, ...v2 }: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.use('/v2', createV2Router(runtime, v2));
  // /api: Gridflow's own API (forms, tasks UI, plugins) is mounted here once it exists.

  return app;
}
