// Department plugins as a platform feature: the host starts before the server listens (plugins'
// forms and processes deployed, their job types served) and /api/plugins is mounted for
// administrators.
import express from 'express';
import type { Feature } from '../../web/feature.ts';
import { PluginHost, type HostOptions } from './host.ts';
import { pluginRoutes } from './routes.ts';

export interface PluginsFeature extends Feature { readonly host: () => PluginHost | null }

export function createPluginsFeature(opts: Pick<HostOptions, 'builtins' | 'extra' | 'env' | 'log'> = {}): PluginsFeature {
  let host: PluginHost | null = null;
  return {
    name: 'plugins',
    host: () => host,
    async start(ctx) {
      host = new PluginHost({ ...opts, runtime: ctx.runtime, connection: ctx.connection, log: opts.log ?? ctx.log, now: ctx.now });
      await host.start();
    },
    api(ctx) {
      if (!host) throw new Error('the plugins feature was not started');
      if (ctx.auth === 'unprotected') return express.Router();
      return pluginRoutes(host, ctx.auth);
    },
    async stop() {
      await host?.stop();
    },
  };
}

export const pluginsFeature = createPluginsFeature();
