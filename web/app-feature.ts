// The web app as a feature: builds it when its sources changed (web/app/build.ts), serves the
// bundles under /assets (hashed names, cached for a year) and index.html for every app path
// (the client routes); its own API routes live in web/app/server/.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import express from 'express';
import type { Feature } from './feature.ts';
import { DIST_DIR, ensureBuilt } from './app/build.ts';
import { appApiRoutes } from './app/server/routes.ts';

/** Paths the app never answers with its page: the APIs and the bundles. */
const NOT_APP = /^\/(api|v2|oauth|assets)(\/|$)/;

export const webAppFeature: Feature = {
  name: 'web-app',

  async start(ctx) {
    await ensureBuilt(ctx.log);
  },

  api(ctx) {
    return appApiRoutes(ctx);
  },

  site() {
    const router = express.Router();
    // The build's gzip copy of a bundle, for browsers that accept it.
    router.get(/^\/assets\/[A-Za-z0-9._-]+\.(js|css)$/, (req, res, next) => {
      if (!req.acceptsEncodings('gzip')) return next();
      const file = join(DIST_DIR, `${req.path}.gz`);
      if (!existsSync(file)) return next();
      res.setHeader('Content-Encoding', 'gzip');
      res.setHeader('Vary', 'Accept-Encoding');
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      res.type(req.path.endsWith('.js') ? 'text/javascript' : 'text/css');
      res.sendFile(file, (err?: Error & { code?: string }) => {
        // A browser that navigated away mid-download is no error of ours.
        if (err && err.code !== 'ECONNABORTED' && !res.headersSent) next(err);
      });
    });
    router.use('/assets', express.static(join(DIST_DIR, 'assets'), {
      immutable: true, maxAge: '365d', index: false, fallthrough: true, redirect: false,
    }));
    router.get(/.*/, async (req, res, next) => {
      // Client routes have no file extension; anything else is left to the not-found handler.
      if (NOT_APP.test(req.path) || /\.[a-z0-9]+$/i.test(req.path)) return next();
      let html: string;
      try {
        html = await readFile(join(DIST_DIR, 'index.html'), 'utf8');
      } catch {
        res.status(503).type('text/plain').send('The web app is not built: run `npm run build:web`.');
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html').send(html);
    });
    return router;
  },
};
