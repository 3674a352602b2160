// The tasklist: the list beside the selected task on wide screens; on a phone, one or the other.
import './tasklist.css';
import { useState } from 'preact/hooks';
import { navigate } from '../../core/router.ts';
import type { PageProps } from '../../page.ts';
import { PageHeader } from '../../ui/components.tsx';
import { t } from './messages.ts';
import { TaskDetail } from './task-detail.tsx';
import { TaskList, type TaskRow } from './task-list.tsx';

export default function TasklistPage({ params, query }: PageProps) {
  const [version, setVersion] = useState(0);
  const [done, setDone] = useState<string | undefined>();
  const [rows, setRows] = useState<TaskRow[]>([]);
  const key = params.key;
  const back = `/tasks${query.toString() ? `?${query}` : ''}`;
  return (
    <div class={`tasklist${key ? ' has-selection' : ''}`}>
      <div class="tasklist-header"><PageHeader title={t('title')} subtitle={t('subtitle')} /></div>
      {done && !key && <div class="alert alert-success" role="status">{done}</div>}
      <div class="tasklist-columns">
        <section class="tasklist-list" aria-label={t('title')}>
          <TaskList query={query} selected={key} version={version} onRows={setRows} />
        </section>
        <section class="tasklist-detail" aria-label={key ? undefined : t('selectTask')}>
          {key ? (
            <>
              <a class="back-link" href={back}>← {t('back')}</a>
              <TaskDetail key={key} taskKey={key} row={rows.find((r) => r.userTaskKey === key)} onChanged={() => setVersion((v) => v + 1)} onDone={() => { setDone(t('completed')); navigate(back); }} />
            </>
          ) : <div class="card card-body empty">{t('selectTask')}</div>}
        </section>
      </div>
    </div>
  );
}
