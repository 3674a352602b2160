// Figures are scans (analytics/figures.ts), and dashboards ask for the same ones again and again:
// an answer is kept for CACHE_MS, and dropped at once when this process changes a case. A change
// made by another process on the same database shows after at most CACHE_MS.
export const CACHE_MS = 15_000;

let generation = 0;
const entries = new Map<string, { at: number; generation: number; value: Promise<unknown> }>();

/** Called whenever a case is filed or changed in this process. */
export function casesChanged(): void {
  generation += 1;
}

export function cached<T>(key: string, now: number, compute: () => Promise<T>): Promise<T> {
  const hit = entries.get(key);
  if (hit && hit.generation === generation && now - hit.at < CACHE_MS && now >= hit.at) return hit.value as Promise<T>;
  const value = compute();
  entries.set(key, { at: now, generation, value });
  value.catch(() => entries.delete(key));
  if (entries.size > 500) entries.delete(entries.keys().next().value!);
  return value;
}
