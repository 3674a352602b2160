// Reading a plugin: its manifest (plugin.json, checked against manifest.schema.json), its
// Camunda 8 element templates (checked with @bpmn-io/element-templates-validator), its forms
// (checked as the platform checks every form) and its BPMN processes (checked by the runtime when
// they are deployed). Anything wrong stops this plugin with a PluginError naming the file and the
// problem; it never stops the platform.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import { validateZeebe } from '@bpmn-io/element-templates-validator';
import { checkFormSchema } from '../../forms/index.ts';
import manifestSchema from './manifest.schema.json' with { type: 'json' };

export interface Text { zh: string; en: string }

export interface Manifest {
  id: string;
  version: string;
  name: Text;
  description?: Text;
  jobTypes: Array<{ type: string; handler: string; export?: string; name?: Text; timeoutMs?: number; concurrency?: number; retryBackOffMs?: number }>;
  templates: string[];
  forms?: string[];
  processes?: string[];
  secrets?: string[];
  settings?: { schema: Record<string, unknown>; defaults?: Record<string, unknown> };
}

export interface LoadedPlugin {
  manifest: Manifest;
  dir: string;
  source: string;
  templates: Array<Record<string, unknown>>;
  forms: Array<{ name: string; content: string }>;
  processes: Array<{ name: string; content: string }>;
  /** Checks settings against the plugin's settings schema: the problems, or none. */
  checkSettings(settings: unknown): string[];
}

export class PluginError extends Error {
  constructor(readonly source: string, message: string) {
    super(`Plugin at ${source}: ${message}`);
    this.name = 'PluginError';
  }
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validateManifest: ValidateFunction = ajv.compile(manifestSchema);

export const TEMPLATE_SCHEMA_URL = 'https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json';

function ajvProblems(fn: ValidateFunction, where: string): string[] {
  return (fn.errors ?? []).map((e) => `${where}${e.instancePath || ''} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` ('${String(e.params.additionalProperty)}')` : ''}`);
}

/** Problems of a manifest object against the published schema. */
export function manifestProblems(manifest: unknown): string[] {
  return validateManifest(manifest) ? [] : ajvProblems(validateManifest, 'plugin.json');
}

/** Problems of one Camunda 8 element template, each naming the template. */
export function templateProblems(template: unknown, where = 'template'): string[] {
  const t = template as Record<string, unknown> | null;
  const label = `${where}${t && typeof t === 'object' && typeof t.id === 'string' ? ` '${t.id}'` : ''}`;
  if (!t || typeof t !== 'object' || Array.isArray(t)) return [`${label} must be a JSON object`];
  const problems: string[] = [];
  if (t.$schema !== TEMPLATE_SCHEMA_URL) problems.push(`${label}: $schema must be '${TEMPLATE_SCHEMA_URL}' (a Camunda 8 element template)`);
  const result = validateZeebe(t as never) as { valid: boolean; errors?: Array<{ dataPath?: string; instancePath?: string; message?: string }> };
  if (!result.valid) for (const e of result.errors ?? []) problems.push(`${label}${e.dataPath ?? e.instancePath ?? ''}: ${e.message ?? 'is invalid'}`);
  return problems;
}

function readJson(file: string, what: string, source: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new PluginError(source, `${what} '${file}' cannot be read`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new PluginError(source, `${what} '${file}' is not valid JSON: ${(err as Error).message}`);
  }
}

/** A path from the manifest, resolved inside the plugin's folder (symbolic links included). */
function inside(dir: string, rel: string, what: string, source: string): string {
  const file = path.resolve(dir, rel);
  if (!existsSync(file)) throw new PluginError(source, `${what} '${rel}' does not exist`);
  const real = realpathSync(file);
  if (!real.startsWith(realpathSync(dir) + path.sep)) throw new PluginError(source, `${what} '${rel}' lies outside the plugin's folder`);
  return real;
}

/** Where a plugin named in configuration lives: a folder, or an installed npm package. */
export function resolvePluginDir(spec: string, base: string): string {
  if (spec.startsWith('.') || path.isAbsolute(spec)) return path.resolve(base, spec);
  const require = createRequire(path.join(base, 'package.json'));
  try {
    return path.dirname(require.resolve(`${spec}/plugin.json`));
  } catch {
    throw new PluginError(spec, `npm package '${spec}' is not installed or has no plugin.json`);
  }
}

export function loadPlugin(dir: string, source = dir): LoadedPlugin {
  const manifest = readJson(path.join(dir, 'plugin.json'), 'manifest', source) as Manifest;
  const problems = manifestProblems(manifest);
  if (problems.length) throw new PluginError(source, `invalid manifest: ${problems.join('; ')}`);
  const types = manifest.jobTypes.map((j) => j.type);
  const dup = types.find((t, i) => types.indexOf(t) !== i);
  if (dup) throw new PluginError(source, `job type '${dup}' is declared twice`);
  for (const j of manifest.jobTypes) inside(dir, j.handler, `handler of job type '${j.type}'`, source);

  const templates = manifest.templates.map((rel) => {
    const t = readJson(inside(dir, rel, 'template', source), 'template', source);
    const list = Array.isArray(t) ? t : [t];
    const bad = list.flatMap((x) => templateProblems(x, `template ${rel}`));
    if (bad.length) throw new PluginError(source, bad.join('; '));
    return list as Array<Record<string, unknown>>;
  }).flat();

  const forms = (manifest.forms ?? []).map((rel) => {
    const schema = readJson(inside(dir, rel, 'form', source), 'form', source);
    const bad = checkFormSchema(schema);
    if (bad.length) throw new PluginError(source, `form ${rel}: ${bad.map((p) => `${p.componentId}${p.property ? ` (${p.property})` : ''}: ${p.message}`).join('; ')}`);
    return { name: path.basename(rel), content: JSON.stringify(schema) };
  });
  const processes = (manifest.processes ?? []).map((rel) => ({ name: path.basename(rel), content: readFileSync(inside(dir, rel, 'process', source), 'utf8') }));

  let checkSettings: (s: unknown) => string[] = () => [];
  if (manifest.settings) {
    let fn: ValidateFunction;
    try {
      fn = ajv.compile(manifest.settings.schema);
    } catch (err) {
      throw new PluginError(source, `settings schema does not compile: ${(err as Error).message}`);
    }
    checkSettings = (s) => (fn(s) ? [] : ajvProblems(fn, 'settings'));
    const bad = checkSettings(manifest.settings.defaults ?? {});
    if (bad.length) throw new PluginError(source, `default settings do not satisfy the settings schema: ${bad.join('; ')}`);
  }
  return { manifest, dir, source, templates, forms, processes, checkSettings };
}
