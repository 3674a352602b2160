// A feature of the platform beyond the engine API (the zone's programmes and data, plugins, the
// web app): it may start background work before the server listens, mount routes under /api
// (behind the same authentication as the rest of /api) and serve pages at the site root.
// web/main.ts runs the features of web/features.ts; tests pass only those they need to createApp.
import type express from 'express';
import type { Connection } from 'mongoose';
import type { Runtime } from '../engine/runtime.ts';
import type { Auth } from './access/setup.ts';

export interface FeatureContext {
  runtime: Runtime;
  connection: Connection;
  /** The identity and audit trail, or 'unprotected' (tests and development: no /api at all). */
  auth: Auth | 'unprotected';
  /** Milliseconds since the epoch; tests move it. */
  now(): number;
  log(line: string): void;
}

export interface Feature {
  readonly name: string;
  /** Before the server listens: register job workers, deploy shipped resources, seed demo data. */
  start?(ctx: FeatureContext): Promise<void>;
  /** Routes under /api, after authentication and the JSON body parser. */
  api?(ctx: FeatureContext): express.Router;
  /** Routes at the site root (pages, bundles), before the final not-found handler. */
  site?(ctx: FeatureContext): express.Router;
  stop?(): Promise<void>;
}
