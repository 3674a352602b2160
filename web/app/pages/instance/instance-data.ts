// Everything the instance view shows, loaded in parallel from Camunda's /v2 API.
import { api } from '../../core/api.ts';

export interface ProcessInstance {
  processInstanceKey: string;
  processDefinitionId: string;
  processDefinitionName?: string;
  processDefinitionVersion: number;
  processDefinitionKey: string;
  parentProcessInstanceKey?: string;
  startDate: string;
  endDate?: string;
  state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED';
  hasIncident: boolean;
}
export interface ElementInstance { elementId: string; elementName?: string; type: string; state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED'; hasIncident: boolean; startDate: string; endDate?: string }
export interface Incident { incidentKey: string; elementId: string; errorType: string; errorMessage: string; creationTime: string; state: string }
export interface Variable { name: string; value: string; isTruncated: boolean; scopeKey: string; processInstanceKey: string }
export interface HistoryEntry { seq: number; at: string; event: string; elementId?: string; elementType?: string; name?: string; by?: string | null; detail?: string }
export interface OpenTask { userTaskKey: string; name?: string; elementId: string; assignee?: string; candidateGroups: string[]; creationDate: string; dueDate?: string }

export interface InstanceData {
  instance: ProcessInstance;
  xml: string;
  elements: ElementInstance[];
  incidents: Incident[];
  variables: Variable[];
  history: HistoryEntry[];
  tasks: OpenTask[];
}

interface Page<T> { items: T[]; page: { totalItems: number } }

export async function loadInstance(key: string, signal: AbortSignal): Promise<InstanceData> {
  const k = encodeURIComponent(key);
  const instance = await api.get<ProcessInstance>(`/v2/process-instances/${k}`, { signal });
  const filter = { processInstanceKey: instance.processInstanceKey };
  const [xml, elements, incidents, variables, history, tasks] = await Promise.all([
    api.text(`/v2/process-definitions/${encodeURIComponent(instance.processDefinitionKey)}/xml`, { signal }),
    api.post<Page<ElementInstance>>('/v2/element-instances/search', { filter, page: { limit: 1000 } }, { signal }),
    api.post<Page<Incident>>('/v2/incidents/search', { filter: { ...filter, state: 'ACTIVE' }, page: { limit: 100 } }, { signal }),
    api.post<Page<Variable>>('/v2/variables/search', { filter, page: { limit: 500 } }, { signal }),
    api.get<{ items: HistoryEntry[] }>(`/v2/process-instances/${k}/history`, { signal }),
    api.post<Page<OpenTask>>('/v2/user-tasks/search', { filter: { ...filter, state: 'CREATED' }, page: { limit: 100 } }, { signal }),
  ]);
  return { instance, xml, elements: elements.items, incidents: incidents.items, variables: variables.items, history: history.items, tasks: tasks.items };
}
