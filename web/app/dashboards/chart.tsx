// Apache ECharts, only the charts and components the dashboards draw (echarts/core), as a Preact
// component: one chart per element, resized with its box, redrawn when its option changes, in the
// user's language.
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { AriaComponent, DatasetComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'preact/hooks';
import { useLocale } from '../core/i18n.ts';

echarts.use([BarChart, LineChart, PieChart, GridComponent, TooltipComponent, LegendComponent, DatasetComponent, AriaComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/** The app's palette for series: government blue first, then calm distinct hues. */
export const PALETTE = ['#174a7c', '#e0a526', '#2f8f6b', '#b5473a', '#6b5ca5', '#3a8fb7', '#8a6d3b', '#7b8794', '#c0687a', '#4f7f3a'];

const FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", system-ui, sans-serif';

export function Chart({ option, height = 300, label, testId }: { option: ChartOption; height?: number; label: string; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const locale = useLocale();

  useEffect(() => {
    const c = echarts.init(ref.current!, undefined, { renderer: 'canvas', locale: locale === 'zh' ? 'ZH' : 'EN' });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(ref.current!);
    return () => { observer.disconnect(); c.dispose(); chart.current = null; };
  }, [locale]);

  useEffect(() => {
    chart.current?.setOption({
      color: PALETTE,
      textStyle: { fontFamily: FONT },
      aria: { enabled: true, label: { description: label } },
      animationDuration: 300,
      ...option,
    }, { notMerge: true });
  }, [option, locale]);

  return <div ref={ref} class="gf-chart" style={{ height: `${height}px` }} role="img" aria-label={label} data-testid={testId} />;
}
