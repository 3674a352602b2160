// A case (诉求件): its record and timeline from the zone's case service (GET /api/cases/{number}),
// and its process instance beneath.
import './instance.css';
import { api, ApiError } from '../../core/api.ts';
import { formatDateTime } from '../../core/i18n.ts';
import type { PageProps } from '../../page.ts';
import { Badge, Card, ErrorMessage, Loading, PageHeader } from '../../ui/components.tsx';
import { categoryName, gridName, ratingName, urgencyName } from '../../ui/names.ts';
import { useLoad } from '../../ui/use-load.ts';
import { InstanceView } from './instance-view.tsx';
import { t, type Key } from './messages.ts';

interface TimelineEntry { at: string; by?: string | null; event: string; tier?: number; reason?: string | null; comment?: string | null; rating?: string | null; handler?: string | null }
interface CaseRecord {
  number?: string; caseNumber?: string; _id?: string;
  title?: string; description?: string;
  enterprise?: { uscc?: string; name?: string } | string;
  gridId?: string | number; category?: string; categoryLabel?: string; urgency?: string; urgencyLabel?: string;
  tier?: number; status?: string; statusLabel?: string; handler?: string | null; filedBy?: string | null; filedAt?: string;
  deadline?: string | null; overdue?: boolean; rating?: string | null;
  processInstanceKey?: string | null; processInstanceKeys?: string[];
  timeline?: TimelineEntry[];
}

const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

export default function CasePage({ params }: PageProps) {
  const number = params.number!;
  const loaded = useLoad((signal) => api.get<CaseRecord>(`/api/cases/${encodeURIComponent(number)}`, { signal }), [number]);
  if (loaded.error !== undefined) {
    if (loaded.error instanceof ApiError && loaded.error.status === 404 && loaded.error.code === 'NOT_FOUND' && /no route|not found: \/api/i.test(loaded.error.message)) {
      return <div class="alert alert-info">{t('caseUnavailable')}</div>;
    }
    return <ErrorMessage error={loaded.error} onRetry={loaded.reload} />;
  }
  if (!loaded.data) return <Loading />;
  const c = loaded.data;
  const enterprise = typeof c.enterprise === 'string' ? c.enterprise : [c.enterprise?.name, c.enterprise?.uscc].filter(Boolean).join(' · ');
  const instanceKey = c.processInstanceKey ?? c.processInstanceKeys?.[c.processInstanceKeys.length - 1];
  const timeline = [...(c.timeline ?? [])].reverse();

  return (
    <div class="stack case-page" data-case={number}>
      <PageHeader title={c.title || t('caseTitle', { number })} subtitle={<span class="row"><span class="mono">{number}</span>
        {c.status && <Badge tone={c.status === 'closed' || c.status === 'resolved' ? 'success' : c.status === 'escalated' || c.status === 'whistled' ? 'warning' : 'info'}>{t(`st_${c.status}` as Key)}</Badge>}
        {c.overdue && <Badge tone="danger">{t('overdue')}</Badge>}</span>} />
      <div class="case-head">
        <Card title={t('caseDetails')}>
          <dl class="dl">
            {enterprise && <><dt>{t('enterprise')}</dt><dd>{enterprise}</dd></>}
            {c.gridId !== undefined && <><dt>{t('grid')}</dt><dd>{gridName(text(c.gridId))}</dd></>}
            {c.category && <><dt>{t('category')}</dt><dd>{categoryName(c.category)}</dd></>}
            {c.urgency && <><dt>{t('urgency')}</dt><dd>{urgencyName(c.urgency)}</dd></>}
            {c.tier !== undefined && <><dt>{t('tier')}</dt><dd>{t('tierN', { n: c.tier })}</dd></>}
            {c.deadline && <><dt>{t('deadline')}</dt><dd class="row">{formatDateTime(c.deadline)}{c.overdue && <Badge tone="danger">{t('overdue')}</Badge>}</dd></>}
            {c.rating && <><dt>{t('ratingTitle')}</dt><dd>{ratingName(c.rating)}</dd></>}
            {c.handler && <><dt>{t('handler')}</dt><dd>{c.handler}</dd></>}
            {c.filedBy && <><dt>{t('filedBy')}</dt><dd>{c.filedBy}</dd></>}
            {c.filedAt && <><dt>{t('filedAt')}</dt><dd>{formatDateTime(c.filedAt)}</dd></>}
            {c.description && <><dt>{t('description')}</dt><dd class="pre">{c.description}</dd></>}
          </dl>
        </Card>
        <Card title={t('caseTimeline')}>
          <ol class="timeline">
            {timeline.map((e, i) => (
              <li key={i} class={`tl-${e.event}`}>
                <span class="tl-dot" aria-hidden="true" />
                <div>
                  <div><strong>{t(`ce_${e.event}` as Key)}</strong>{e.tier !== undefined && <span class="muted small"> · {t('tierN', { n: e.tier })}</span>}</div>
                  {(e.reason || e.comment) && <div class="small">{e.reason ? t('reason', { text: e.reason }) : e.comment}</div>}
                  {e.rating && <div class="small">{t('rating', { text: ratingName(e.rating) })}</div>}
                  <div class="small muted">{formatDateTime(e.at)}{e.by ? ` · ${t('by', { name: e.by })}` : ''}</div>
                </div>
              </li>
            ))}
          </ol>
        </Card>
      </div>
      {instanceKey ? <InstanceView instanceKey={instanceKey} headless /> : <div class="alert alert-info">{t('noInstance')}</div>}
    </div>
  );
}
