// The plugin host: finds the plugins (the built-in folders under plugins/, and folders or npm
// packages named in GRIDFLOW_PLUGINS), loads each on its own (a broken one is listed with its
// error, the others run), deploys the forms and processes of the enabled ones, and serves their
// job types through Runtime.registerJobHandler with each plugin's handlers in its own sandbox.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'mongoose';
import type { Runtime } from '../../engine/runtime.ts';
import { loadPlugin, PluginError, resolvePluginDir, type LoadedPlugin, type Text } from './manifest.ts';
import { Sandbox, type Health, type JobTypeSpec } from './sandbox.ts';

const freshHealth = (): Health => ({ completed: 0, failed: 0, bpmnErrors: 0, timedOut: 0, lastRunAt: null, lastError: null });
import { PluginStore } from './store.ts';

export const PLUGINS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NOT_PLUGINS = new Set(['host', 'examples', 'node_modules']);

export interface HostOptions {
  runtime: Runtime;
  connection: Connection;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  now?: () => number;
  /** Load the built-in plugins under plugins/ (default true). */
  builtins?: boolean;
  /** More plugins: folders (absolute, or relative to the working directory) or npm package names. */
  extra?: string[];
}

export type PluginStatus = 'running' | 'disabled' | 'failed';

interface Entry {
  id: string;
  source: string;
  plugin: LoadedPlugin | null;
  error: string | null;
  enabled: boolean;
  settings: Record<string, unknown>;
  health: Health;
  sandbox: Sandbox | null;
  unregister: Array<() => void>;
}

export class PluginHost {
  private readonly entries = new Map<string, Entry>();
  private readonly broken: Entry[] = [];
  readonly store: PluginStore;
  private readonly env: NodeJS.ProcessEnv;
  private readonly log: (line: string) => void;
  private readonly now: () => number;

  constructor(private readonly opts: HostOptions) {
    this.store = new PluginStore(opts.connection);
    this.env = opts.env ?? process.env;
    this.log = opts.log ?? ((line) => console.log(`Gridflow: ${line}`));
    this.now = opts.now ?? Date.now;
  }

  /** Where plugins are looked for: built-in folders, then GRIDFLOW_PLUGINS, then `extra`. */
  private sources(): Array<{ source: string; dir: () => string }> {
    const out: Array<{ source: string; dir: () => string }> = [];
    if (this.opts.builtins !== false) {
      for (const d of readdirSync(PLUGINS_DIR, { withFileTypes: true })) {
        if (!d.isDirectory() || NOT_PLUGINS.has(d.name) || d.name.startsWith('.')) continue;
        const dir = path.join(PLUGINS_DIR, d.name);
        if (existsSync(path.join(dir, 'plugin.json'))) out.push({ source: `plugins/${d.name}`, dir: () => dir });
      }
    }
    const configured = (this.env.GRIDFLOW_PLUGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    for (const spec of [...configured, ...(this.opts.extra ?? [])]) out.push({ source: spec, dir: () => resolvePluginDir(spec, process.cwd()) });
    return out;
  }

  async start() {
    const types = new Map<string, string>();
    for (const { source, dir } of this.sources()) {
      let plugin: LoadedPlugin;
      try {
        plugin = loadPlugin(dir(), source);
        const id = plugin.manifest.id;
        if (this.entries.has(id)) throw new PluginError(source, `plugin id '${id}' is already used by ${this.entries.get(id)!.source}`);
        for (const j of plugin.manifest.jobTypes) {
          if (types.has(j.type)) throw new PluginError(source, `job type '${j.type}' is already served by plugin '${types.get(j.type)}'`);
        }
      } catch (err) {
        const message = err instanceof PluginError ? err.message : `Plugin at ${source}: ${(err as Error).message}`;
        this.log(`${message} (this plugin is not loaded; the others are)`);
        this.broken.push({ id: '', source, plugin: null, error: message, enabled: false, settings: {}, health: freshHealth(), sandbox: null, unregister: [] });
        continue;
      }
      for (const j of plugin.manifest.jobTypes) types.set(j.type, plugin.manifest.id);
      const stored = await this.store.get(plugin.manifest.id);
      const entry: Entry = {
        id: plugin.manifest.id, source, plugin, error: null,
        enabled: stored?.enabled ?? true,
        settings: stored?.settings ?? plugin.manifest.settings?.defaults ?? {},
        health: freshHealth(), sandbox: null, unregister: [],
      };
      this.entries.set(entry.id, entry);
      if (entry.enabled) await this.activate(entry);
    }
  }

  async stop() {
    for (const e of this.entries.values()) await this.deactivate(e);
  }

  private async activate(e: Entry) {
    const p = e.plugin!;
    // Settings stored for an earlier version may not fit this version's schema: the plugin waits
    // for corrected settings rather than run its handlers with settings they do not expect.
    const stale = p.checkSettings(e.settings);
    if (stale.length) {
      e.error = `Plugin '${e.id}': its stored settings do not satisfy its settings schema (${stale.join('; ')}); correct them with PUT /api/plugins/${e.id}/settings`;
      this.log(e.error);
      return;
    }
    const resources = [...p.forms, ...p.processes];
    // Several platform processes starting on one database deploy the same resources at once; the
    // loser of such a race finds them deployed when it tries again.
    for (let attempt = 1; resources.length; attempt++) {
      try {
        await this.opts.runtime.deploy(resources);
        break;
      } catch (err) {
        if (attempt < 3) { await new Promise((r) => setTimeout(r, 200 * attempt)); continue; }
        e.error = `Plugin '${e.id}': its forms and processes could not be deployed: ${(err as Error).message}`;
        this.log(e.error);
        return;
      }
    }
    e.error = null;
    this.log(`plugin '${e.id}' ${p.manifest.version} running${p.manifest.jobTypes.length ? `, serving ${p.manifest.jobTypes.map((j) => j.type).join(', ')}` : ''} (${e.source})`);
    const maxThreads = Math.max(1, ...p.manifest.jobTypes.map((j) => j.concurrency ?? 2));
    const sandbox = new Sandbox({
      pluginId: e.id, env: this.env, secrets: p.manifest.secrets ?? [], log: this.log, now: this.now, health: e.health,
      settings: async () => (await this.store.get(e.id))?.settings ?? p.manifest.settings?.defaults ?? {},
    }, maxThreads);
    e.sandbox = sandbox;
    for (const spec of this.specs(p)) {
      e.unregister.push(this.opts.runtime.registerJobHandler(spec.type, sandbox.handler(spec), {
        // The lease outlives the handler's time limit, its grace and a wait for a thread.
        timeout: spec.timeoutMs * 3 + 10_000,
        maxJobsActive: spec.concurrency,
      }));
    }
  }

  private async deactivate(e: Entry) {
    for (const stop of e.unregister.splice(0)) stop();
    const s = e.sandbox;
    e.sandbox = null;
    await s?.stop();
  }

  private specs(p: LoadedPlugin): JobTypeSpec[] {
    return p.manifest.jobTypes.map((j) => ({
      type: j.type,
      module: path.resolve(p.dir, j.handler),
      exportName: j.export ?? 'default',
      timeoutMs: j.timeoutMs ?? 30_000,
      concurrency: j.concurrency ?? 2,
      retryBackOffMs: j.retryBackOffMs ?? 10_000,
    }));
  }

  get(id: string): Entry | undefined { return this.entries.get(id); }

  /** The stored settings (another process may have changed them), else the defaults. */
  async settingsOf(e: Entry): Promise<Record<string, unknown>> {
    e.settings = (await this.store.get(e.id))?.settings ?? e.plugin!.manifest.settings?.defaults ?? {};
    return e.settings;
  }

  async setEnabled(id: string, enabled: boolean, by: string) {
    const e = this.entries.get(id)!;
    await this.store.setEnabled(id, enabled, by);
    if (enabled === e.enabled && (!enabled || e.sandbox)) return;
    e.enabled = enabled;
    if (enabled) await this.activate(e);
    else await this.deactivate(e);
  }

  async setSettings(id: string, settings: Record<string, unknown>, by: string) {
    const e = this.entries.get(id)!;
    await this.store.setSettings(id, settings, by);
    e.settings = settings;
    if (e.error && e.enabled && !e.sandbox) await this.activate(e);
  }

  status(e: Entry): PluginStatus {
    if (e.error || !e.plugin) return 'failed';
    return e.enabled ? 'running' : 'disabled';
  }

  /** Every enabled plugin's element templates, as one array for the modeler. */
  templates(): Array<Record<string, unknown>> {
    return [...this.entries.values()].filter((e) => this.status(e) === 'running').flatMap((e) => e.plugin!.templates);
  }

  summary(e: Entry): PluginSummary {
    const m = e.plugin!.manifest;
    return {
      id: e.id, version: m.version, name: m.name, description: m.description ?? null, source: e.source,
      status: this.status(e), enabled: e.enabled, error: e.error,
      jobTypes: this.specs(e.plugin!).map((s) => ({ type: s.type, name: m.jobTypes.find((j) => j.type === s.type)?.name ?? null, timeoutMs: s.timeoutMs, concurrency: s.concurrency, retryBackOffMs: s.retryBackOffMs })),
      templates: e.plugin!.templates.map((t) => ({ id: String(t.id), name: String(t.name), version: typeof t.version === 'number' ? t.version : null, appliesTo: t.appliesTo as string[] })),
      forms: e.plugin!.forms.map((f) => f.name),
      processes: e.plugin!.processes.map((f) => f.name),
      secrets: (m.secrets ?? []).map((name) => ({ name, set: !!this.env[`GRIDFLOW_SECRET_${name}`] })),
      hasSettings: !!m.settings,
      health: e.health,
    };
  }

  list(): { items: PluginSummary[]; failed: Array<{ source: string; error: string }> } {
    return {
      items: [...this.entries.values()].sort((a, b) => a.id.localeCompare(b.id)).map((e) => this.summary(e)),
      failed: this.broken.map((b) => ({ source: b.source, error: b.error! })),
    };
  }
}

export interface PluginSummary {
  id: string;
  version: string;
  name: Text;
  description: Text | null;
  source: string;
  status: PluginStatus;
  enabled: boolean;
  error: string | null;
  jobTypes: Array<{ type: string; name: Text | null; timeoutMs: number; concurrency: number; retryBackOffMs: number }>;
  templates: Array<{ id: string; name: string; version: number | null; appliesTo: string[] }>;
  forms: string[];
  processes: string[];
  secrets: Array<{ name: string; set: boolean }>;
  hasSettings: boolean;
  health: Health;
}
