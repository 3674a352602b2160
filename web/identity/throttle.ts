// Sign-in rate limiting per client address (in memory, per process): at most `max` attempts in
// any `windowMs`. Account lockout (per user or client, in the database) is the other half: see
// identity.ts.

export class AttemptLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(readonly max: number, readonly windowMs: number, private readonly maxKeys = 100_000) {}

  /** How many ms `key` must wait before its next attempt (0: it may go on). Records nothing. */
  wait(key: string, now = Date.now()): number {
    const list = this.live(key, now);
    return list.length >= this.max ? list[0]! + this.windowMs - now : 0;
  }

  /** Records an attempt. */
  hit(key: string, now = Date.now()): void {
    const list = this.live(key, now);
    if (!this.attempts.has(key) && this.attempts.size >= this.maxKeys) this.prune(now);
    list.push(now);
    this.attempts.set(key, list);
  }

  /** Records an attempt unless over the limit; returns the wait (0 when recorded). */
  take(key: string, now = Date.now()): number {
    const wait = this.wait(key, now);
    if (wait === 0) this.hit(key, now);
    return wait;
  }

  private live(key: string, now: number): number[] {
    return (this.attempts.get(key) ?? []).filter((t) => t > now - this.windowMs);
  }

  private prune(now: number): void {
    for (const [k, list] of this.attempts) if (list.every((t) => t <= now - this.windowMs)) this.attempts.delete(k);
    if (this.attempts.size >= this.maxKeys) this.attempts.clear();
  }

  reset(): void { this.attempts.clear(); }
}
