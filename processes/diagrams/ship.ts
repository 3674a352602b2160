// The shipped programmes (processes/diagrams/*.bpmn) and their forms (processes/forms/*.form), and
// their deployment: a resource is deployed when the runtime has no such process or form yet or
// when its latest version differs from the file; an unchanged one is never deployed again, so
// administrators' versions and instance counts are not disturbed by a restart.
import { readdir, readFile } from 'node:fs/promises';
import type { DeployResource, Deployment, Runtime } from '../../engine/runtime.ts';

const DIAGRAMS = new URL('./', import.meta.url);
const FORMS = new URL('../forms/', import.meta.url);

/** Process ids of the shipped programmes. */
export const PROGRAMMES = ['enterprise-service-loop', 'three-tier-handling', 'challenge-solve', 'rotation-programme', 'grid-monthly-report'] as const;
/** The processes they call once per demand, participant or grid. */
export const CALLED = ['rotation-participant', 'grid-report'] as const;
/** Every shipped diagram, callees before callers. */
export const DIAGRAMS_SHIPPED = ['three-tier-handling', 'enterprise-service-loop', 'challenge-solve', 'rotation-participant', 'rotation-programme', 'grid-report', 'grid-monthly-report'] as const;
export type ProgrammeId = (typeof PROGRAMMES)[number];

export interface ShippedResource extends DeployResource { content: string; kind: 'process' | 'form'; id: string }

export async function shippedResources(): Promise<ShippedResource[]> {
  const forms = (await readdir(FORMS)).filter((f) => f.endsWith('.form')).sort();
  const out: ShippedResource[] = [];
  for (const f of forms) {
    const content = await readFile(new URL(f, FORMS), 'utf8');
    out.push({ kind: 'form', id: (JSON.parse(content) as { id: string }).id, name: f, content });
  }
  for (const id of DIAGRAMS_SHIPPED) out.push({ kind: 'process', id, name: `${id}.bpmn`, content: await readFile(new URL(`${id}.bpmn`, DIAGRAMS), 'utf8') });
  return out;
}

/** Whether the runtime's latest version of the resource is the file's content. */
async function isDeployed(runtime: Runtime, r: ShippedResource): Promise<boolean> {
  if (r.kind === 'form') {
    const [latest] = await runtime.searchForms({ formId: r.id });
    return latest !== undefined && sameJson(latest.schema, r.content);
  }
  const { items } = await runtime.searchProcessDefinitions({ filter: { processDefinitionId: r.id, isLatestVersion: true }, page: { limit: 1 } });
  if (items.length === 0) return false;
  return (await runtime.getProcessDefinitionXml(items[0]!.processDefinitionKey)) === r.content;
}

function sameJson(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}

/** Deploys the shipped resources that are new or changed, in one deployment; null when none is. */
export async function deployShipped(runtime: Runtime): Promise<{ deployment: Deployment | null; deployed: string[] }> {
  const changed: ShippedResource[] = [];
  for (const r of await shippedResources()) if (!(await isDeployed(runtime, r))) changed.push(r);
  if (changed.length === 0) return { deployment: null, deployed: [] };
  const deployment = await runtime.deploy(changed.map(({ name, content }) => ({ name, content })));
  return { deployment, deployed: changed.map((r) => r.name) };
}
