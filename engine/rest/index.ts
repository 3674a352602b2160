// Gridflow's engine API: Camunda 8.8's Orchestration Cluster REST API (v2), mounted at /v2.
// Same paths, bodies and status codes as Camunda, so Camunda's own clients work against it;
// errors are application/problem+json. Every route validates path, query and body before it
// calls the Runtime.

import express, { type Router } from 'express';
import type { Runtime } from '../runtime.ts';
import { authenticateRequests, hasPrincipal, unauthorized, type V2AccessOption } from './access.ts';
import { RestContext } from './context.ts';
import { deploymentRoutes, type UploadLimits } from './deployments.ts';
import { elementInstanceRoutes } from './element-instances.ts';
import { incidentRoutes } from './incidents.ts';
import { jobRoutes } from './jobs.ts';
import { messageRoutes } from './messages.ts';
import { notFoundHandler, problemErrorHandler } from './problem.ts';
import { processDefinitionRoutes } from './process-definitions.ts';
import { processInstanceRoutes } from './process-instances.ts';
import { Routes } from './routes.ts';
import { topologyRoutes } from './topology.ts';
import { userTaskRoutes, type FormResolver } from './user-tasks.ts';
import { jsonShapeGuard } from './validation.ts';
import { variableRoutes } from './variables.ts';

export type { FormResolver } from './user-tasks.ts';
export type { AuditRecord, Permission, Principal, UserInfo, V2Access, V2AccessOption } from './access.ts';
export { PERMISSIONS, unauthorized, forbidden } from './access.ts';
export type { UploadLimits } from './deployments.ts';

export interface V2RouterOptions {
  /**
   * Who may call: the web layer's authenticator and audit trail, or 'unprotected' (no
   * authentication or authorization, like Camunda's unprotected-api setting: tests and
   * development only). Required, so an unguarded API is always a visible choice.
   */
  access: V2AccessOption;
  /** Resolves a user task's form for GET /v2/user-tasks/{key}/form; without it the endpoint answers 204. */
  formResolver?: FormResolver;
  /** JSON body size limit (bytes or a string like '1mb'); larger bodies get 413. Default '1mb'. */
  jsonLimit?: number | string;
  /** Deployment upload limits (default 5 MB per file, 100 files). */
  upload?: UploadLimits;
  /** Where unexpected (500) errors are logged; defaults to console.error. */
  logError?: (message: string, err: unknown) => void;
}

/** Router plus the registered route table (used by tests to check every route has schemas). */
export type V2Router = Router & { routes: Routes['registered'] };

export function createV2Router(runtime: Runtime, options: V2RouterOptions): V2Router {
  const router = express.Router({ strict: false, caseSensitive: true });
  const logError = options.logError ?? ((msg: string, err: unknown) => console.error(msg, err));
  const ctx = new RestContext(runtime, options.access, logError);
  // Who is calling, before any body is read.
  router.use(authenticateRequests(options.access));
  // Every /v2 call needs credentials: an anonymous caller gets 401 before any body is read.
  router.use((_req, res, next) => next(hasPrincipal(res) ? undefined : unauthorized()));
  router.use(express.json({ limit: options.jsonLimit ?? '1mb', strict: false, type: ['application/json', 'application/*+json'] }));
  router.use(jsonShapeGuard);

  const r = new Routes(router);
  topologyRoutes(r, runtime);
  deploymentRoutes(r, ctx, options.upload);
  processDefinitionRoutes(r, runtime);
  processInstanceRoutes(r, ctx);
  elementInstanceRoutes(r, ctx);
  userTaskRoutes(r, ctx, options.formResolver);
  jobRoutes(r, runtime);
  messageRoutes(r, runtime);
  variableRoutes(r, ctx);
  incidentRoutes(r, ctx);
  r.finish();

  router.use(notFoundHandler);
  router.use(problemErrorHandler(options.logError));
  return Object.assign(router, { routes: r.registered });
}
