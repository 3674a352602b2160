// What each page costs beyond the shell: bundles the app as web/app/build.ts does (into a
// temporary folder), then for every lazily loaded page adds up the chunks and stylesheets it
// loads that the shell does not, raw and gzipped.
//   node --import tsx web/app/admin/bundle-sizes.ts
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { APP_DIR } from '../build.ts';

const ROOT = resolve(APP_DIR, '../..');
const out = mkdtempSync(join(tmpdir(), 'gridflow-sizes-'));
try {
  const result = await esbuild.build({
    entryPoints: { app: join(APP_DIR, 'main.tsx') }, bundle: true, splitting: true, format: 'esm', outdir: out,
    target: ['es2022', 'chrome100', 'safari15', 'firefox100'], minify: true, metafile: true, jsx: 'automatic', jsxImportSource: 'preact',
    loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file', '.png': 'file' },
    define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'error', absWorkingDir: ROOT,
  });
  const outputs = result.metafile.outputs;
  const closure = (file: string, seen = new Set<string>()) => {
    if (seen.has(file)) return seen;
    seen.add(file);
    for (const i of outputs[file]!.imports) if (i.kind === 'import-statement') closure(i.path, seen);
    return seen;
  };
  const withCss = (files: Iterable<string>) => [...files].flatMap((f) => [f, ...(outputs[f]!.cssBundle ? [outputs[f]!.cssBundle!] : [])]);
  const measure = (files: string[]) => files.reduce((s, f) => {
    const bytes = readFileSync(join(ROOT, f));
    return { raw: s.raw + bytes.length, gzip: s.gzip + gzipSync(bytes).length };
  }, { raw: 0, gzip: 0 });
  const kib = (n: number) => `${Math.round(n / 1024)} KiB`;
  const [entry] = Object.entries(outputs).find(([, o]) => o.entryPoint?.endsWith('main.tsx'))!;
  const shell = closure(entry);
  const s = measure(withCss(shell));
  console.log(`shell (first load)                     ${kib(s.raw).padStart(9)}  ${kib(s.gzip).padStart(8)} gzip`);
  for (const [file, o] of Object.entries(outputs)) {
    if (!o.entryPoint || file === entry || o.entryPoint.includes('node_modules')) continue;
    const own = withCss([...closure(file)].filter((f) => !shell.has(f)));
    const m = measure(own);
    console.log(`${o.entryPoint.replace('web/app/', '').padEnd(38)} ${kib(m.raw).padStart(9)}  ${kib(m.gzip).padStart(8)} gzip`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
