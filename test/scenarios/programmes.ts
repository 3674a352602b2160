// The zone's programmes (processes/diagrams, processes/forms): deployed together as shipped, each
// one starts and reaches its first wait state (a user task or a job for its handlers).
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBpmn, readProcess } from '../../engine/model/index.ts';
import { eventually } from './harness.ts';
import type { Scenario } from './steps.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function shipped(dir: string, ext: string) {
  const folder = path.join(ROOT, 'processes', dir);
  const names = (await readdir(folder)).filter((n) => n.endsWith(ext)).sort();
  return Promise.all(names.map(async (name) => ({ name, content: await readFile(path.join(folder, name), 'utf8') })));
}

/** What the programmes' start forms collect, enough for each to reach its first task. */
const START = { gridId: 3, participants: [{ cadreId: 'cadre', name: '李明' }] };

async function hasNoneStart(xml: string, processId: string) {
  const { definitions } = await parseBpmn(xml);
  const process = ((definitions as any).rootElements ?? []).find((e: any) => e.id === processId);
  return Object.values(readProcess(process).model.elements).some((e: any) => e.type === 'bpmn:StartEvent' && !e.parentId && !e.eventDefinitions?.length);
}

export const programmes: Scenario[] = [
  {
    title: 'the programmes\' diagrams and forms deploy together; each starts and reaches its first wait state',
    async run(h) {
      const resources = [...await shipped('forms', '.form'), ...await shipped('diagrams', '.bpmn')];
      const d = await h.runtime.deploy(resources);
      const processes = d.deployments.flatMap((i) => ('processDefinition' in i ? [i.processDefinition] : []));
      assert.equal(processes.length, resources.filter((r) => r.name.endsWith('.bpmn')).length);
      assert.equal(d.deployments.length, resources.length);
      for (const p of processes) {
        if (!(await hasNoneStart(await h.runtime.getProcessDefinitionXml(p.processDefinitionKey), p.processDefinitionId))) continue; // started by its timer or messages
        const pik = (await h.runtime.createProcessInstance({ processDefinitionKey: p.processDefinitionKey, variables: START })).processInstanceKey;
        const waiting = await eventually(async () => (await h.runtime.searchElementInstances({ filter: { processInstanceKey: pik, state: 'ACTIVE' } })).items.filter((e) => e.type !== 'PROCESS'),
          (els) => els.length > 0, `${p.processDefinitionId} waiting somewhere`);
        assert.ok(waiting.every((e) => e.processInstanceKey === pik));
        assert.equal((await h.runtime.searchIncidents({ filter: { processInstanceKey: pik } })).items.length, 0, `${p.processDefinitionId}: no incident`);
        await h.runtime.cancelProcessInstance(pik);
      }
    },
  },
];
