// An instance's history on Zeebe: what the cluster reports (element instances and incidents,
// through the REST API) merged with what this runtime observed itself (job outcomes, task
// completions and who completed them, messages, resolutions), in time order. Variable changes
// made inside the cluster (io mappings, scripts) are only in Operate.
import type { ElementInstance, HistoryEntry, Incident } from '../runtime.ts';
import type { ZeebeStore } from './store.ts';

type Observed = Omit<HistoryEntry, 'processInstanceKey' | 'seq' | 'at'>;

export class ObservedHistory {
  private n = 0;
  constructor(private readonly store: ZeebeStore, private readonly now: () => number) {}

  async record(processInstanceKey: string, entry: Observed) {
    const at = new Date(this.now());
    const _id = `${processInstanceKey}/${at.getTime()}/${process.pid}.${++this.n}`;
    await this.store.history.create({ _id, processInstanceKey, at, entry: { processInstanceKey, at: at.toISOString(), ...entry } });
  }

  /** Observations and the cluster's records of one instance, numbered in time order. */
  async merge(processInstanceKey: string, elements: ElementInstance[], incidents: Incident[]): Promise<HistoryEntry[]> {
    const own = await this.store.history.find({ processInstanceKey }).lean<any[]>();
    const rows: Array<Omit<HistoryEntry, 'seq'>> = own.map((d) => d.entry);
    for (const e of elements) {
      const base = { processInstanceKey, elementId: e.elementId, elementInstanceKey: e.elementInstanceKey, elementType: e.type, ...(e.elementName ? { name: e.elementName } : {}) };
      rows.push({ ...base, at: e.startDate, event: 'ELEMENT_ACTIVATED' });
      if (e.endDate) rows.push({ ...base, at: e.endDate, event: e.state === 'TERMINATED' ? 'ELEMENT_TERMINATED' : 'ELEMENT_COMPLETED' });
    }
    for (const i of incidents) rows.push({ processInstanceKey, at: i.creationTime, event: 'INCIDENT_CREATED', elementId: i.elementId, elementInstanceKey: i.elementInstanceKey, detail: `${i.errorType}: ${i.errorMessage}` });
    const rank = (e: Omit<HistoryEntry, 'seq'>) => (e.event === 'ELEMENT_ACTIVATED' ? 0 : e.event.endsWith('COMPLETED') || e.event === 'ELEMENT_TERMINATED' ? 2 : 1);
    rows.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : rank(a) - rank(b)));
    return rows.map((r, i) => ({ ...r, seq: i + 1 }));
  }
}
