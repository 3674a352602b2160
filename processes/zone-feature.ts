// The zone's feature: the working-day FEEL functions and their calendar, the `gridflow.*` job
// handlers, the zone's data API under /api (cases, organisation and its import, cadre records,
// analytics, the calendar's years) and the demo zone seeded on an empty database in demo mode.
import express from 'express';
import type { Feature, FeatureContext } from '../web/feature.ts';
import { registerWorkingDayFunctions } from './working-days.ts';
import { registerZoneHandlers } from './handlers/index.ts';
import type { Connection } from 'mongoose';
import { caseModels } from './cases/model.ts';
import { syncCaseFacts } from './cases/facts.ts';
import { orgModels } from './org/models.ts';
import { recordModel } from './records/model.ts';
import { seedDemoZone } from './demo/org-seed.ts';
import { caseRoutes } from './cases/routes.ts';
import { orgRoutes } from './org/routes.ts';
import { recordRoutes } from './records/routes.ts';
import { analyticsRoutes } from './analytics/routes.ts';
import { WorkingCalendar } from './calendar/store.ts';
import { calendarRoutes } from './calendar/routes.ts';

/** How often the administrators' calendar years are read again (changes made by other processes). */
const CALENDAR_REFRESH_MS = 60_000;

export interface ZoneFeatureOptions {
  /** Seed the demo zone on an empty database in demo mode ('demo', the default; GRIDFLOW_DEMO_SEED=false turns it off) or never (false). */
  seed?: 'demo' | false;
}

export function createZoneFeature(opts: ZoneFeatureOptions = {}): Feature {
  let unregister: (() => void) | undefined;
  let calendar: WorkingCalendar | undefined;
  const calendarOf = (ctx: FeatureContext) => (calendar ??= new WorkingCalendar(ctx.connection, { refreshMs: CALENDAR_REFRESH_MS, log: ctx.log }));
  return {
    name: 'zone',
    async start(ctx: FeatureContext) {
      registerWorkingDayFunctions();
      await calendarOf(ctx).start();
      await ensureZoneIndexes(ctx.connection);
      const repaired = await syncCaseFacts(caseModels(ctx.connection));
      if (repaired > 0) ctx.log(`rewrote ${repaired} case fact(s) that lagged behind their cases`);
      unregister = registerZoneHandlers(ctx.runtime, ctx.connection, ctx.now);
      // Demo mode only: not in production, nor with the API unprotected (engine tests, development).
      if ((opts.seed ?? 'demo') === 'demo' && ctx.auth !== 'unprotected' && ctx.auth.identity.mode === 'demo' && process.env.GRIDFLOW_DEMO_SEED !== 'false') {
        const result = await seedDemoZone(ctx.connection, ctx.auth.identity, ctx.now);
        if (result.seeded) ctx.log(`demo zone seeded in ${result.ms} ms: ${JSON.stringify(result.counts)}`);
      }
    },
    api(ctx: FeatureContext) {
      const router = express.Router();
      router.use('/cases', caseRoutes(ctx));
      router.use('/org', orgRoutes(ctx));
      router.use('/cadres', recordRoutes(ctx));
      router.use('/analytics', analyticsRoutes(ctx));
      router.use('/calendar', calendarRoutes(ctx, calendarOf(ctx)));
      return router;
    },
    async stop() {
      unregister?.();
      unregister = undefined;
      calendar?.stop();
      calendar = undefined;
    },
  };
}

export const zoneFeature = createZoneFeature();

/** Indexes for MongoDB (FerretDB keeps them and scans anyway: reads that matter go by _id). */
async function ensureZoneIndexes(connection: Connection): Promise<void> {
  const { facts } = caseModels(connection);
  const { cadres, enterprises } = orgModels(connection);
  await facts.collection.createIndex({ gridId: 1, filedAt: -1 });
  await facts.collection.createIndex({ closedAt: 1 });
  await facts.collection.createIndex({ 'enterprise.uscc': 1 });
  await cadres.collection.createIndex({ gridId: 1 });
  await enterprises.collection.createIndex({ gridId: 1 });
  await recordModel(connection).collection.createIndex({ cadreId: 1, at: 1 });
}
