// Org data import (administrators, `org.manage`): cadres or enterprises from CSV or Excel through
// POST /api/org/import/{kind}; a check first (dryRun) shows every rejected row with its field and
// reason, then the import writes the accepted rows.
import { useState } from 'preact/hooks';
import { formatNumber, useLocale } from '../../core/i18n.ts';
import type { PageProps } from '../../page.ts';
import { ApiError } from '../../core/api.ts';
import { Badge, Button, Card, PageHeader, errorText } from '../../ui/components.tsx';
import { send } from '../deployments.ts';
import { FIELDS, fileReasonOf, reasonOf, t, type Rejection } from './messages.ts';
import '../admin.css';

type Kind = 'cadres' | 'enterprises';
interface Report { kind: Kind; rows: number; accepted: number; created: number; updated: number; rejected: Rejection[]; dryRun: boolean }

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MAX_BYTES = 5 * 1024 * 1024;

const typeOf = (f: File) => (/\.xlsx$/i.test(f.name) ? XLSX : /\.(csv|txt)$/i.test(f.name) ? 'text/csv' : f.type || 'application/octet-stream');

export default function OrgImportPage(_props: PageProps) {
  useLocale();
  const [kind, setKind] = useState<Kind>('cadres');
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  // Worded when shown, so that a language switch words it anew.
  const [error, setError] = useState<(() => string) | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (dryRun: boolean) => {
    if (!file) return;
    if (file.size > MAX_BYTES) { setError(() => () => t('tooLarge')); return; }
    if (file.size === 0) { setError(() => () => t('empty')); return; }
    setBusy(true);
    setError(null);
    try {
      setReport(await send<Report>(`/api/org/import/${kind}?dryRun=${dryRun}`, file, typeOf(file)));
    } catch (err) {
      // 415: a file the server does not read at all (an old .xls workbook, another format).
      setError(() => () => (err instanceof ApiError ? (err.status === 415 ? t('notReadable') : fileReasonOf(kind, err.problem.details)) : null) ?? errorText(err));
      setReport(null);
    } finally {
      setBusy(false);
    }
  };

  const fieldLabel = (f: string) => FIELDS[kind][f] ?? f;
  return (
    <div class="gf-admin">
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      <Card title={t('file')}>
        <div class="stack">
          <div class="row" role="radiogroup" aria-label={t('kind')}>
            {(['cadres', 'enterprises'] as Kind[]).map((k) => (
              <label key={k} class="checkbox">
                <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => { setKind(k); setReport(null); }} />
                {t(k)}
              </label>
            ))}
          </div>
          <div class="field">
            <label for="org-file">{t('chooseFile')}</label>
            <input id="org-file" type="file" data-testid="org-file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(e) => { setFile((e.target as HTMLInputElement).files?.[0] ?? null); setReport(null); setError(null); }} />
            <span class="gf-field-help">{t('columnsHelp', { columns: Object.values(FIELDS[kind]).join('、') })}</span>
          </div>
          <div class="row">
            <Button data-testid="org-check" disabled={!file} busy={busy} onClick={() => void run(true)}>{t('check')}</Button>
            <Button variant="primary" data-testid="org-import" disabled={!file} busy={busy} onClick={() => void run(false)}>{t('import')}</Button>
          </div>
          {error && <div class="alert alert-error" role="alert" data-testid="org-error">{error()}</div>}
        </div>
      </Card>
      {report && (
        <Card title={report.dryRun ? t('checkReport') : t('importReport')}>
          <div class="stack" data-testid="org-report">
            <p class="row">
              <Badge>{t('rows', { n: formatNumber(report.rows) })}</Badge>
              <Badge tone="success">{t('accepted', { n: formatNumber(report.accepted) })}</Badge>
              {!report.dryRun && <Badge tone="info">{t('created', { n: formatNumber(report.created) })}</Badge>}
              {!report.dryRun && <Badge tone="info">{t('updated', { n: formatNumber(report.updated) })}</Badge>}
              <Badge tone={report.rejected.length ? 'danger' : 'success'}>{t('rejected', { n: formatNumber(report.rejected.length) })}</Badge>
            </p>
            <div class={`alert ${report.rejected.length ? 'alert-warning' : 'alert-success'}`} role="status">
              {report.dryRun
                ? (report.rejected.length ? t('dryRunWithRejects') : t('dryRunClean'))
                : (report.rejected.length ? t('importedWithRejects') : t('importedClean'))}
            </div>
            {report.rejected.length > 0 && (
              <div class="table-wrap">
                <table class="table" data-testid="rejections">
                  <thead><tr><th class="gf-num">{t('row')}</th><th>{t('field')}</th><th>{t('reason')}</th></tr></thead>
                  <tbody>
                    {report.rejected.map((r, i) => (
                      <tr key={i} class="gf-row-error">
                        <td class="gf-num">{r.row}</td>
                        <td>{fieldLabel(r.field)} <code>{r.field}</code></td>
                        <td data-code={r.code}>{reasonOf(report.kind, r)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        </Card>
      )}
    </div>
  );
}
