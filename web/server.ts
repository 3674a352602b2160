// The HTTP application: Camunda 8.8's engine API under /v2, Gridflow's own API under /api, the
// OAuth 2.0 token endpoint under /oauth. web/main.ts wires it to a Runtime and listens.
// Security (docs/security.md): helmet's headers with a Content-Security-Policy fit for bpmn-js
// and form-js, body size limits on every route, authentication and the permission matrix on
// every endpoint (or, explicitly, none: `auth: 'unprotected'`, for tests and development).

import express from 'express';
import helmet from 'helmet';
import type { Runtime } from '../engine/runtime.ts';
import { enforceForms, withStrictForms } from '../forms/enforce.ts';
import { createV2Router, type V2RouterOptions } from '../engine/rest/index.ts';
import { authenticateRequests, hasPrincipal, unauthorized } from '../engine/rest/access.ts';
import { notFoundHandler, problemErrorHandler } from '../engine/rest/problem.ts';
import type { Auth } from './access/setup.ts';
import type { Feature, FeatureContext } from './feature.ts';
import { auditRoutes } from './audit/routes.ts';
import { formsRoutes } from './forms-api.ts';
import { identityRoutes, oauthRoutes } from './identity/routes.ts';

export interface AppOptions extends Omit<V2RouterOptions, 'access'> {
  runtime: Runtime;
  /**
   * Who may call. The platform's identity and audit trail (see openAuth), or 'unprotected':
   * no authentication and no authorization anywhere, and no /api or /oauth (like Camunda's
   * unprotected-api setting; for tests of the engine API and development only).
   */
  auth: Auth | 'unprotected';
  /** Express's trust proxy setting (default false): needed for X-Forwarded-Proto/For behind a proxy. */
  trustProxy?: boolean | number | string;
  /** Body size limit of /api (default '64kb'). */
  apiJsonLimit?: number | string;
  /** Features (web/feature.ts) whose routes to mount, with the context they were started with. */
  features?: { features: readonly Feature[]; context: FeatureContext };
}

/**
 * The Content-Security-Policy. bpmn-js and form-js are bundled and served from this origin; both
 * set inline styles (diagram-js positions overlays, form-js its layout), so styles allow
 * 'unsafe-inline' while scripts do not; diagrams exported as images and icons use data: and blob:
 * URLs. Nothing may frame the platform.
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'worker-src': ["'self'", 'blob:'],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
} as const;

export function createApp({ runtime: engine, auth, trustProxy, apiJsonLimit, features, ...v2 }: AppOptions): express.Express {
  // Every completion of a user task that has a form is checked against the form (forms/enforce.ts).
  const runtime = enforceForms(engine);
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', trustProxy ?? false);
  app.use(helmet({
    contentSecurityPolicy: { useDefaults: false, directives: Object.fromEntries(Object.entries(CONTENT_SECURITY_POLICY).map(([k, v]) => [k, [...v]])) },
    referrerPolicy: { policy: 'no-referrer' },
  }));

  const v2Router = createV2Router(runtime, { ...v2, access: auth === 'unprotected' ? 'unprotected' : auth.identity });
  app.use('/v2', v2Router);
  // Gridflow's own task completion: Camunda's route (access, validation, audit) under the stricter
  // form rule: keys the task's form does not define are refused.
  app.post('/api/user-tasks/:userTaskKey/completion', (req, res, next) => {
    req.url = `/user-tasks/${encodeURIComponent(String(req.params.userTaskKey))}/completion`;
    withStrictForms(() => v2Router(req, res, next));
  });

  if (auth !== 'unprotected') {
    const { identity, trail } = auth;
    app.use('/oauth', oauthRoutes(identity));
    const api = express.Router();
    // Credentials before bodies: apart from signing in and asking who one is, an anonymous
    // caller gets 401 before the server reads what it sent.
    const authenticate = authenticateRequests(identity);
    api.use((req, res, next) => {
      if ((req.method === 'POST' && req.path === '/login') || (req.method === 'GET' && req.path === '/session')) return next();
      authenticate(req, res, (err?: unknown) => next(err ?? (hasPrincipal(res) ? undefined : unauthorized())));
    });
    api.use(express.json({ limit: apiJsonLimit ?? '64kb', strict: true, type: ['application/json', 'application/*+json'] }));
    api.use(identityRoutes(identity));
    api.use('/audit', auditRoutes(trail, authenticateRequests(identity)));
    api.use('/forms', formsRoutes(runtime, identity));
    // Each feature's route declares its permission with requirePermission (docs/security.md).
    for (const f of features?.features ?? []) if (f.api) api.use(f.api(features!.context));
    api.use(notFoundHandler);
    api.use(problemErrorHandler(v2.logError));
    app.use('/api', api);
  }

  for (const f of features?.features ?? []) if (f.site) app.use(f.site(features!.context));
  // Anything else (unknown paths, a task key that cannot be decoded) answers problem+json too.
  app.use(notFoundHandler);
  app.use(problemErrorHandler(v2.logError));
  return app;
}
