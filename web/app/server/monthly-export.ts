// GET /api/reports/monthly.xlsx?month&gridId&lang: the monthly grid report (网格月报) and its
// secondary analysis as an Excel workbook, in the reader's language. Who may export what is the
// report's own rule (processes/analytics/routes.ts): zone-wide callers the zone or any grid,
// others their grids only; the figures are the ones the page shows (and share its cache).
import ExcelJS from 'exceljs';
import express from 'express';
import { principalOf, requirePermission } from '../../../engine/rest/access.ts';
import { closedObject, validate } from '../../../engine/rest/validation.ts';
import { cached } from '../../../processes/analytics/cache.ts';
import { monthlyReport, type MonthlyReport } from '../../../processes/analytics/monthly.ts';
import { grids, monthQuery } from '../../../processes/analytics/routes.ts';
import { caseModels } from '../../../processes/cases/model.ts';
import { gridIdQuery } from '../../../processes/org/http.ts';
import { CASE_CATEGORIES } from '../../../processes/org/reference.ts';
import type { FeatureContext } from '../../feature.ts';
import { FINDING_SENTENCES, findingsOf } from '../dashboards/findings.ts';

type Lang = 'zh' | 'en';

const WORDS = {
  zh: {
    title: '网格月报', secondary: '二次分析研判', top: '高频问题', figure: '指标', zone: '全区', grid: (g: string) => `第${g}网格`,
    month: (y: number, m: number) => `${y}年${m}月`, filed: '立件', closed: '办结', openAtEnd: '月末在办', overdueAtEnd: '月末超时',
    compliance: '时限达标率', resolution: '办理用时中位数（工作日）', satisfaction: '满意率', reopen: '重办率',
    categoryTier: '类别 × 层级', categoryGrid: '类别 × 网格', category: '类别', tier: (n: number) => `${n} 级`, total: '合计',
    cases: '件数', tag: '标签', noCases: '本月没有立件。', file: '网格月报', findings: '研判提示',
    sentences: FINDING_SENTENCES.zh,
  },
  en: {
    title: 'Monthly grid report', secondary: 'Secondary analysis', top: 'Most frequent problems', figure: 'Figure', zone: 'Whole zone', grid: (g: string) => `Grid ${g}`,
    month: (y: number, m: number) => new Date(Date.UTC(y, m - 1, 1)).toLocaleString('en', { month: 'long', year: 'numeric', timeZone: 'UTC' }),
    filed: 'Filed', closed: 'Closed', openAtEnd: 'Open at month end', overdueAtEnd: 'Overdue at month end',
    compliance: 'Deadlines met', resolution: 'Resolution time, median (working days)', satisfaction: 'Satisfied', reopen: 'Reopened',
    categoryTier: 'Category × tier', categoryGrid: 'Category × grid', category: 'Category', tier: (n: number) => `Tier ${n}`, total: 'Total',
    cases: 'Cases', tag: 'Tag', noCases: 'No case was filed this month.', file: 'monthly-grid-report', findings: 'Findings',
    sentences: FINDING_SENTENCES.en,
  },
};

const category = (code: string, lang: Lang) => {
  const term = CASE_CATEGORIES.find((c) => c.code === code);
  return term ? (lang === 'zh' ? term.zh : term.en.charAt(0).toUpperCase() + term.en.slice(1)) : code;
};
/** The page's sentences (dashboards/findings.ts), their {placeholders} filled. */
const sentence = (text: string, params: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (m, k: string) => String(params[k] ?? m));
const byGrid = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });
const PERCENT = '0.0%';

function heading(sheet: ExcelJS.Worksheet, text: string, size = 12): void {
  const row = sheet.addRow([text]);
  row.font = { bold: true, size };
}
function header(sheet: ExcelJS.Worksheet, cells: string[]): void {
  const row = sheet.addRow(cells);
  row.font = { bold: true };
  row.eachCell((c) => { c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF5' } }; c.border = { bottom: { style: 'thin' } }; });
}

/** Categories down, `columns` across, with totals; the rows as the page's cross table has them. */
function crossTable(sheet: ExcelJS.Worksheet, r: MonthlyReport, lang: Lang, columns: string[], column: (x: MonthlyReport['byCategoryTierGrid'][number]) => string, head: (c: string) => string): void {
  const w = WORDS[lang];
  const cells = new Map<string, number>();
  const totals = new Map<string, number>();
  for (const x of r.byCategoryTierGrid) {
    cells.set(`${x.category}|${column(x)}`, (cells.get(`${x.category}|${column(x)}`) ?? 0) + x.cases);
    totals.set(x.category, (totals.get(x.category) ?? 0) + x.cases);
  }
  header(sheet, [w.category, ...columns.map(head), w.total]);
  for (const [cat, total] of [...totals].sort((a, b) => b[1] - a[1])) {
    sheet.addRow([category(cat, lang), ...columns.map((c) => cells.get(`${cat}|${c}`) ?? 0), total]);
  }
  const sums = columns.map((c) => [...cells].filter(([k]) => k.endsWith(`|${c}`)).reduce((n, [, v]) => n + v, 0));
  sheet.addRow([w.total, ...sums, r.filed]).font = { bold: true };
}

export async function monthlyWorkbook(reports: MonthlyReport[], month: string, lang: Lang): Promise<ExcelJS.Workbook> {
  const w = WORDS[lang];
  const [y, m] = month.split('-').map(Number) as [number, number];
  const name = (r: MonthlyReport) => (r.gridId === null ? w.zone : w.grid(r.gridId));
  const book = new ExcelJS.Workbook();
  book.creator = 'Gridflow';

  const figures = book.addWorksheet(w.title);
  heading(figures, `${w.title} · ${w.month(y, m)}`, 14);
  header(figures, [w.figure, ...reports.map(name)]);
  const rows: Array<[string, (r: MonthlyReport) => number | null, string?]> = [
    [w.filed, (r) => r.filed], [w.closed, (r) => r.closed], [w.openAtEnd, (r) => r.openAtEnd], [w.overdueAtEnd, (r) => r.overdueAtEnd],
    [w.compliance, (r) => r.compliance.rate, PERCENT], [w.resolution, (r) => r.resolution.p50, '0.0'],
    [w.satisfaction, (r) => r.ratings.satisfactionRate, PERCENT], [w.reopen, (r) => r.reopen.rate, PERCENT],
  ];
  for (const [label, value, format] of rows) {
    const row = figures.addRow([label, ...reports.map((r) => value(r) ?? '—')]);
    if (format) row.eachCell((c, i) => { if (i > 1 && typeof c.value === 'number') c.numFmt = format; });
  }
  figures.addRow([]);
  for (const r of reports) {
    heading(figures, `${name(r)} · ${w.findings}`);
    const found = findingsOf(r).map((f) => sentence(w.sentences[f.key], {
      n: f.n, ...(f.key === 'findingTop' && { category: category(f.category, lang), share: `${Math.round(f.share * 1000) / 10}%` }),
    }));
    for (const line of found.length ? found : [w.sentences.findingNone]) figures.addRow([line]);
  }
  figures.getColumn(1).width = 30;
  for (let i = 2; i <= reports.length + 1; i += 1) figures.getColumn(i).width = 14;

  const secondary = book.addWorksheet(w.secondary);
  const top = book.addWorksheet(w.top);
  for (const r of reports) {
    heading(secondary, `${name(r)} · ${w.categoryTier}`);
    if (r.filed === 0) secondary.addRow([w.noCases]);
    else crossTable(secondary, r, lang, ['1', '2', '3'], (x) => String(x.tier), (c) => w.tier(Number(c)));
    const gridIds = [...new Set(r.byCategoryTierGrid.map((x) => x.gridId))].sort(byGrid);
    if (r.gridId === null && gridIds.length > 1) {
      secondary.addRow([]);
      heading(secondary, `${name(r)} · ${w.categoryGrid}`);
      crossTable(secondary, r, lang, gridIds, (x) => x.gridId, w.grid);
    }
    secondary.addRow([]);

    heading(top, name(r));
    header(top, [w.category, w.cases]);
    for (const x of r.topProblems.categories) top.addRow([category(x.category, lang), x.cases]);
    if (r.topProblems.tags.length > 0) {
      header(top, [w.tag, w.cases]);
      for (const x of r.topProblems.tags) top.addRow([x.tag, x.cases]);
    }
    top.addRow([]);
  }
  secondary.getColumn(1).width = 22;
  top.getColumn(1).width = 30;
  return book;
}

export function monthlyExportRoutes(ctx: FeatureContext): express.Router {
  const router = express.Router();
  const { facts } = caseModels(ctx.connection);
  const db = ctx.connection.name;
  const query = closedObject({ month: monthQuery, gridId: gridIdQuery, lang: { type: 'string', enum: ['zh', 'en'] } }, ['month']);
  router.get('/reports/monthly.xlsx', requirePermission('instances.read'), validate({ query }), async (req, res) => {
    const q = req.query as { month: string; gridId?: string; lang?: Lang };
    const lang = q.lang ?? 'zh';
    const scope = grids(principalOf(res), q.gridId);
    // The same cache keys as GET /api/analytics/monthly: an export right after the page costs no scan.
    const one = (g: string | null) => cached(`${db} monthly ${q.month} ${g ?? ''}`, ctx.now(), () => monthlyReport(facts, q.month, g));
    const reports = scope === null ? [await one(null)] : await Promise.all(scope.map(one));
    const book = await monthlyWorkbook(reports, q.month, lang);
    const file = `${WORDS[lang].file}-${q.month}${q.gridId ? `-${q.gridId}` : ''}.xlsx`;
    res.setHeader('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('content-disposition', `attachment; filename="${file.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file)}`);
    res.setHeader('cache-control', 'no-store');
    res.send(Buffer.from(await book.xlsx.writeBuffer()));
  });
  return router;
}
