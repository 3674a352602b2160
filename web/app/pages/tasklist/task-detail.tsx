// One task: what it is about, claim and unclaim, its form (form-js) and submission, with the
// server's validation errors shown on their fields.
import { useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../../core/api.ts';
import { formatDateTime } from '../../core/i18n.ts';
import { useSession } from '../../core/session.ts';
import { Badge, Button, ErrorMessage, Loading, errorText } from '../../ui/components.tsx';
import { DueBadge, type DueInfo } from '../../ui/due-badge.tsx';
import type { FieldError, FormHandle } from '../../ui/form-view.tsx';
import { LazyFormView, preloadFormView } from '../../ui/lazy-form-view.tsx';
import { categoryName, gridName, groupName } from '../../ui/names.ts';
import { useLoad } from '../../ui/use-load.ts';
import { t } from './messages.ts';
import type { TaskRow } from './task-list.tsx';

interface UserTask {
  userTaskKey: string;
  name?: string;
  elementId: string;
  state: string;
  assignee?: string;
  candidateGroups: string[];
  processName?: string;
  processDefinitionId: string;
  processInstanceKey: string;
  creationDate: string;
  dueDate?: string;
  priority: number;
}

interface TaskData { task: UserTask; form: { schema: string } | undefined; variables: Record<string, unknown> }

async function loadTask(key: string, signal: AbortSignal): Promise<TaskData> {
  const [task, form, vars] = await Promise.all([
    api.get<UserTask>(`/v2/user-tasks/${encodeURIComponent(key)}`, { signal }),
    api.get<{ schema: string } | undefined>(`/v2/user-tasks/${encodeURIComponent(key)}/form`, { signal }),
    api.get<{ variables: Record<string, unknown> }>(`/api/tasklist/${encodeURIComponent(key)}/variables`, { signal }),
  ]);
  return { task, form, variables: vars.variables };
}

export function TaskDetail({ taskKey, row, onChanged, onDone }: { taskKey: string; row?: TaskRow; onChanged: () => void; onDone: () => void }) {
  const session = useSession();
  const me = session.user.username;
  preloadFormView();
  const loaded = useLoad((signal) => loadTask(taskKey, signal), [taskKey]);
  const form = useRef<FormHandle>(null);
  const [busy, setBusy] = useState<'claim' | 'unclaim' | 'complete' | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  const [fieldErrors, setFieldErrors] = useState<FieldError[]>([]);
  const schemaText = loaded.data?.form?.schema;
  const schema = useMemo(() => (schemaText === undefined ? undefined : parseSchema(schemaText)), [schemaText]);

  if (loaded.error !== undefined && !loaded.data) {
    if (loaded.error instanceof ApiError && loaded.error.status === 404) return <div class="card card-body"><p>{t('taskGone')}</p><a href="/tasks">{t('back')}</a></div>;
    return <ErrorMessage error={loaded.error} onRetry={loaded.reload} />;
  }
  if (!loaded.data) return <Loading />;
  const { task, variables } = loaded.data;
  const mine = task.assignee === me;

  async function act(kind: 'claim' | 'unclaim') {
    setBusy(kind); setError(undefined); setNotice(undefined);
    try {
      if (kind === 'claim') await api.post(`/v2/user-tasks/${task.userTaskKey}/assignment`, { assignee: me });
      else await api.delete(`/v2/user-tasks/${task.userTaskKey}/assignee`);
      setNotice(kind === 'claim' ? t('claimed') : t('unclaimed'));
      loaded.reload();
      onChanged();
    } catch (err) { setError(err); } finally { setBusy(undefined); }
  }

  async function complete() {
    setError(undefined); setNotice(undefined); setFieldErrors([]);
    let data: Record<string, unknown> = {};
    if (schema) {
      const out = form.current?.submit();
      if (!out) return;
      data = out;
    }
    setBusy('complete');
    try {
      await api.post(`/api/user-tasks/${task.userTaskKey}/completion`, { variables: data });
      onChanged();
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && Array.isArray(err.problem.errors)) {
        const errors = err.problem.errors as FieldError[];
        form.current?.showErrors(errors);
        setFieldErrors(errors);
      } else setError(err);
    } finally { setBusy(undefined); }
  }

  const title = task.name || task.elementId;
  return (
    <article class="task-detail card" aria-labelledby="task-title" data-task-detail={task.userTaskKey}>
      <header class="card-header task-head">
        <div class="stack-tight">
          <h2 id="task-title">{title}</h2>
          <p class="small muted">{row?.title ? <>{row.title} · </> : null}{task.processName || task.processDefinitionId}</p>
          <div class="row small">
            <DueBadge info={row?.dueInfo ?? (task.dueDate ? { due: task.dueDate, workingDaysLeft: null, overdue: Date.parse(task.dueDate) < Date.now() } as DueInfo : null)} />
            {row?.gridId !== undefined && <Badge tone="info">{gridName(row.gridId)}</Badge>}
            {row?.category && <Badge>{categoryName(row.category)}</Badge>}
            {task.assignee === undefined ? <Badge tone="warning">{t('unassigned')}</Badge> : mine ? <Badge tone="success">{t('assignedToMe')}</Badge> : <Badge>{t('assignedTo', { name: task.assignee })}</Badge>}
          </div>
        </div>
        <div class="row">
          {task.assignee === undefined && <Button variant="primary" busy={busy === 'claim'} onClick={() => void act('claim')} data-action="claim">{t('claim')}</Button>}
          {mine && <Button busy={busy === 'unclaim'} onClick={() => void act('unclaim')} data-action="unclaim">{t('unclaim')}</Button>}
        </div>
      </header>
      <div class="card-body stack">
        <dl class="dl">
          {row?.caseNumber && <><dt>{t('caseNumber')}</dt><dd><a href={`/cases/${encodeURIComponent(row.caseNumber)}`} class="mono">{row.caseNumber}</a></dd></>}
          <dt>{t('createdAt')}</dt><dd>{formatDateTime(task.creationDate)}</dd>
          {task.candidateGroups.length > 0 && <><dt>{t('candidateGroups')}</dt><dd>{task.candidateGroups.map(groupName).join('、')}</dd></>}
        </dl>
        <div class="row small"><a href={`/instances/${task.processInstanceKey}`}>{t('openInstance')}</a></div>
        {notice && <div class="alert alert-success" role="status">{notice}</div>}
        {error !== undefined && <div class="alert alert-error" role="alert">{errorText(error)}</div>}
        {fieldErrors.length > 0 && (
          <div class="alert alert-error" role="alert" id="form-errors">
            <p>{t('fixErrors')}</p>
            <ul>{fieldErrors.map((e, i) => <li key={i}>{e.label ? <strong>{e.label}：</strong> : null}{e.message}</li>)}</ul>
          </div>
        )}
        {!mine && (task.assignee === undefined ? <div class="alert alert-info">{t('claimFirst')}</div> : <div class="alert alert-info">{t('assignedElsewhere', { name: task.assignee })}</div>)}
        <div class="task-form">
          {schema ? <LazyFormView ref={form} schema={schema} data={variables} readOnly={!mine} label={t('formOf', { name: title })} /> : <p class="muted">{t('noForm')}</p>}
          {mine && (
            <div class="form-actions">
              <Button variant="primary" busy={busy === 'complete'} onClick={() => void complete()} data-action="complete">{busy === 'complete' ? t('completing') : t('complete')}</Button>
            </div>
          )}
        </div>
      </div>
    </article>
  );
}

function parseSchema(text: string): unknown {
  try { return JSON.parse(text); } catch { return undefined; }
}
