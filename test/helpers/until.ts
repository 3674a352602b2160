// Polls `fn` every `pauseMs` until it gives a truthy value (returned), or throws after `ms`.
export async function until<T>(fn: () => Promise<T | undefined | null | false>, ms = 15_000, pauseMs = 50): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}
