// A thin registrar over an Express router: every route must declare its schemas (so nothing
// reaches the Runtime unvalidated), JSON routes refuse other media types, search routes get the
// `$`-key guard that lets Camunda's filter operators through (every other route refuses `$` keys
// anywhere in its body), and paths answer 405 (with Allow) for methods they do not serve.
// Every route also names the permission it needs: it is checked before anything else (401 for
// an unauthenticated caller, 403 without the permission), so no route can be added unguarded.

import type { Request, RequestHandler, Router } from 'express';
import { requirePermission, type Permission } from './access.ts';
import { invalidArgument, sendProblem } from './problem.ts';
import { operatorKeyGuard } from './search.ts';
import { dollarKeyGuard, requireJsonContentType, validate, type RouteSchemas } from './validation.ts';

export type Method = 'get' | 'post' | 'delete';

export interface RouteOptions {
  /** The permission a caller needs ('authenticated': any authenticated caller). */
  access: Permission | 'authenticated';
  schemas: RouteSchemas;
  /** Search endpoint: `$` keys only as Camunda's operators in filter fields (others refused before schema validation). */
  search?: boolean;
  /** Body is multipart/form-data, parsed by `before` (no JSON content-type check). */
  multipart?: boolean;
  /** Middleware to run before validation (e.g. the multipart parser). */
  before?: RequestHandler[];
}

export interface RouteInfo { method: Method; path: string; schemas: RouteSchemas; access: Permission | 'authenticated' }

export class Routes {
  readonly registered: RouteInfo[] = [];
  private readonly methods = new Map<string, Set<string>>();

  constructor(private readonly router: Router) {}

  get(path: string, opts: RouteOptions, handler: RequestHandler): void { this.add('get', path, opts, handler); }
  post(path: string, opts: RouteOptions, handler: RequestHandler): void { this.add('post', path, opts, handler); }
  delete(path: string, opts: RouteOptions, handler: RequestHandler): void { this.add('delete', path, opts, handler); }

  private add(method: Method, path: string, opts: RouteOptions, handler: RequestHandler): void {
    const hasParams = /\/:/.test(path);
    if (hasParams && opts.schemas.params === undefined) {
      throw new Error(`route ${method.toUpperCase()} ${path} has path parameters but no params schema`);
    }
    const chain: RequestHandler[] = [requirePermission(opts.access)];
    if (opts.multipart !== true) chain.push(requireJsonContentType);
    chain.push(...(opts.before ?? []));
    if (opts.search === true) chain.push(operatorKeyGuard);
    else if (opts.multipart !== true) chain.push(dollarKeyGuard); // multipart fields are flat: the closed schema refuses them
    chain.push(validate(opts.schemas), handler);
    this.router[method](path, ...chain);

    this.registered.push({ method, path, schemas: opts.schemas, access: opts.access });
    const set = this.methods.get(path) ?? new Set<string>();
    set.add(method.toUpperCase());
    if (method === 'get') set.add('HEAD');
    this.methods.set(path, set);
  }

  /** After all routes: a known path with an unserved method is 405 (OPTIONS answers with Allow). */
  finish(): void {
    for (const [path, set] of this.methods) {
      const allow = [...set, 'OPTIONS'].join(', ');
      this.router.all(path, (req, res) => {
        res.setHeader('Allow', allow);
        if (req.method === 'OPTIONS') {
          res.status(204).end();
          return;
        }
        sendProblem(req, res, 405, 'METHOD_NOT_ALLOWED', `Method ${req.method} is not allowed here; allowed: ${allow}`);
      });
    }
  }
}

/** Reply helpers so route files state their status codes explicitly. */
export const ok = (res: Parameters<RequestHandler>[1], body: unknown) => { res.status(200).json(body); };
export const noContent = (res: Parameters<RequestHandler>[1]) => { res.status(204).end(); };

/** A validated path parameter (validation has already checked it is a single key string). */
export function param(req: Request, name: string): string {
  const v = req.params[name];
  if (typeof v !== 'string') throw invalidArgument(`path/${name} is required`);
  return v;
}
