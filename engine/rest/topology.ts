// GET /v2/topology: the cluster topology (the embedded runtime reports itself as a one-broker cluster).

import type { Runtime } from '../runtime.ts';
import { ok, type Routes } from './routes.ts';

export function topologyRoutes(r: Routes, runtime: Runtime): void {
  r.get('/topology', { access: 'cluster.read', schemas: {} }, async (_req, res) => {
    ok(res, await runtime.topology());
  });
}
