// Due and overdue in working days (computed on the server with the Chinese calendar).
import { defineMessages, formatDateTime } from '../core/i18n.ts';
import { Badge } from './components.tsx';

export interface DueInfo { due: string; workingDaysLeft: number | null; overdue: boolean }

const t = defineMessages({
  zh: { overdue: '已逾期 {n} 个工作日', overdueToday: '已逾期', today: '今日到期', left: '剩 {n} 个工作日', due: '到期 {date}' },
  en: { overdue: 'Overdue by {n} working days', overdueToday: 'Overdue', today: 'Due today', left: '{n} working days left', due: 'Due {date}' },
});

export function DueBadge({ info }: { info: DueInfo | null | undefined }) {
  if (!info) return null;
  const n = info.workingDaysLeft;
  const title = t('due', { date: formatDateTime(info.due) });
  if (info.overdue) {
    return <Badge tone="danger" title={title}>{n !== null && n < 0 ? t('overdue', { n: -n }) : t('overdueToday')}</Badge>;
  }
  if (n === null) return <Badge title={title}>{title}</Badge>;
  if (n === 0) return <Badge tone="warning" title={title}>{t('today')}</Badge>;
  return <Badge tone={n <= 1 ? 'warning' : 'neutral'} title={title}>{t('left', { n })}</Badge>;
}
