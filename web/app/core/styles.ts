// Stylesheets of lazily loaded chunks. The build (web/app/build.ts) lists, for every chunk that
// imports CSS, its stylesheet; each chunk announces itself when it runs, and its stylesheet is
// linked then. A page is shown once the stylesheets its chunks asked for have loaded.
const pending = new Set<Promise<void>>();
const linked = new Set<string>();

function chunkStyles(): Record<string, string> {
  const el = document.getElementById('gridflow-chunk-styles');
  try { return el ? JSON.parse(el.textContent ?? '{}') as Record<string, string> : {}; } catch { return {}; }
}

let styles: Record<string, string> | undefined;

function announce(url: string): void {
  styles ??= chunkStyles();
  const href = styles[new URL(url).pathname];
  if (!href || linked.has(href) || document.querySelector(`link[href="${href}"]`)) return;
  linked.add(href);
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  const loaded = new Promise<void>((resolve) => { link.onload = link.onerror = () => resolve(); });
  pending.add(loaded);
  void loaded.then(() => pending.delete(loaded));
  document.head.appendChild(link);
}

(globalThis as { __gridflowChunk?: (url: string) => void }).__gridflowChunk = announce;

/** Resolves when every stylesheet asked for so far has loaded (or failed). */
export function stylesReady(): Promise<void> {
  return Promise.all([...pending]).then(() => undefined);
}
