// The working-day calendar (administrators, `org.manage`): every year with where its days come from
// (built in, entered, provisional), a banner for each year counted provisionally, and the editor of a
// year the built-in data does not cover. Everything goes through /api/calendar, which checks,
// versions and audits it.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../../core/api.ts';
import { formatDateTime, formatNumber, useLocale } from '../../core/i18n.ts';
import type { PageProps } from '../../page.ts';
import { Badge, Button, Card, ErrorMessage, Loading, PageHeader, errorText, type Tone } from '../../ui/components.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { t } from './messages.ts';
import '../admin.css';

type Source = 'library' | 'supplement' | 'provisional';
interface Day { date: string; name: string }
interface Notice { title: string; number: string | null }
interface Common { year: number; source: Source; version: number; readOnly: boolean; notice: Notice | null; enteredBy: string | null; enteredAt: string | null }
interface Summary extends Common { holidays: number; workdays: number }
interface Detail extends Common { holidays: Day[]; workdays: Day[] }
interface Listing { items: Summary[]; library: string; provisional: number[] }

/** The server's refusals of a year's days in the page's language: the code, the row and the date. */
function refusalText(err: unknown): string {
  if (!(err instanceof ApiError) || !err.code || !(`code_${err.code}` in CODE_KEYS)) return errorText(err);
  const detail = err.problem.detail ?? '';
  const at = /body\/(holidays|workdays)\/(\d+)/.exec(detail);
  const row = at ? t('row', { list: t(at[1] as 'holidays' | 'workdays'), n: Number(at[2]) + 1 }) : '';
  return `${row}${t(`code_${err.code}` as keyof typeof CODE_KEYS, { date: /\d{4}-\d{2}-\d{2}/.exec(detail)?.[0] ?? '' })}`;
}
const CODE_KEYS = { code_INVALID_DATE: 1, code_DATE_OUTSIDE_YEAR: 1, code_NAME_REQUIRED: 1, code_DUPLICATE_DATE: 1, code_DAY_BOTH_HOLIDAY_AND_WORKDAY: 1, code_WORKDAY_NOT_WEEKEND: 1, code_VERSION_CONFLICT: 1 };

const TONES: Record<Source, Tone> = { library: 'neutral', supplement: 'success', provisional: 'warning' };

function SourceBadge({ source, library }: { source: Source; library: string }) {
  return <Badge tone={TONES[source]}>{t(source, { library })}</Badge>;
}

function DayRows({ kind, rows, onChange }: { kind: 'holidays' | 'workdays'; rows: Day[]; onChange: (rows: Day[]) => void }) {
  const set = (i: number, patch: Partial<Day>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset class="stack" style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }} data-testid={`calendar-${kind}`}>
      <legend class="label">{t(kind)}</legend>
      {rows.length === 0 && kind === 'workdays' && <span class="gf-field-help">{t('noWorkdays')}</span>}
      {rows.map((r, i) => (
        <div class="row" key={i} style={{ flexWrap: 'nowrap' }}>
          <input class="input" type="date" style={{ width: '11rem', flex: 'none' }} aria-label={`${t(kind)} ${i + 1} ${t('date')}`} value={r.date} onInput={(e) => set(i, { date: (e.target as HTMLInputElement).value })} />
          <input class="input" style={{ flex: 1, minWidth: 0 }} aria-label={`${t(kind)} ${i + 1} ${t('name')}`} placeholder={t('namePlaceholder')} maxLength={40} value={r.name} onInput={(e) => set(i, { name: (e.target as HTMLInputElement).value })} />
          <Button size="sm" variant="ghost" onClick={() => onChange(rows.filter((_, j) => j !== i))}>{t('remove')}</Button>
        </div>
      ))}
      <div class="row"><Button size="sm" data-testid={`add-${kind}`} onClick={() => onChange([...rows, { date: '', name: '' }])}>{t(kind === 'holidays' ? 'addHoliday' : 'addWorkday')}</Button></div>
    </fieldset>
  );
}

function ReadOnlyYear({ detail, library }: { detail: Detail; library: string }) {
  const list = (days: Day[]) => <ul class="gf-list">{days.map((d) => <li key={d.date}><code>{d.date}</code>{d.name}</li>)}</ul>;
  return (
    <div class="stack">
      <div class="alert alert-info" role="status">{t('readOnly', { year: detail.year, library })}</div>
      <div class="gf-two-col">
        <div><h3 class="label">{t('holidays')}</h3>{list(detail.holidays)}</div>
        <div><h3 class="label">{t('workdays')}</h3>{list(detail.workdays)}</div>
      </div>
    </div>
  );
}

/** A message kept as its key, so it follows the language switch. */
type Said = Parameters<typeof t> | null;
const dayCount = (n: number) => t(n === 1 ? 'oneDay' : 'days', { n: formatNumber(n) });

function YearEditor({ detail, onDone }: { detail: Detail; onDone: (message: Said) => void }) {
  const { year } = detail;
  const [holidays, setHolidays] = useState<Day[]>(detail.holidays);
  const [workdays, setWorkdays] = useState<Day[]>(detail.workdays);
  const [title, setTitle] = useState(detail.notice?.title ?? t('noticeTitlePlaceholder', { year }));
  const [number, setNumber] = useState(detail.notice?.number ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (fn: () => Promise<Said>) => {
    setBusy(true);
    setError(null);
    try { onDone(await fn()); } catch (err) { setError(err); } finally { setBusy(false); }
  };
  const save = () => run(async () => {
    const saved = await api.put<Detail>(`/api/calendar/years/${year}`, { version: detail.version, holidays, workdays, notice: { title, number: number.trim() || null } });
    return ['saved', { year, version: saved.version }];
  });
  const remove = () => {
    if (!window.confirm(t('deleteConfirm', { year }))) return;
    void run(async () => { await api.delete(`/api/calendar/years/${year}?version=${detail.version}`); return ['deleted', { year }]; });
  };
  return (
    <form class="stack" data-testid="calendar-editor" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      {detail.source === 'provisional' && <span class="gf-field-help">{t('prefilled')}</span>}
      <div class="gf-form-grid">
        <div class="field"><label for="notice-title">{t('noticeTitle')}</label><input id="notice-title" class="input" required maxLength={200} value={title} onInput={(e) => setTitle((e.target as HTMLInputElement).value)} /></div>
        <div class="field"><label for="notice-number">{t('noticeNumber')}</label><input id="notice-number" class="input" maxLength={100} value={number} onInput={(e) => setNumber((e.target as HTMLInputElement).value)} /></div>
      </div>
      <div class="gf-two-col">
        <DayRows kind="holidays" rows={holidays} onChange={setHolidays} />
        <DayRows kind="workdays" rows={workdays} onChange={setWorkdays} />
      </div>
      {error !== null && <div class="alert alert-error" role="alert">{refusalText(error)}</div>}
      <div class="row">
        <Button type="submit" variant="primary" busy={busy} data-testid="calendar-save">{t('save')}</Button>
        <Button onClick={() => onDone(null)}>{t('cancel')}</Button>
        <span class="grow" />
        {detail.source === 'supplement' && <Button variant="danger" busy={busy} onClick={remove}>{t('delete')}</Button>}
      </div>
    </form>
  );
}

function YearCard({ year, library, onDone }: { year: number; library: string; onDone: (message: Said) => void }) {
  const detail = useLoad((signal) => api.get<Detail>(`/api/calendar/years/${year}`, { signal }), [year]);
  return (
    <Card title={<>{t('editing', { year })} {detail.data && <SourceBadge source={detail.data.source} library={library} />}</>}>
      {detail.error ? <ErrorMessage error={detail.error} onRetry={detail.reload} />
        : !detail.data ? <Loading />
        : detail.data.readOnly ? <><ReadOnlyYear detail={detail.data} library={library} /><div class="row"><Button onClick={() => onDone(null)}>{t('cancel')}</Button></div></>
        : <YearEditor detail={detail.data} onDone={onDone} />}
    </Card>
  );
}

export default function CalendarPage(_props: PageProps) {
  useLocale();
  const [open, setOpen] = useState<number | null>(null);
  const [message, setMessage] = useState<Said>(null);
  const years = useLoad((signal) => api.get<Listing>('/api/calendar/years', { signal }), []);
  if (years.error) return <ErrorMessage error={years.error} onRetry={years.reload} />;
  if (!years.data) return <Loading />;
  const { items, library, provisional } = years.data;
  const last = Math.max(...items.filter((i) => i.source === 'library').map((i) => i.year));
  const show = (year: number) => { setOpen(year); setMessage(null); };
  return (
    <div class="gf-admin">
      <PageHeader title={t('title')} subtitle={t('subtitle', { last })} />
      {provisional.map((year) => (
        <div key={year} class="alert alert-warning row" role="status" data-testid="provisional-banner">
          <span class="grow"><strong>{t('provisionalBanner', { year })}</strong><br /><span class="small">{t('provisionalHelp')}</span></span>
          <Button size="sm" variant="primary" onClick={() => show(year)}>{t('enterYear', { year })}</Button>
        </div>
      ))}
      {message && <div class="alert alert-success" role="status" data-testid="calendar-message">{t(...message)}</div>}
      {open !== null && <YearCard key={open} year={open} library={library} onDone={(m) => { setOpen(null); setMessage(m); years.reload(); }} />}
      <div class="card"><div class="table-wrap">
        <table class="table" data-testid="calendar-years">
          <thead><tr><th>{t('year')}</th><th>{t('source')}</th><th class="gf-num">{t('holidays')}</th><th class="gf-num">{t('workdays')}</th><th>{t('notice')}</th><th>{t('entered')}</th><th><span class="visually-hidden">{t('actions')}</span></th></tr></thead>
          <tbody>
            {items.map((y) => (
              <tr key={y.year} data-year={y.year} data-source={y.source}>
                <td><strong>{y.year}</strong></td>
                <td><SourceBadge source={y.source} library={library} /></td>
                <td class="gf-num">{dayCount(y.holidays)}</td>
                <td class="gf-num">{dayCount(y.workdays)}</td>
                <td class="small">{y.notice ? <>{y.notice.title}{y.notice.number && <span class="muted">（{y.notice.number}）</span>}</> : '—'}</td>
                <td class="small muted">{y.enteredBy ? t('by', { who: y.enteredBy, at: formatDateTime(y.enteredAt) }) : '—'}</td>
                <td><Button size="sm" variant="ghost" onClick={() => show(y.year)}>{y.readOnly ? t('view') : y.source === 'provisional' ? t('enterYear', { year: y.year }) : t('edit')}</Button></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div></div>
    </div>
  );
}
