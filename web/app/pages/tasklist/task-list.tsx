// The list of open tasks with its views, filters and sorting (all kept in the URL).
import { useEffect } from 'preact/hooks';
import { api, query as qs } from '../../core/api.ts';
import { formatRelative } from '../../core/i18n.ts';
import { setQuery } from '../../core/router.ts';
import { useSession } from '../../core/session.ts';
import { Badge, Empty, ErrorMessage, Loading } from '../../ui/components.tsx';
import { DueBadge, type DueInfo } from '../../ui/due-badge.tsx';
import { categoryName, gridName } from '../../ui/names.ts';
import { useLoad } from '../../ui/use-load.ts';
import { t } from './messages.ts';

export interface TaskRow {
  userTaskKey: string;
  name: string | null;
  elementId: string;
  processName: string | null;
  processDefinitionId: string;
  processInstanceKey: string;
  assignee: string | null;
  candidateGroups: string[];
  creationDate: string;
  priority: number;
  hasForm: boolean;
  dueInfo: DueInfo | null;
  gridId?: string | number;
  category?: string;
  caseNumber?: string;
  title?: string;
  enterpriseName?: string;
}

interface TaskListAnswer {
  items: TaskRow[];
  total: number;
  options: { processes: Array<{ id: string; name: string }>; grids: string[]; categories: string[] };
  now: string;
}

const FILTER_KEYS = ['view', 'process', 'grid', 'category', 'due', 'overdue', 'unassigned', 'sort', 'order'] as const;

export function TaskList({ query, selected, version, onRows }: { query: URLSearchParams; selected?: string; version: number; onRows?: (rows: TaskRow[]) => void }) {
  const session = useSession();
  const params = Object.fromEntries(FILTER_KEYS.map((k) => [k, query.get(k) ?? undefined]));
  // Someone in no group (an administrator, the committee) starts on every task they may see.
  const defaultView = session.user.groups.length > 0 ? 'groups' : 'all';
  const view = params.view ?? defaultView;
  const list = useLoad(async (signal) => {
    const answer = await api.get<TaskListAnswer>(`/api/tasklist${qs({ ...params, view })}`, { signal });
    onRows?.(answer.items);
    return answer;
  }, [JSON.stringify(params), version]);
  // The queue changes as colleagues claim and complete: read it again every 30 s while the page
  // is in view, and when the user comes back to it.
  useEffect(() => {
    const again = () => { if (document.visibilityState === 'visible') list.reload(); };
    const timer = setInterval(again, 30_000);
    document.addEventListener('visibilitychange', again);
    return () => { clearInterval(timer); document.removeEventListener('visibilitychange', again); };
  }, [list.reload]);
  const opts = list.data?.options;
  const now = list.data ? Date.parse(list.data.now) : Date.now();

  const select = (key: string, label: string, options: Array<[string, string]>) => (
    <div class="field">
      <label for={`f-${key}`}>{label}</label>
      <select id={`f-${key}`} class="select" value={params[key] ?? ''} onChange={(e) => setQuery({ [key]: e.currentTarget.value })}>
        {options.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
      </select>
    </div>
  );

  return (
    <div class="task-list">
      <div class="tabs" role="tablist" aria-label={t('title')}>
        {([['mine', t('viewMine')], ['groups', t('viewGroups')], ['all', t('viewAll')]] as const).map(([v, label]) => (
          <button key={v} type="button" role="tab" class="tab" aria-selected={view === v ? 'true' : 'false'} data-view={v} onClick={() => setQuery({ view: v === defaultView ? null : v })}>{label}</button>
        ))}
      </div>
      <details class="filters" open={matchMedia('(min-width: 861px)').matches}>
        <summary>{t('filters')}</summary>
        <div class="filter-grid">
          {select('process', t('process'), [['', t('all')], ...(opts?.processes ?? []).map((p): [string, string] => [p.id, p.name])])}
          {select('grid', t('grid'), [['', t('all')], ...(opts?.grids ?? []).map((g): [string, string] => [g, gridName(g)])])}
          {select('category', t('category'), [['', t('all')], ...(opts?.categories ?? []).map((c): [string, string] => [c, categoryName(c)])])}
          {select('due', t('due'), [['', t('dueAny')], ['today', t('dueToday')], ['week', t('dueWeek')], ['any', t('dueSet')], ['none', t('dueNone')]])}
          {select('sort', t('sort'), [['', t('sortDue')], ['created', t('sortCreated')], ['priority', t('sortPriority')], ['name', t('sortName')]])}
          {select('order', t('order'), [['', t('ascending')], ['desc', t('descending')]])}
          <label class="checkbox"><input type="checkbox" checked={params.overdue === 'true'} onChange={(e) => setQuery({ overdue: e.currentTarget.checked ? 'true' : null })} />{t('overdueOnly')}</label>
          <label class="checkbox"><input type="checkbox" checked={params.unassigned === 'true'} onChange={(e) => setQuery({ unassigned: e.currentTarget.checked ? 'true' : null })} />{t('unassignedOnly')}</label>
        </div>
      </details>

      {list.error !== undefined && <ErrorMessage error={list.error} onRetry={list.reload} />}
      {!list.data && list.error === undefined && <Loading />}
      {list.data && (
        <>
          <p class="small muted list-count" aria-live="polite">{list.data.total > list.data.items.length ? t('countMore', { shown: list.data.items.length, n: list.data.total }) : t('count', { n: list.data.total })}</p>
          {list.data.items.length === 0 ? <Empty>{view === 'mine' ? t('emptyMine') : t('empty')}</Empty> : (
            <ul class="task-items" aria-busy={list.loading ? 'true' : 'false'}>
              {list.data.items.map((task) => (
                <li key={task.userTaskKey}>
                  <a class={`task-item${task.userTaskKey === selected ? ' selected' : ''}`} href={`/tasks/${task.userTaskKey}${location.search}`}
                    aria-current={task.userTaskKey === selected ? 'true' : undefined} data-task={task.userTaskKey}>
                    <span class="task-item-top">
                      <strong class="task-name">{task.name || task.elementId}</strong>
                      <DueBadge info={task.dueInfo} />
                    </span>
                    <span class="task-sub">{task.title || task.enterpriseName || task.processName || task.processDefinitionId}</span>
                    <span class="task-meta">
                      {task.caseNumber && <span class="mono">{task.caseNumber}</span>}
                      {task.gridId !== undefined && <Badge tone="info">{gridName(task.gridId)}</Badge>}
                      {task.category && <Badge>{categoryName(task.category)}</Badge>}
                      {task.assignee === null ? <Badge tone="warning">{t('unassigned')}</Badge>
                        : task.assignee === session.user.username ? <Badge tone="success">{t('assignedToMe')}</Badge>
                          : <span>{t('assignedTo', { name: task.assignee })}</span>}
                      <span class="muted">{formatRelative(task.creationDate, now)}</span>
                    </span>
                  </a>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
