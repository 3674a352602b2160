// The processes the user may start from a form (recording a visit, filing a demand…).
import './start.css';
import { api } from '../../core/api.ts';
import type { PageProps } from '../../page.ts';
import { Empty, ErrorMessage, Loading, PageHeader } from '../../ui/components.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { t } from './messages.ts';

export interface StartableProcess { processDefinitionKey: string; processDefinitionId: string; name: string | null; version: number; versionTag: string | null }

export default function StartList(_props: PageProps) {
  const list = useLoad((signal) => api.get<{ items: StartableProcess[] }>('/api/start-forms', { signal }), []);
  return (
    <>
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      {list.error !== undefined && <ErrorMessage error={list.error} onRetry={list.reload} />}
      {!list.data && list.error === undefined && <Loading />}
      {list.data && (list.data.items.length === 0 ? <Empty>{t('empty')}</Empty> : (
        <ul class="start-grid">
          {list.data.items.map((p) => (
            <li key={p.processDefinitionKey}>
              <a class="start-card card" href={`/start/${p.processDefinitionKey}`} data-start={p.processDefinitionId}>
                <strong>{p.name || p.processDefinitionId}</strong>
                <span class="small muted">{t('version', { n: p.version })}{p.versionTag ? ` · ${p.versionTag}` : ''}</span>
                <span class="start-cta">{t('start')} →</span>
              </a>
            </li>
          ))}
        </ul>
      ))}
    </>
  );
}
