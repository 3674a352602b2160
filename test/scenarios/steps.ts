// Steps scenarios share: deploy, start, wait for tasks, jobs and ends, read variables — each
// through the Runtime seam alone, patient where a cluster is eventually consistent.
import assert from 'node:assert/strict';
import type { ActivatedJob, Incident, ProcessInstance, UserTask, Variables } from '../../engine/runtime.ts';
import { eventually, type Harness } from './harness.ts';

export interface Scenario {
  title: string;
  run(h: Harness): Promise<void>;
}

export async function deploy(h: Harness, name: string, xml: string) {
  const d = await h.runtime.deploy([{ name, content: xml }]);
  assert.ok(d.deployments.length >= 1, 'deployed');
  return d;
}

export async function start(h: Harness, processDefinitionId: string, variables: Variables = {}) {
  return (await h.runtime.createProcessInstance({ processDefinitionId, variables })).processInstanceKey;
}

export function openTasks(h: Harness, processInstanceKey: string, count = 1, elementId?: string): Promise<UserTask[]> {
  return eventually(async () => (await h.runtime.searchUserTasks({ filter: { processInstanceKey, state: 'CREATED', ...(elementId ? { elementId } : {}) } })).items,
    (items) => items.length >= count, `${count} open user task(s) of ${processInstanceKey}`);
}

export function ended(h: Harness, processInstanceKey: string, state: ProcessInstance['state'] = 'COMPLETED'): Promise<ProcessInstance> {
  return eventually(() => h.runtime.getProcessInstance(processInstanceKey), (p) => p.state === state, `instance ${processInstanceKey} ${state}`);
}

export function incidents(h: Harness, processInstanceKey: string, count = 1): Promise<Incident[]> {
  return eventually(async () => (await h.runtime.searchIncidents({ filter: { processInstanceKey, state: 'ACTIVE' } })).items,
    (items) => items.length >= count, `${count} incident(s) on ${processInstanceKey}`);
}

/** Activates the job of one instance (other instances' jobs of the type may exist on a shared cluster). */
export async function activate(h: Harness, type: string, processInstanceKey: string): Promise<ActivatedJob> {
  const mine: ActivatedJob[] = [];
  await eventually(async () => {
    const jobs = await h.runtime.activateJobs({ type, worker: 'scenario', timeout: 60_000, maxJobsToActivate: 10, requestTimeout: 500 });
    mine.push(...jobs.filter((j) => j.processInstanceKey === processInstanceKey));
    return mine.length;
  }, (n) => n > 0, `a '${type}' job of ${processInstanceKey}`);
  return mine[0];
}

/** The instance's root variables, parsed. */
export async function variablesOf(h: Harness, processInstanceKey: string): Promise<Variables> {
  const page = await h.runtime.searchVariables({ filter: { processInstanceKey, scopeKey: processInstanceKey }, page: { limit: 1000 } });
  return Object.fromEntries(page.items.map((v) => [v.name, JSON.parse(v.fullValue ?? v.value)]));
}

export async function variablesEventually(h: Harness, processInstanceKey: string, ok: (v: Variables) => boolean, what: string) {
  return eventually(() => variablesOf(h, processInstanceKey), ok, what);
}

export async function rejects(p: Promise<unknown>, status: number, what: string) {
  await assert.rejects(p, (err: any) => {
    assert.equal(err?.status, status, `${what}: expected ${status}, got ${err?.status} ${err?.message}`);
    return true;
  });
}
