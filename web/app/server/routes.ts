// The web app's own API under /api: what the pages need beyond Camunda's /v2.
import express from 'express';
import type { FeatureContext } from '../../feature.ts';
import { monthlyExportRoutes } from './monthly-export.ts';
import { startFormRoutes } from './start-forms.ts';
import { tasklistRoutes } from './tasklist.ts';

export function appApiRoutes(ctx: FeatureContext): express.Router {
  const router = express.Router();
  router.use(tasklistRoutes(ctx));
  router.use(startFormRoutes(ctx));
  router.use(monthlyExportRoutes(ctx));
  return router;
}
