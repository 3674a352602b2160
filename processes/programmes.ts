// The zone's programmes as a feature: on start, deploys the shipped diagrams and forms that are
// new or changed, then, on a demo platform whose programmes never ran, drives in-flight demo work
// through the runtime (processes/demo/flows.ts). Runs after the zone feature, whose job handlers
// and organisation the programmes use.
import type { Feature, FeatureContext } from '../web/feature.ts';
import { deployShipped, PROGRAMMES } from './diagrams/ship.ts';
import { seedDemoFlows } from './demo/flows.ts';

const MARKER = 'programme_demo';

/** Demo mode and no instance of any programme yet (GRIDFLOW_DEMO_FLOWS=false skips the demo work). */
async function wantsDemo(ctx: FeatureContext): Promise<boolean> {
  if (ctx.auth === 'unprotected' || ctx.auth.identity.mode !== 'demo' || process.env.GRIDFLOW_DEMO_FLOWS === 'false') return false;
  for (const processDefinitionId of PROGRAMMES) {
    const { page } = await ctx.runtime.searchProcessInstances({ filter: { processDefinitionId }, page: { limit: 1 } });
    if (page.totalItems > 0) return false;
  }
  // One platform seeds once, also when two start at the same time.
  try {
    await ctx.connection.db!.collection<{ _id: string; at: Date }>(MARKER).insertOne({ _id: 'flows', at: new Date(ctx.now()) });
    return true;
  } catch (err) {
    if ((err as { code?: unknown }).code === 11000) return false;
    throw err;
  }
}

export const programmesFeature: Feature = {
  name: 'programmes',
  async start(ctx) {
    const { deployed } = await deployShipped(ctx.runtime);
    if (deployed.length > 0) ctx.log(`programmes: deployed ${deployed.join(', ')}`);
    if (await wantsDemo(ctx)) {
      const started = Date.now();
      try {
        const summary = await seedDemoFlows(ctx.runtime, ctx.connection, ctx.now);
        ctx.log(`programmes: demo work seeded in ${Date.now() - started} ms (${summary.instances} instances started, ${summary.tasksCompleted} tasks completed)`);
      } catch (err) {
        // Demo work is a convenience: the platform starts without it (the instances so far stay).
        ctx.log(`programmes: demo work stopped after ${Date.now() - started} ms: ${(err as Error).message}`);
      }
    }
  },
};
