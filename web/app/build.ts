// Builds the web app with esbuild into web/app/dist (git-ignored): ESM with code splitting, so
// each page is its own chunk and the modeler's bundle loads only with the admin pages. Hashed
// file names under dist/assets (cached for a year), dist/index.html (never cached) naming the
// entry and, for each chunk that imports CSS, its stylesheet (loaded when the chunk runs, see
// core/styles.ts). `node --import tsx web/app/build.ts [--if-stale]`.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { FORM_EDITOR_SNIPPETS, FORM_JS_EDITOR, FORM_JS_SNIPPETS, FORM_JS_VIEWER, localizeFormJs } from './vendor-words.ts';

export const APP_DIR = dirname(fileURLToPath(import.meta.url));
export const DIST_DIR = join(APP_DIR, 'dist');

/** The newest modification time of the app's sources (and of the dependency tree's lock). */
function newestSource(dir = APP_DIR): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('dist') || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export function isStale(): boolean {
  const index = join(DIST_DIR, 'index.html');
  if (!existsSync(index)) return true;
  const lock = join(APP_DIR, '../../package-lock.json');
  const deps = existsSync(lock) ? statSync(lock).mtimeMs : 0;
  return Math.max(newestSource(), deps) > statSync(index).mtimeMs;
}

export interface BuildResult { outputs: Array<{ file: string; bytes: number; entryPoint?: string }>; ms: number }

/** form-js's own English words become look-ups in the user's language (vendor-words.ts). */
const formJsWords: esbuild.Plugin = {
  name: 'form-js-words',
  setup(build) {
    for (const [filter, snippets, name] of [[FORM_JS_VIEWER, FORM_JS_SNIPPETS, 'form-js-viewer'], [FORM_JS_EDITOR, FORM_EDITOR_SNIPPETS, 'form-js editor']] as const) {
      build.onLoad({ filter }, async (args) => {
        const { source, missing } = localizeFormJs(readFileSync(args.path, 'utf8'), snippets);
        return { contents: source, loader: 'js', warnings: missing.map((m) => ({ text: `${name} no longer has ${m}: that word stays English` })) };
      });
    }
  },
};

export async function buildApp(opts: { minify?: boolean } = {}): Promise<BuildResult> {
  const started = Date.now();
  // Built beside dist and swapped in, so a server (or a second build) never sees half a build.
  const out = `${DIST_DIR}.building-${process.pid}-${Date.now()}`;
  const assets = join(out, 'assets');
  mkdirSync(assets, { recursive: true });
  const result = await esbuild.build({
    // The shell's stylesheet is an entry of its own: esbuild folds the CSS of every lazily loaded
    // chunk into the JS entry's stylesheet, which is therefore never linked (see core/styles.ts).
    entryPoints: { app: join(APP_DIR, 'main.tsx'), base: join(APP_DIR, 'styles/app.css') },
    bundle: true,
    splitting: true,
    format: 'esm',
    target: ['es2022', 'chrome100', 'safari15', 'firefox100'],
    outdir: assets,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    assetNames: 'asset-[name]-[hash]',
    publicPath: '/assets',
    minify: opts.minify ?? true,
    sourcemap: 'linked',
    metafile: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file', '.png': 'file' },
    // Every chunk announces itself when it runs, so its stylesheet (if any) is loaded with it.
    banner: { js: 'globalThis.__gridflowChunk?.(import.meta.url);' },
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [formJsWords],
    logLevel: 'warning',
    legalComments: 'linked',
  });
  const outputs = result.metafile.outputs;
  const styles: Record<string, string> = {};
  let entry = '';
  let entryCss = '';
  for (const [file, o] of Object.entries(outputs)) {
    const url = '/' + relative(out, file).split('\\').join('/');
    if (o.entryPoint?.endsWith('main.tsx')) {
      entry = url;
      // Never linked: every chunk's CSS folded together (each chunk's own stylesheet is used instead).
      if (o.cssBundle) for (const f of [o.cssBundle, `${o.cssBundle}.map`]) { rmSync(f, { force: true }); delete outputs[f]; }
      continue;
    }
    if (o.entryPoint?.endsWith('app.css')) { entryCss = url; continue; }
    if (o.cssBundle) styles[url] = '/' + relative(out, o.cssBundle).split('\\').join('/');
  }
  const html = readFileSync(join(APP_DIR, 'index.html'), 'utf8')
    .replace('%ENTRY%', entry)
    .replace('%STYLE%', entryCss)
    .replace('%CHUNK_STYLES%', JSON.stringify(styles).replace(/</g, '\\u003c'));
  writeFileSync(join(out, 'index.html'), html);
  // Pre-compressed copies, served to browsers that accept gzip (web/app-feature.ts).
  for (const file of Object.keys(outputs)) {
    if (/\.(js|css)$/.test(file) && existsSync(file)) writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: 9 }));
  }
  const old = `${DIST_DIR}.old-${process.pid}-${Date.now()}`;
  if (existsSync(DIST_DIR)) renameSync(DIST_DIR, old);
  renameSync(out, DIST_DIR);
  rmSync(old, { recursive: true, force: true });
  return {
    outputs: Object.entries(outputs).map(([file, o]) => ({ file: relative(out, file), bytes: o.bytes, ...(o.entryPoint && { entryPoint: o.entryPoint }) })),
    ms: Date.now() - started,
  };
}

/** Builds when the sources are newer than the last build (or there is none). */
export async function ensureBuilt(log: (line: string) => void = () => {}): Promise<void> {
  if (!isStale()) return;
  const r = await buildApp();
  log(`web app built in ${r.ms} ms (${r.outputs.length} files)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const ifStale = process.argv.includes('--if-stale');
  if (ifStale && !isStale()) process.exit(0);
  buildApp({ minify: !process.argv.includes('--dev') }).then((r) => {
    console.log(`web app built in ${r.ms} ms into ${relative(process.cwd(), DIST_DIR)} (${r.outputs.length} files)`);
  }).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
