// Moves what an embedded installation has deployed — every version of every form and process
// definition — to a Camunda 8 cluster, so new instances start there. Running instances are not
// moved: they finish on the embedded installation (docs/zeebe.md, "Moving an installation").
//
//   node --import tsx scripts/migrate-to-zeebe.ts [--dry-run] [--latest-only] [--target-db <uri>]
//
// Source: the embedded installation's database (MONGODB_URI, else the local server under
// GRIDFLOW_DATA, as `npm start` opens it). Target: the cluster named by @camunda8/sdk's variables
// (ZEEBE_GRPC_ADDRESS, ZEEBE_REST_ADDRESS, CAMUNDA_AUTH_STRATEGY, ...); the Zeebe installation's
// own records (forms by key, task store) go to --target-db, by default the same database.
// Versions are deployed oldest first, so a cluster that had none numbers them as the embedded
// installation did. A version whose content the cluster already holds is skipped (deploying an
// older content again would make it the newest version there), so the command can be run again. Exit code 0: done; 1: a deployment failed; 2: bad arguments or no connection.
import { pathToFileURL } from 'node:url';
import { createRuntime, openDatabase, type Runtime } from '../engine/index.ts';
import type { Deployment, FormVersion, ProcessDefinition } from '../engine/runtime.ts';

export interface MigrateOptions { dryRun?: boolean; latestOnly?: boolean; log?: (line: string) => void }

export interface Moved { kind: 'form' | 'process'; id: string; tenantId: string; from: number; to: number | null; key: string | null; skipped?: boolean }

export interface MigrateResult { moved: Moved[]; runningOnEmbedded: number; renumbered: Moved[] }

const DEFAULT_TENANT = '<default>';
const PAGE = 1_000;

/** Every process definition version, oldest first within each process id. */
async function allDefinitions(source: Runtime): Promise<ProcessDefinition[]> {
  const out: ProcessDefinition[] = [];
  for (let from = 0; ; from += PAGE) {
    const page = await source.searchProcessDefinitions({ sort: [{ field: 'processDefinitionId' }, { field: 'version' }], page: { from, limit: PAGE } });
    out.push(...page.items);
    if (page.items.length < PAGE) break;
  }
  return out.sort((a, b) => (a.processDefinitionId === b.processDefinitionId ? a.version - b.version : a.processDefinitionId < b.processDefinitionId ? -1 : 1));
}

/** The cluster's version of this process with exactly this XML, if it has one. */
async function onCluster(target: Runtime, def: ProcessDefinition, xml: string): Promise<ProcessDefinition | null> {
  const versions = await target.searchProcessDefinitions({ filter: { processDefinitionId: def.processDefinitionId, tenantId: def.tenantId }, page: { limit: PAGE } });
  for (const v of versions.items) if (await target.getProcessDefinitionXml(v.processDefinitionKey) === xml) return v;
  return null;
}

/** Form ids a diagram links with bindingType="deployment": they must travel in the same deployment. */
function deploymentBoundForms(xml: string): string[] {
  const ids = new Set<string>();
  for (const m of xml.matchAll(/<zeebe:formDefinition\b[^>]*>/g)) {
    const tag = m[0];
    const formId = /\bformId="([^"]+)"/.exec(tag)?.[1];
    if (formId && /\bbindingType="deployment"/.test(tag)) ids.add(formId);
  }
  return [...ids];
}

const latestOf = <T extends { version: number }>(items: T[], idOf: (t: T) => string) => {
  const top = new Map<string, T>();
  for (const t of items) { const k = idOf(t); if (!top.has(k) || top.get(k)!.version < t.version) top.set(k, t); }
  return [...top.values()];
};

export async function migrate(source: Runtime, target: Runtime, opts: MigrateOptions = {}): Promise<MigrateResult> {
  const log = opts.log ?? (() => {});
  const moved: Moved[] = [];
  const tenant = (t: string) => (t === DEFAULT_TENANT ? undefined : t);

  let forms: FormVersion[] = (await source.searchForms({})).sort((a, b) => (a.formId === b.formId ? a.version - b.version : a.formId < b.formId ? -1 : 1));
  if (opts.latestOnly) forms = latestOf(forms, (f) => `${f.tenantId}/${f.formId}`);
  for (const f of forms) {
    const there = (await target.searchForms({ formId: f.formId, tenantId: f.tenantId })).find((t) => t.schema === f.schema);
    if (there) {
      moved.push({ kind: 'form', id: f.formId, tenantId: f.tenantId, from: f.version, to: there.version, key: there.formKey, skipped: true });
      log(`form ${f.formId} v${f.version}: already on the cluster as v${there.version}`);
      continue;
    }
    const d = opts.dryRun ? null : await target.deploy([{ name: f.resourceName || `${f.formId}.form`, content: f.schema }], tenant(f.tenantId));
    const item = d?.deployments.find((i) => 'form' in i && i.form.formId === f.formId) as Extract<Deployment['deployments'][number], { form: unknown }> | undefined;
    moved.push({ kind: 'form', id: f.formId, tenantId: f.tenantId, from: f.version, to: item?.form.version ?? null, key: item?.form.formKey ?? null });
    log(`form ${f.formId} v${f.version}${d ? ` → v${item?.form.version} (key ${item?.form.formKey})` : ' (dry run)'}`);
  }

  let definitions = await allDefinitions(source);
  if (opts.latestOnly) definitions = latestOf(definitions, (d) => `${d.tenantId}/${d.processDefinitionId}`);
  const latestForm = new Map(latestOf(forms, (f) => `${f.tenantId}/${f.formId}`).map((f) => [`${f.tenantId}/${f.formId}`, f]));
  for (const def of definitions) {
    const xml = await source.getProcessDefinitionXml(def.processDefinitionKey);
    const there = opts.dryRun ? null : await onCluster(target, def, xml);
    if (there) {
      moved.push({ kind: 'process', id: def.processDefinitionId, tenantId: def.tenantId, from: def.version, to: there.version, key: there.processDefinitionKey, skipped: true });
      log(`process ${def.processDefinitionId} v${def.version}: already on the cluster as v${there.version}`);
      continue;
    }
    const bound = deploymentBoundForms(xml).map((id) => latestForm.get(`${def.tenantId}/${id}`)).filter((f): f is FormVersion => !!f);
    const resources = [...bound.map((f) => ({ name: f.resourceName || `${f.formId}.form`, content: f.schema })), { name: def.resourceName || `${def.processDefinitionId}.bpmn`, content: xml }];
    const d = opts.dryRun ? null : await target.deploy(resources, tenant(def.tenantId));
    const item = d?.deployments.find((i) => 'processDefinition' in i && i.processDefinition.processDefinitionId === def.processDefinitionId) as Extract<Deployment['deployments'][number], { processDefinition: unknown }> | undefined;
    moved.push({ kind: 'process', id: def.processDefinitionId, tenantId: def.tenantId, from: def.version, to: item?.processDefinition.processDefinitionVersion ?? null, key: item?.processDefinition.processDefinitionKey ?? null });
    log(`process ${def.processDefinitionId} v${def.version}${d ? ` → v${item?.processDefinition.processDefinitionVersion} (key ${item?.processDefinition.processDefinitionKey})` : ' (dry run)'}${bound.length ? ` with form${bound.length > 1 ? 's' : ''} ${bound.map((f) => f.formId).join(', ')}` : ''}`);
  }

  const runningOnEmbedded = (await source.searchProcessInstances({ filter: { state: 'ACTIVE' }, page: { limit: 1 } })).page.totalItems;
  const renumbered = moved.filter((m) => m.to !== null && m.to !== m.from && !m.skipped && !opts.latestOnly);
  return { moved, runningOnEmbedded, renumbered };
}

function argument(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(args: string[]): Promise<number> {
  const known = new Set(['--dry-run', '--latest-only', '--target-db']);
  const unknown = args.filter((a, i) => a.startsWith('--') && !known.has(a) && args[i - 1] !== '--target-db');
  if (unknown.length || (args.includes('--target-db') && !argument(args, '--target-db'))) {
    console.error(`usage: migrate-to-zeebe [--dry-run] [--latest-only] [--target-db <mongodb uri>]${unknown.length ? ` (unknown: ${unknown.join(' ')})` : ''}`);
    return 2;
  }
  const sourceDb = await openDatabase();
  const targetUri = argument(args, '--target-db');
  const targetDb = targetUri ? await openDatabase({ uri: targetUri }) : sourceDb;
  // Read-only use of the embedded runtime: not started, so it runs no timers and no instances.
  const source = await createRuntime({ connection: sourceDb.connection, kind: 'embedded' });
  const target = await createRuntime({ connection: targetDb.connection, kind: 'zeebe' });
  try {
    if (!args.includes('--dry-run')) {
      await target.start();
      const t = await target.topology();
      console.log(`cluster: gateway ${t.gatewayVersion}, ${t.clusterSize} broker(s), ${t.partitionsCount} partition(s)`);
    }
    const result = await migrate(source, target, { dryRun: args.includes('--dry-run'), latestOnly: args.includes('--latest-only'), log: (l) => console.log(l) });
    const fresh = result.moved.filter((m) => !m.skipped);
    const forms = fresh.filter((m) => m.kind === 'form').length, processes = fresh.length - forms;
    console.log(`${args.includes('--dry-run') ? 'would deploy' : 'deployed'}: ${forms} form version(s), ${processes} process definition version(s)${fresh.length < result.moved.length ? `; ${result.moved.length - fresh.length} already on the cluster` : ''}`);
    for (const r of result.renumbered) console.log(`note: ${r.kind} ${r.id} v${r.from} is v${r.to} on the cluster (it had versions of its own)`);
    if (result.runningOnEmbedded) console.log(`${result.runningOnEmbedded} instance(s) still run on the embedded installation: keep it running until they finish (docs/zeebe.md)`);
    return 0;
  } catch (err) {
    console.error(`migrate-to-zeebe failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await target.stop().catch(() => {});
    await sourceDb.close();
    if (targetDb !== sourceDb) await targetDb.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
    console.error(`migrate-to-zeebe could not run: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  });
}
