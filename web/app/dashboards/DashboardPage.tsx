// The dashboard (committee: the zone; grid leaders: their grid): cases by status, tier, category
// and grid, deadline compliance, resolution time and ratings for a period.
import { useMemo } from 'preact/hooks';
import { formatNumber, useLocale } from '../core/i18n.ts';
import { setQuery } from '../core/router.ts';
import { useSession } from '../core/session.ts';
import type { PageProps } from '../page.ts';
import { Card, ErrorMessage, Loading, PageHeader } from '../ui/components.tsx';
import { useLoad } from '../ui/use-load.ts';
import { Chart, type ChartOption } from './chart.tsx';
import { loadGrids, loadStatusCounts, loadSummary, periodRange, tally, type GridInfo, type Period, type Summary } from './data.ts';
import { CATEGORIES, RATINGS, STATUSES, TIERS, gridName, label } from './labels.ts';
import { t } from './messages.ts';
import './dashboards.css';

const PERIODS: Period[] = ['month', 'quarter', 'year', 'all'];
const percent = (r: number | null) => (r === null ? t('none') : formatNumber(r, { style: 'percent', maximumFractionDigits: 1 }));
const days = (n: number | null) => (n === null ? t('none') : t('workingDays', { n: formatNumber(n, { maximumFractionDigits: 1 }) }));

function Kpi({ title, value, detail, tone }: { title: string; value: string; detail?: string; tone?: 'danger' | 'success' }) {
  return (
    <div class={`gf-kpi${tone ? ` gf-kpi-${tone}` : ''}`}>
      <div class="gf-kpi-title">{title}</div>
      <div class="gf-kpi-value">{value}</div>
      {detail && <div class="gf-kpi-detail">{detail}</div>}
    </div>
  );
}

const bar = (names: string[], values: number[], horizontal = false): ChartOption => ({
  tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
  grid: { left: horizontal ? 8 : 8, right: 16, top: 16, bottom: 8, containLabel: true },
  [horizontal ? 'yAxis' : 'xAxis']: { type: 'category', data: names, axisLabel: { interval: 0, ...(horizontal ? {} : { rotate: names.length > 6 ? 30 : 0 }) }, ...(horizontal ? { inverse: true } : {}) },
  [horizontal ? 'xAxis' : 'yAxis']: { type: 'value', minInterval: 1 },
  series: [{ type: 'bar', data: values, barMaxWidth: 28, label: { show: true, position: horizontal ? 'right' : 'top' } }],
});

const pie = (items: Array<{ name: string; value: number }>, colors?: string[]): ChartOption => ({
  tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
  legend: { bottom: 0, type: 'scroll' },
  ...(colors ? { color: colors } : {}),
  series: [{ type: 'pie', radius: ['40%', '66%'], center: ['50%', '45%'], data: items, label: { formatter: '{c}' }, avoidLabelOverlap: true }],
});

function charts(s: Summary, byStatus: Record<string, number>, zoneView: boolean) {
  const tiers = tally(s.byCategoryTierGrid, (r) => String(r.tier), (r) => r.cases);
  const categories = [...tally(s.byCategoryTierGrid, (r) => r.category, (r) => r.cases)].sort((a, b) => b[1] - a[1]);
  const grids = [...new Set(s.byCategoryTierGrid.map((r) => r.gridId))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const months = [...new Set(s.byMonthGrid.map((r) => r.month))].sort();
  const statuses = Object.keys(STATUSES).filter((k) => (byStatus[k] ?? 0) > 0);
  return {
    status: bar(statuses.map((k) => label(STATUSES, k)), statuses.map((k) => byStatus[k] ?? 0)),
    tier: pie(['1', '2', '3'].map((k) => ({ name: label(TIERS, k), value: tiers.get(k) ?? 0 })), ['#174a7c', '#e0a526', '#b5473a']),
    category: bar(categories.map(([k]) => label(CATEGORIES, k)), categories.map(([, n]) => n), true),
    grid: zoneView ? {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, top: 16, bottom: 36, containLabel: true },
      xAxis: { type: 'category', data: grids.map(gridName), axisLabel: { interval: 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      color: ['#174a7c', '#e0a526', '#b5473a'],
      series: ['1', '2', '3'].map((tier) => ({
        type: 'bar', stack: 'tier', name: label(TIERS, tier), barMaxWidth: 36,
        data: grids.map((g) => s.byCategoryTierGrid.filter((r) => r.gridId === g && String(r.tier) === tier).reduce((n, r) => n + r.cases, 0)),
      })),
    } satisfies ChartOption : null,
    trend: {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, top: 16, bottom: 36, containLabel: true },
      xAxis: { type: 'category', data: months, boundaryGap: false },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'line', name: t('filed'), data: months.map((m) => s.byMonthGrid.filter((r) => r.month === m).reduce((n, r) => n + r.filed, 0)) },
        { type: 'line', name: t('closed'), data: months.map((m) => s.byMonthGrid.filter((r) => r.month === m).reduce((n, r) => n + r.closed, 0)) },
      ],
    } satisfies ChartOption,
    ratings: pie([
      { name: label(RATINGS, 'satisfied'), value: s.ratings.satisfied },
      { name: label(RATINGS, 'fair'), value: s.ratings.fair },
      { name: label(RATINGS, 'dissatisfied'), value: s.ratings.dissatisfied },
    ], ['#2f8f6b', '#e0a526', '#b5473a']),
    compliance: pie([
      { name: t('met'), value: s.compliance.met },
      { name: t('missed'), value: s.compliance.withDeadline - s.compliance.met },
    ], ['#2f8f6b', '#b5473a']),
  };
}

export default function DashboardPage({ query }: PageProps) {
  const locale = useLocale();
  const session = useSession();
  const period = (PERIODS as string[]).includes(query.get('period') ?? '') ? query.get('period') as Period : 'year';
  const own = session.grids;
  const requested = query.get('grid');
  const gridId = session.zoneWide ? (requested || null) : (requested && own.includes(requested) ? requested : own.length === 1 ? own[0]! : null);
  const range = periodRange(period);
  const grids = useLoad((signal) => (session.zoneWide ? loadGrids(signal) : Promise.resolve(own.map((id): GridInfo => ({ id })))), [session.zoneWide]);
  const data = useLoad(async (signal) => {
    const [summary, counts] = await Promise.all([loadSummary(range, gridId, signal), loadStatusCounts(range, gridId, signal)]);
    return { summary, counts };
  }, [period, gridId]);
  const options = useMemo(() => (data.data ? charts(data.data.summary, data.data.counts.byStatus, session.zoneWide && gridId === null) : null), [data.data, locale, gridId]);

  const gridChoices = grids.data ?? [];
  return (
    <div class="gf-dashboard" data-testid="dashboard">
      <PageHeader title={t('title')} subtitle={session.zoneWide && gridId === null ? t('subtitleZone') : t('subtitleGrid')} />
      <div class="gf-dash-filters row" role="group" aria-label={t('period')}>
        <div class="gf-segmented" role="radiogroup" aria-label={t('period')}>
          {PERIODS.map((p) => (
            <button key={p} type="button" role="radio" aria-checked={p === period} onClick={() => setQuery({ period: p === 'year' ? null : p })}>{t(p)}</button>
          ))}
        </div>
        {(session.zoneWide || own.length > 1) && (
          <label class="gf-inline-field">
            <span>{t('grid')}</span>
            <select class="select" data-testid="grid-select" value={gridId ?? ''} onChange={(e) => setQuery({ grid: (e.target as HTMLSelectElement).value || null })}>
              {(session.zoneWide || own.length > 1) && <option value="">{session.zoneWide ? t('allGrids') : own.map(gridName).join('、')}</option>}
              {gridChoices.map((g) => <option key={g.id} value={g.id}>{locale === 'zh' && g.name ? g.name : gridName(g.id)}</option>)}
            </select>
          </label>
        )}
      </div>
      {data.error ? <ErrorMessage error={data.error} onRetry={data.reload} /> : !data.data || !options ? <Loading /> : (
        <>
          <div class="gf-kpis" data-testid="kpis">
            <Kpi title={t('filed')} value={formatNumber(data.data.summary.filed)} />
            <Kpi title={t('closed')} value={formatNumber(data.data.summary.closed)} />
            <Kpi title={t('compliance')} value={percent(data.data.summary.compliance.rate)} detail={t('complianceDetail', { met: formatNumber(data.data.summary.compliance.met), total: formatNumber(data.data.summary.compliance.withDeadline) })} />
            <Kpi title={t('resolution')} value={days(data.data.summary.resolution.p50)} detail={t('resolutionDetail', { p90: data.data.summary.resolution.p90 === null ? t('none') : formatNumber(data.data.summary.resolution.p90), avg: days(data.data.summary.resolution.average) })} />
            <Kpi title={t('satisfaction')} value={percent(data.data.summary.ratings.satisfactionRate)} detail={t('satisfactionDetail', { rated: formatNumber(data.data.summary.ratings.rated) })} tone="success" />
            <Kpi title={t('reopen')} value={percent(data.data.summary.reopen.rate)} detail={t('reopenDetail', { n: formatNumber(data.data.summary.reopen.reopenedCases) })} />
            <Kpi title={t('overdueOpen')} value={formatNumber(data.data.counts.overdue)} detail={t('overdueDetail')} tone={data.data.counts.overdue > 0 ? 'danger' : undefined} />
          </div>
          {data.data.summary.filed === 0 && data.data.summary.closed === 0 ? <div class="empty">{t('noData')}</div> : (
            <div class="gf-chart-grid">
              <Card title={t('byStatus')}><Chart option={options.status} label={t('byStatus')} testId="chart-status" /></Card>
              <Card title={t('byTier')}><Chart option={options.tier} label={t('byTier')} testId="chart-tier" /></Card>
              <Card title={t('byCategory')}><Chart option={options.category} label={t('byCategory')} testId="chart-category" height={340} /></Card>
              {options.grid && <Card title={t('byGrid')}><Chart option={options.grid} label={t('byGrid')} testId="chart-grid" height={340} /></Card>}
              <Card title={t('trend')}><Chart option={options.trend} label={t('trend')} testId="chart-trend" /></Card>
              <Card title={t('deadline')}><Chart option={options.compliance} label={t('deadline')} testId="chart-compliance" /></Card>
              <Card title={t('ratings')}><Chart option={options.ratings} label={t('ratings')} testId="chart-ratings" /></Card>
            </div>
          )}
        </>
      )}
    </div>
  );
}
