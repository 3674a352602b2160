// The monthly grid report (网格月报) and its secondary analysis (二次分析研判): a month's figures
// per grid, and the cases grouped by category, tier and grid to find common problems and risks.
import { useState } from 'preact/hooks';
import { formatNumber, intlLocale, useLocale } from '../core/i18n.ts';
import { setQuery } from '../core/router.ts';
import { useSession } from '../core/session.ts';
import type { PageProps } from '../page.ts';
import { Button, Card, ErrorMessage, Loading, PageHeader, errorText } from '../ui/components.tsx';
import { useLoad } from '../ui/use-load.ts';
import { Chart } from './chart.tsx';
import { findingsOf } from './findings.ts';
import { currentMonth, downloadMonthly, loadMonthly, tally, type MonthlyReport } from './data.ts';
import { CATEGORIES, gridName, label } from './labels.ts';
import { t } from './messages.ts';
import './dashboards.css';

/** The last 24 months (and the one asked for), newest first. */
function recentMonths(chosen: string): string[] {
  const now = new Date();
  const out = Array.from({ length: 24 }, (_x, i) => currentMonth(new Date(now.getFullYear(), now.getMonth() - i, 1)));
  return out.includes(chosen) ? out : [chosen, ...out];
}
const monthName = (m: string) => new Intl.DateTimeFormat(intlLocale(), { year: 'numeric', month: 'long' }).format(new Date(Number(m.slice(0, 4)), Number(m.slice(5, 7)) - 1, 1));

const percent = (r: number | null) => (r === null ? t('none') : formatNumber(r, { style: 'percent', maximumFractionDigits: 1 }));
const num = (n: number | null) => (n === null ? t('none') : formatNumber(n, { maximumFractionDigits: 1 }));

function findings(r: MonthlyReport): string[] {
  const out = findingsOf(r).map((f) => (f.key === 'findingTop'
    ? t(f.key, { category: label(CATEGORIES, f.category), n: formatNumber(f.n), share: percent(f.share) })
    : t(f.key, { n: formatNumber(f.n) })));
  return out.length ? out : [t('findingNone')];
}

/** A cross table of cases: categories down, `columns` across. */
function CrossTable({ r, columns, column, head }: { r: MonthlyReport; columns: string[]; column: (row: MonthlyReport['byCategoryTierGrid'][number]) => string; head: (c: string) => string }) {
  const cells = tally(r.byCategoryTierGrid, (x) => `${x.category}|${column(x)}`, (x) => x.cases);
  const categories = [...tally(r.byCategoryTierGrid, (x) => x.category, (x) => x.cases)].sort((a, b) => b[1] - a[1]);
  const max = Math.max(1, ...cells.values());
  return (
    <div class="table-wrap">
      <table class="table gf-cross">
        <thead><tr><th scope="col">{t('category')}</th>{columns.map((c) => <th key={c} scope="col" class="gf-num">{head(c)}</th>)}<th scope="col" class="gf-num">{t('total')}</th></tr></thead>
        <tbody>
          {categories.map(([cat, total]) => (
            <tr key={cat}>
              <th scope="row">{label(CATEGORIES, cat)}</th>
              {columns.map((c) => {
                const n = cells.get(`${cat}|${c}`) ?? 0;
                return <td key={c} class="gf-num" style={n ? { background: `rgba(23, 74, 124, ${0.08 + 0.42 * (n / max)})` } : undefined}>{n ? formatNumber(n) : ''}</td>;
              })}
              <td class="gf-num"><strong>{formatNumber(total)}</strong></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Report({ r, zone }: { r: MonthlyReport; zone: boolean }) {
  const grids = [...new Set(r.byCategoryTierGrid.map((x) => x.gridId))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const rows: Array<[string, string]> = [
    [t('filed'), formatNumber(r.filed)],
    [t('closed'), formatNumber(r.closed)],
    [t('openAtEnd'), formatNumber(r.openAtEnd)],
    [t('overdueAtEnd'), formatNumber(r.overdueAtEnd)],
    [t('compliance'), percent(r.compliance.rate)],
    [t('resolution'), r.resolution.p50 === null ? t('none') : t('workingDays', { n: num(r.resolution.p50) })],
    [t('satisfaction'), percent(r.ratings.satisfactionRate)],
    [t('reopen'), percent(r.reopen.rate)],
  ];
  return (
    <section class="gf-report" data-testid="monthly-report" data-grid={r.gridId ?? ''}>
      <h2 class="gf-report-title">{r.gridId === null ? t('allGrids') : gridName(r.gridId)} · {monthName(r.month)}</h2>
      <div class="gf-report-grid">
        <Card title={t('figure')}>
          <table class="table"><tbody>{rows.map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td class="gf-num">{v}</td></tr>)}</tbody></table>
        </Card>
        <Card title={t('findings')}>
          <ul class="gf-findings" data-testid="findings">{findings(r).map((f) => <li key={f}>{f}</li>)}</ul>
          {r.topProblems.tags.length > 0 && (
            <>
              <h3 class="gf-subhead">{t('topTags')}</h3>
              <p class="gf-tags">{r.topProblems.tags.map((x) => <span key={x.tag} class="badge">{x.tag} · {formatNumber(x.cases)}</span>)}</p>
            </>
          )}
        </Card>
      </div>
      {r.filed === 0 ? <div class="empty">{t('noMonthly')}</div> : (
        <Card title={t('secondary')}>
          <div class="gf-report-grid">
            <div>
              <h3 class="gf-subhead">{t('categoryTier')}</h3>
              <CrossTable r={r} columns={['1', '2', '3']} column={(x) => String(x.tier)} head={(c) => t('tier', { n: c })} />
            </div>
            <div>
              <h3 class="gf-subhead">{t('topProblems')}</h3>
              <Chart
                label={t('topProblems')} testId="chart-top-problems" height={260}
                option={{
                  tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
                  grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
                  yAxis: { type: 'category', inverse: true, data: r.topProblems.categories.map((x) => label(CATEGORIES, x.category)) },
                  xAxis: { type: 'value', minInterval: 1 },
                  series: [{ type: 'bar', data: r.topProblems.categories.map((x) => x.cases), barMaxWidth: 22, label: { show: true, position: 'right' } }],
                }}
              />
            </div>
          </div>
          {zone && grids.length > 1 && (
            <>
              <h3 class="gf-subhead">{t('categoryGrid')}</h3>
              <CrossTable r={r} columns={grids} column={(x) => x.gridId} head={gridName} />
            </>
          )}
        </Card>
      )}
    </section>
  );
}

export default function MonthlyReportPage({ query }: PageProps) {
  useLocale();
  const session = useSession();
  const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(query.get('month') ?? '') ? query.get('month')! : currentMonth();
  const requested = query.get('grid');
  const gridId = session.zoneWide ? (requested || null) : (requested && session.grids.includes(requested) ? requested : null);
  const reports = useLoad((signal) => loadMonthly(month, gridId, signal), [month, gridId]);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const exportExcel = async () => {
    setExporting(true);
    setExportError(null);
    try { await downloadMonthly(month, gridId); } catch (err) { setExportError(t('exportFailed', { detail: errorText(err) })); } finally { setExporting(false); }
  };
  return (
    <div class="gf-dashboard" data-testid="monthly">
      <PageHeader title={t('monthlyTitle')} subtitle={t('monthlySubtitle')} />
      <div class="gf-dash-filters row">
        <label class="gf-inline-field">
          <span>{t('monthPick')}</span>
          <select class="select" value={month} data-testid="month" onChange={(e) => setQuery({ month: (e.target as HTMLSelectElement).value || null })}>
            {recentMonths(month).map((m) => <option key={m} value={m}>{monthName(m)}</option>)}
          </select>
        </label>
        {(session.zoneWide || session.grids.length > 1) && (
          <label class="gf-inline-field">
            <span>{t('reportGrid')}</span>
            <select class="select" value={gridId ?? ''} onChange={(e) => setQuery({ grid: (e.target as HTMLSelectElement).value || null })}>
              <option value="">{session.zoneWide ? t('allGrids') : session.grids.map(gridName).join('、')}</option>
              {(session.zoneWide ? ['1', '2', '3', '4', '5', '6'] : session.grids).map((g) => <option key={g} value={g}>{gridName(g)}</option>)}
            </select>
          </label>
        )}
        <span class="grow" />
        <Button data-testid="export-monthly" busy={exporting} disabled={!reports.data} onClick={() => void exportExcel()}>{exporting ? t('exporting') : t('exportExcel')}</Button>
      </div>
      {exportError && <div class="alert alert-error" role="alert">{exportError}</div>}
      {reports.error ? <ErrorMessage error={reports.error} onRetry={reports.reload} /> : !reports.data ? <Loading /> : (
        reports.data.map((r) => <Report key={r.gridId ?? 'zone'} r={r} zone={session.zoneWide && gridId === null} />)
      )}
    </div>
  );
}
