// What the Zeebe runtime reads from a deployed diagram itself (through the REST API's XML):
// element and process names for job-based user tasks, and embedded forms (zeebe:userTaskForm).
// A definition never changes once deployed, so each is read once.
import { parseBpmn, readProcess, type ProcessModel } from '../model/index.ts';
import { readUserTaskForms } from '../model/zeebe.ts';

/** Static job types of each process in a diagram (FEEL types are only known at run time). */
export async function jobTypesOf(xml: string): Promise<Array<{ processId: string; elementId: string; type: string }>> {
  const { definitions } = await parseBpmn(xml);
  const out: Array<{ processId: string; elementId: string; type: string }> = [];
  for (const p of ((definitions as any).rootElements ?? []).filter((e: any) => e.$type === 'bpmn:Process')) {
    for (const el of Object.values<any>(readProcess(p).model.elements)) {
      const type = el.taskDefinition?.type;
      if (type && !type.startsWith('=')) out.push({ processId: p.id, elementId: el.id, type });
    }
  }
  return out;
}

interface Read { models: ProcessModel[]; forms: Map<string, string> }

export class Definitions {
  private models = new Map<string, Promise<Read>>();

  constructor(private readonly xmlOf: (processDefinitionKey: string) => Promise<string>) {}

  private read(key: string): Promise<Read> {
    let models = this.models.get(key);
    if (!models) {
      models = (async () => {
        const { definitions } = await parseBpmn(await this.xmlOf(key));
        const processes = ((definitions as any).rootElements ?? []).filter((e: any) => e.$type === 'bpmn:Process');
        const forms = new Map<string, string>(processes.flatMap((p: any) => [...readUserTaskForms(p)]));
        return { models: processes.map((p: any) => readProcess(p).model), forms };
      })();
      models.catch(() => this.models.delete(key));
      this.models.set(key, models);
      if (this.models.size > 1_000) this.models.delete(this.models.keys().next().value!);
    }
    return models;
  }

  async names(key: string, elementId: string): Promise<{ processName: string | null; name: string | null }> {
    for (const m of (await this.read(key)).models) {
      const el: any = m.elements[elementId];
      if (el) return { processName: (m as any).name ?? null, name: el.name ?? null };
    }
    return { processName: null, name: null };
  }

  /** The JSON text of an embedded form (a process's zeebe:userTaskForm) by its id, or null. */
  async embeddedForm(key: string, formId: string): Promise<string | null> {
    return (await this.read(key)).forms.get(formId) ?? null;
  }
}
