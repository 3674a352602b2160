// The process instances the user may see, newest first, by state and process.
import './instance.css';
import { useState } from 'preact/hooks';
import { api } from '../../core/api.ts';
import { formatDateTime, formatNumber } from '../../core/i18n.ts';
import { setQuery } from '../../core/router.ts';
import type { PageProps } from '../../page.ts';
import { Button, Empty, ErrorMessage, Loading, PageHeader } from '../../ui/components.tsx';
import { useLoad } from '../../ui/use-load.ts';
import type { ProcessInstance } from './instance-data.ts';
import { stateBadge } from './instance-view.tsx';
import { t } from './messages.ts';

const PAGE = 50;
interface Page<T> { items: T[]; page: { totalItems: number } }
interface Definition { processDefinitionId: string; name?: string }

export default function InstanceList({ query }: PageProps) {
  const state = query.get('state') ?? 'ACTIVE';
  const process = query.get('process') ?? '';
  const [limit, setLimit] = useState(PAGE);
  const defs = useLoad((signal) => api.post<Page<Definition>>('/v2/process-definitions/search', { filter: { isLatestVersion: true }, page: { limit: 500 } }, { signal }), []);
  const list = useLoad((signal) => api.post<Page<ProcessInstance>>('/v2/process-instances/search', {
    filter: { ...(state !== 'ALL' && { state }), ...(process && { processDefinitionId: process }) },
    sort: [{ field: 'startDate', order: 'DESC' }], page: { limit },
  }, { signal }), [state, process, limit]);

  return (
    <>
      <PageHeader title={t('listTitle')} subtitle={t('listSubtitle')} />
      <div class="filters-row">
        <div class="field">
          <label for="f-state">{t('stateFilter')}</label>
          <select id="f-state" class="select" value={state} onChange={(e) => { setLimit(PAGE); setQuery({ state: e.currentTarget.value === 'ACTIVE' ? null : e.currentTarget.value }); }}>
            {(['ACTIVE', 'COMPLETED', 'TERMINATED', 'ALL'] as const).map((s) => <option key={s} value={s}>{s === 'ALL' ? t('all') : t(s)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="f-process">{t('processFilter')}</label>
          <select id="f-process" class="select" value={process} onChange={(e) => { setLimit(PAGE); setQuery({ process: e.currentTarget.value }); }}>
            <option value="">{t('all')}</option>
            {(defs.data?.items ?? []).map((d) => <option key={d.processDefinitionId} value={d.processDefinitionId}>{d.name || d.processDefinitionId}</option>)}
          </select>
        </div>
      </div>
      {list.error !== undefined && <ErrorMessage error={list.error} onRetry={list.reload} />}
      {!list.data && list.error === undefined && <Loading />}
      {list.data && (list.data.items.length === 0 ? <Empty>{t('empty')}</Empty> : (
        <div class="card">
          <div class="table-wrap">
            <table class="table">
              <thead><tr><th scope="col">{t('colProcess')}</th><th scope="col" class="hide-narrow">{t('colKey')}</th><th scope="col">{t('colStarted')}</th><th scope="col">{t('colState')}</th></tr></thead>
              <tbody>
                {list.data.items.map((pi) => (
                  <tr key={pi.processInstanceKey}>
                    <td><a href={`/instances/${pi.processInstanceKey}`} data-instance-link={pi.processInstanceKey}>{pi.processDefinitionName || pi.processDefinitionId}</a></td>
                    <td class="mono hide-narrow">{pi.processInstanceKey}</td>
                    <td>{formatDateTime(pi.startDate)}</td>
                    <td>{stateBadge(pi.state, pi.hasIncident)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="card-body row">
            <span class="small muted grow">{t('count', { n: formatNumber(list.data.page.totalItems) })}</span>
            {list.data.page.totalItems > list.data.items.length && <Button size="sm" busy={list.loading} onClick={() => setLimit(limit + PAGE)}>{t('more')}</Button>}
          </div>
        </div>
      ))}
    </>
  );
}
