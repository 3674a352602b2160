// The web app's own API under /api: what the pages need beyond Camunda's /v2.
import express from 'express';
import type { FeatureContext } from '../../feature.ts';

export function appApiRoutes(_ctx: FeatureContext): express.Router {
  const router = express.Router();
  return router;
}
