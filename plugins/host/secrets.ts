// Secrets as Camunda connectors reference them: `{{secrets.NAME}}` in a template's fields, input
// mappings, headers or a plugin's settings. They are resolved from the environment
// (GRIDFLOW_SECRET_<NAME>) when a job runs, in the copy of the job handed to the handler only: the
// diagram, the instance's variables and the history keep the placeholder. Whatever comes back from
// a handler (log lines, error messages) has every secret value of the job masked; a result that
// carries one is refused (see sandbox.ts).

export const SECRET_ENV_PREFIX = 'GRIDFLOW_SECRET_';
const PLACEHOLDER = /\{\{\s*secrets\.([A-Za-z][A-Za-z0-9_]{0,63})\s*\}\}/g;
export const MASK = '****';

export class MissingSecretError extends Error {
  constructor(readonly secret: string) {
    super(`secret '${secret}' is not set (environment variable ${SECRET_ENV_PREFIX}${secret})`);
  }
}

export class SecretResolver {
  /** Values resolved so far, for masking. */
  readonly used = new Map<string, string>();
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  lookup(name: string): string {
    const value = this.env[`${SECRET_ENV_PREFIX}${name}`];
    if (value === undefined || value === '') throw new MissingSecretError(name);
    this.used.set(name, value);
    return value;
  }

  /** A deep copy of `value` with every placeholder in its strings replaced. */
  resolve<T>(value: T): T {
    if (typeof value === 'string') return value.replace(PLACEHOLDER, (_m, name: string) => this.lookup(name)) as T;
    if (Array.isArray(value)) return value.map((v) => this.resolve(v)) as T;
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)])) as T;
    }
    return value;
  }

  /** The name of the first secret whose value occurs in `text` (raw or JSON-escaped), if any. */
  leakedIn(text: string): string | undefined {
    for (const [name, value] of this.used) {
      if (value.length < 4) continue; // too short to tell from ordinary text
      if (text.includes(value) || text.includes(JSON.stringify(value).slice(1, -1))) return name;
    }
    return undefined;
  }

  mask(text: string): string {
    let out = text;
    for (const value of [...this.used.values()].sort((a, b) => b.length - a.length)) {
      if (value.length < 4) continue;
      out = out.split(value).join(MASK);
      const escaped = JSON.stringify(value).slice(1, -1);
      if (escaped !== value) out = out.split(escaped).join(MASK);
    }
    return out;
  }
}

/** Placeholder names used anywhere in `value`. */
export function secretNames(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') for (const m of value.matchAll(PLACEHOLDER)) into.add(m[1]!);
  else if (Array.isArray(value)) for (const v of value) secretNames(v, into);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) secretNames(v, into);
  return into;
}
