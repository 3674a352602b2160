// What the Zeebe runtime reads from a deployed diagram itself (through the REST API's XML):
// element and process names for job-based user tasks, and embedded forms (zeebe:userTaskForm).
// A definition never changes once deployed, so each is read once.
import { parseBpmn, readProcess, type ProcessModel } from '../model/index.ts';

export class Definitions {
  private models = new Map<string, Promise<ProcessModel[]>>();

  constructor(private readonly xmlOf: (processDefinitionKey: string) => Promise<string>) {}

  private read(key: string): Promise<ProcessModel[]> {
    let models = this.models.get(key);
    if (!models) {
      models = (async () => {
        const { definitions } = await parseBpmn(await this.xmlOf(key));
        return ((definitions as any).rootElements ?? []).filter((e: any) => e.$type === 'bpmn:Process').map((p: any) => readProcess(p).model);
      })();
      models.catch(() => this.models.delete(key));
      this.models.set(key, models);
      if (this.models.size > 1_000) this.models.delete(this.models.keys().next().value!);
    }
    return models;
  }

  async names(key: string, elementId: string): Promise<{ processName: string | null; name: string | null }> {
    for (const m of await this.read(key)) {
      const el: any = m.elements[elementId];
      if (el) return { processName: (m as any).name ?? null, name: el.name ?? null };
    }
    return { processName: null, name: null };
  }

  /** The JSON text of an embedded form by its id, or null. */
  async embeddedForm(key: string, formId: string): Promise<string | null> {
    for (const m of await this.read(key)) {
      for (const el of Object.values<any>(m.elements)) if (el.userTaskForm?.id === formId) return el.userTaskForm.body;
    }
    return null;
  }
}
