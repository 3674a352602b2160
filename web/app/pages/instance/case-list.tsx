// The cases (诉求件) the user may see, from the zone's case service (GET /api/cases): search,
// filters and sorting in the URL, newest first, twenty a page.
import './instance.css';
import { useState } from 'preact/hooks';
import { api, ApiError, query as qs } from '../../core/api.ts';
import { formatDate, formatNumber } from '../../core/i18n.ts';
import { setQuery } from '../../core/router.ts';
import { useSession } from '../../core/session.ts';
import type { PageProps } from '../../page.ts';
import { Badge, Button, Empty, ErrorMessage, Loading, PageHeader } from '../../ui/components.tsx';
import { categoryName, gridName } from '../../ui/names.ts';
import { useLoad } from '../../ui/use-load.ts';
import { CASE_CATEGORIES } from '../../../../processes/org/reference.ts';
import { t, type Key } from './messages.ts';

interface CaseSummary {
  number: string; title: string; enterprise?: { name?: string; uscc?: string }; gridId: string; category: string;
  tier: number; status: string; deadline: string | null; overdue: boolean; filedAt: string;
}
interface Answer { items: CaseSummary[]; page: { page: number; pageSize: number; totalItems: number } }

const STATUSES = ['open', 'filed', 'accepted', 'handled', 'escalated', 'returned', 'resolved', 'whistled', 'reviewed', 'rated', 'reopened', 'closed'] as const;
const FILTERS = ['q', 'status', 'category', 'tier', 'gridId', 'overdue', 'sort', 'page'] as const;

export default function CaseList({ query }: PageProps) {
  const session = useSession();
  const params = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) ?? undefined]));
  const status = params.status ?? 'open';
  const [search, setSearch] = useState(params.q ?? '');
  const list = useLoad((signal) => api.get<Answer>(`/api/cases${qs({ ...params, status: status === 'all' ? undefined : status, pageSize: 20 })}`, { signal }), [JSON.stringify(params)]);
  const page = Number(params.page ?? 1);

  const select = (key: (typeof FILTERS)[number], label: string, options: Array<[string, string]>, value = params[key] ?? '') => (
    <div class="field">
      <label for={`c-${key}`}>{label}</label>
      <select id={`c-${key}`} class="select" value={value} onChange={(e) => setQuery({ [key]: e.currentTarget.value, page: null })}>
        {options.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
      </select>
    </div>
  );

  if (list.error instanceof ApiError && list.error.status === 404 && !list.data) return <><PageHeader title={t('casesTitle')} /><div class="alert alert-info">{t('caseUnavailable')}</div></>;

  return (
    <>
      <PageHeader title={t('casesTitle')} subtitle={t('casesSubtitle')} />
      <form class="filters-row" role="search" onSubmit={(e) => { e.preventDefault(); setQuery({ q: search.trim(), page: null }); }}>
        <div class="field grow">
          <label for="c-q">{t('search')}</label>
          <input id="c-q" class="input" type="search" value={search} maxLength={100} placeholder={t('searchHint')} onInput={(e) => setSearch(e.currentTarget.value)} />
        </div>
        {select('status', t('status'), [['open', t('statusOpen')], ['all', t('all')], ...STATUSES.slice(1).map((s): [string, string] => [s, t(`st_${s}` as Key)])], status)}
        {select('category', t('category'), [['', t('all')], ...CASE_CATEGORIES.map((c): [string, string] => [c.code, categoryName(c.code)])])}
        {select('tier', t('tier'), [['', t('all')], ...['1', '2', '3'].map((n): [string, string] => [n, t('tierN', { n })])])}
        {session.zoneWide && select('gridId', t('grid'), [['', t('all')], ...['1', '2', '3', '4', '5', '6'].map((g): [string, string] => [g, gridName(g)])])}
        {select('sort', t('sort'), [['', t('sortFiled')], ['deadline', t('sortDeadline')], ['-tier', t('sortTier')], ['number', t('sortNumber')]])}
        <label class="checkbox"><input type="checkbox" checked={params.overdue === 'true'} onChange={(e) => setQuery({ overdue: e.currentTarget.checked ? 'true' : null, page: null })} />{t('overdueOnly')}</label>
        <Button type="submit" size="sm">{t('search')}</Button>
      </form>
      {list.error !== undefined && <ErrorMessage error={list.error} onRetry={list.reload} />}
      {!list.data && list.error === undefined && <Loading />}
      {list.data && (list.data.items.length === 0 ? <Empty>{t('casesEmpty')}</Empty> : (
        <div class="card">
          <div class="table-wrap">
            <table class="table cases">
              <thead><tr>
                <th scope="col">{t('caseNumber')}</th><th scope="col">{t('caseTitleCol')}</th><th scope="col" class="hide-narrow">{t('enterprise')}</th>
                <th scope="col" class="hide-narrow">{t('grid')}</th><th scope="col" class="hide-narrow">{t('category')}</th><th scope="col">{t('status')}</th><th scope="col" class="hide-narrow">{t('deadline')}</th>
              </tr></thead>
              <tbody>
                {list.data.items.map((c) => (
                  <tr key={c.number} data-case-row={c.number}>
                    <td class="mono"><a href={`/cases/${encodeURIComponent(c.number)}`}>{c.number}</a></td>
                    <td>{c.title}</td>
                    <td class="hide-narrow">{c.enterprise?.name}</td>
                    <td class="hide-narrow">{gridName(c.gridId)}</td>
                    <td class="hide-narrow">{categoryName(c.category)}</td>
                    <td><span class="row"><Badge tone={c.status === 'closed' ? 'success' : c.status === 'escalated' || c.status === 'whistled' ? 'warning' : 'info'}>{t(`st_${c.status}` as Key)}</Badge><span class="small muted">{t('tierN', { n: c.tier })}</span>{c.overdue && <Badge tone="danger">{t('overdue')}</Badge>}</span></td>
                    <td class="hide-narrow">{c.deadline ? formatDate(c.deadline) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="card-body row">
            <span class="small muted grow">{t('casesCount', { n: formatNumber(list.data.page.totalItems) })}</span>
            {page > 1 && <Button size="sm" onClick={() => setQuery({ page: String(page - 1) })}>{t('prev')}</Button>}
            {page * list.data.page.pageSize < list.data.page.totalItems && <Button size="sm" onClick={() => setQuery({ page: String(page + 1) })}>{t('next')}</Button>}
          </div>
        </div>
      ))}
    </>
  );
}
