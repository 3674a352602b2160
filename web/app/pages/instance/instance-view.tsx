// One process instance: the diagram with its state, open tasks, incidents (retry), variables,
// history; cancel for those allowed. Shown alone (/instances/:key) and inside a case.
import './instance.css';
import { useState } from 'preact/hooks';
import { api } from '../../core/api.ts';
import { formatDateTime } from '../../core/i18n.ts';
import { useSession } from '../../core/session.ts';
import { Badge, Button, Card, ErrorMessage, Loading, errorText } from '../../ui/components.tsx';
import { DiagramView } from '../../ui/diagram-view.tsx';
import { gridName, groupName } from '../../ui/names.ts';
import { useLoad } from '../../ui/use-load.ts';
import { loadInstance, type HistoryEntry, type InstanceData, type Variable } from './instance-data.ts';
import { t, type Key } from './messages.ts';

export function stateBadge(state: string, hasIncident = false) {
  return (
    <span class="row">
      <Badge tone={state === 'ACTIVE' ? 'info' : state === 'COMPLETED' ? 'success' : 'neutral'}>{t(state as Key)}</Badge>
      {hasIncident && <Badge tone="danger">{t('hasIncident')}</Badge>}
    </span>
  );
}

/** A variable's JSON text as the page shows it: strings bare, the rest as JSON. */
export function showValue(v: Pick<Variable, 'value' | 'isTruncated'>): string {
  let text = v.value;
  try { const parsed: unknown = JSON.parse(v.value); if (typeof parsed === 'string') text = parsed; } catch { /* truncated JSON: as it is */ }
  return v.isTruncated ? `${text}… ${t('truncated')}` : text;
}

function diagramState(d: InstanceData) {
  const active = d.elements.filter((e) => e.state === 'ACTIVE' && e.type !== 'PROCESS').map((e) => e.elementId);
  return {
    active,
    visited: [...new Set(d.elements.map((e) => e.elementId))],
    completed: [...new Set(d.elements.filter((e) => e.state === 'COMPLETED').map((e) => e.elementId))],
    incidents: [...new Set(d.incidents.map((i) => i.elementId))],
  };
}

const HISTORY_SHOWN = new Set(['ELEMENT_ACTIVATED', 'ELEMENT_COMPLETED', 'ELEMENT_TERMINATED', 'USER_TASK_COMPLETED', 'INCIDENT_CREATED', 'INCIDENT_RESOLVED', 'MESSAGE_CORRELATED', 'TIMER_TRIGGERED', 'JOB_FAILED']);

export function InstanceView({ instanceKey, headless }: { instanceKey: string; headless?: boolean }) {
  const session = useSession();
  const loaded = useLoad((signal) => loadInstance(instanceKey, signal), [instanceKey]);
  const [busy, setBusy] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();

  if (loaded.error !== undefined && !loaded.data) return <ErrorMessage error={loaded.error} onRetry={loaded.reload} />;
  if (!loaded.data) return <Loading />;
  const d = loaded.data;
  const pi = d.instance;
  const names = new Map(d.elements.map((e) => [e.elementId, e.elementName]));
  const rootVars = d.variables.filter((v) => v.scopeKey === pi.processInstanceKey).sort((a, b) => a.name.localeCompare(b.name));
  const gridVar = rootVars.find((v) => v.name === 'gridId');
  const caseVar = rootVars.find((v) => v.name === 'caseNumber');

  async function run(kind: string, fn: () => Promise<unknown>, done: string) {
    setBusy(kind); setError(undefined); setNotice(undefined);
    try { await fn(); setNotice(done); loaded.reload(); } catch (err) { setError(err); } finally { setBusy(undefined); }
  }

  const cancel = () => {
    if (!confirm(t('cancelConfirm'))) return;
    void run('cancel', () => api.post(`/v2/process-instances/${pi.processInstanceKey}/cancellation`, {}), t('cancelled'));
  };

  const history = d.history.filter((h) => HISTORY_SHOWN.has(h.event) && h.elementType !== 'bpmn:SequenceFlow' && h.elementType !== 'PROCESS').slice(-200).reverse();

  return (
    <div class="instance-view" data-instance={pi.processInstanceKey} data-state={pi.state}>
      {!headless && (
        <div class="page-header">
          <div>
            <h1>{pi.processDefinitionName || pi.processDefinitionId}</h1>
            <p class="row">{stateBadge(pi.state, pi.hasIncident)}<span class="muted small">{t('instanceTitle', { key: pi.processInstanceKey })} · {t('version', { n: pi.processDefinitionVersion })}</span></p>
          </div>
          {pi.state === 'ACTIVE' && session.can('instances.cancel') && <Button variant="danger" busy={busy === 'cancel'} onClick={cancel} data-action="cancel-instance">{t('cancel')}</Button>}
        </div>
      )}
      {notice && <div class="alert alert-success" role="status">{notice}</div>}
      {error !== undefined && <div class="alert alert-error" role="alert">{errorText(error)}</div>}

      <dl class="dl instance-facts">
        <dt>{t('started')}</dt><dd>{formatDateTime(pi.startDate)}</dd>
        {pi.endDate && <><dt>{t('ended')}</dt><dd>{formatDateTime(pi.endDate)}</dd></>}
        {gridVar && <><dt>{t('grid')}</dt><dd>{gridName(showValue(gridVar))}</dd></>}
        {caseVar && !headless && <><dt>{t('caseNumber')}</dt><dd><a class="mono" href={`/cases/${encodeURIComponent(showValue(caseVar))}`}>{showValue(caseVar)}</a></dd></>}
        {pi.parentProcessInstanceKey && <><dt>{t('parent')}</dt><dd><a class="mono" href={`/instances/${pi.parentProcessInstanceKey}`}>{pi.parentProcessInstanceKey}</a></dd></>}
      </dl>

      <Card title={t('diagram')}>
        <DiagramView xml={d.xml} state={diagramState(d)} />
      </Card>

      <div class="instance-grid">
        <div class="stack">
          <Card title={t('openTasks')}>
            {d.tasks.length === 0 ? <p class="muted small">{t('noOpenTasks')}</p> : (
              <ul class="plain-list">
                {d.tasks.map((task) => (
                  <li key={task.userTaskKey} data-open-task={task.elementId}>
                    <div class="row"><strong class="grow">{task.name || task.elementId}</strong><a class="small" href={`/tasks/${task.userTaskKey}`}>{t('openTask')}</a></div>
                    <div class="small muted">
                      {task.assignee ? t('assignee', { name: task.assignee }) : t('unassigned')}
                      {task.candidateGroups.length > 0 && <> · {t('candidates', { groups: task.candidateGroups.map(groupName).join('、') })}</>}
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card title={t('incidents')}>
            {d.incidents.length === 0 ? <p class="muted small">{t('noIncidents')}</p> : (
              <ul class="plain-list">
                {d.incidents.map((inc) => (
                  <li key={inc.incidentKey} class="incident" data-incident={inc.incidentKey}>
                    <div class="row"><Badge tone="danger">{inc.errorType}</Badge><strong class="grow">{names.get(inc.elementId) || inc.elementId}</strong>
                      {session.can('incidents.resolve') && <Button size="sm" busy={busy === inc.incidentKey} onClick={() => void run(inc.incidentKey, () => api.post(`/v2/incidents/${inc.incidentKey}/resolution`, {}), t('retried'))} data-action="retry">{t('retry')}</Button>}
                    </div>
                    <p class="small incident-message">{inc.errorMessage}</p>
                    <p class="small muted">{formatDateTime(inc.creationTime)}</p>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card title={t('history')}>
            {history.length === 0 ? <p class="muted small">{t('noHistory')}</p> : <History entries={history} names={names} />}
          </Card>
        </div>
        <Card title={t('variables')}>
          {rootVars.length === 0 ? <p class="muted small">{t('noVariables')}</p> : (
            <div class="table-wrap">
              <table class="table variables">
                <thead><tr><th scope="col">{t('colName')}</th><th scope="col">{t('colValue')}</th></tr></thead>
                <tbody>{rootVars.map((v) => <tr key={v.name}><td class="mono" translate={false}>{v.name}</td><td class="var-value" translate={false}>{showValue(v)}</td></tr>)}</tbody>
              </table>
            </div>
          )}
        </Card>
      </div>
    </div>
  );
}

function History({ entries, names }: { entries: HistoryEntry[]; names: Map<string, string | undefined> }) {
  return (
    <ol class="timeline">
      {entries.map((h) => (
        <li key={h.seq} class={`tl-${h.event.toLowerCase()}`}>
          <span class="tl-dot" aria-hidden="true" />
          <div>
            <div><strong>{h.name || (h.elementId && names.get(h.elementId)) || h.elementId || ''}</strong> <span class="muted">{t(`ev_${h.event}` as Key)}</span></div>
            <div class="small muted">{formatDateTime(h.at)}{h.by ? ` · ${t('by', { name: h.by })}` : ''}</div>
          </div>
        </li>
      ))}
    </ol>
  );
}
