// How the zone's codes are shown (the same terms as processes/org/reference.ts and the case model).
import { getLocale } from '../core/i18n.ts';

type Terms = Record<string, { zh: string; en: string }>;

export const CATEGORIES: Terms = {
  policy: { zh: '政策咨询', en: 'Policy question' },
  land: { zh: '土地规划', en: 'Land and planning' },
  safety: { zh: '安全生产', en: 'Work safety' },
  environment: { zh: '生态环保', en: 'Environment' },
  tax: { zh: '税务', en: 'Tax' },
  statistics: { zh: '统计入库', en: 'Statistics enrolment' },
  approval: { zh: '审批验收', en: 'Approvals and acceptance' },
  technology: { zh: '技术难题', en: 'Technology problem' },
  labour: { zh: '人才用工', en: 'Talent and labour' },
  other: { zh: '其他', en: 'Other' },
};

export const STATUSES: Terms = {
  filed: { zh: '已立件', en: 'Filed' },
  accepted: { zh: '已受理', en: 'Accepted' },
  handled: { zh: '已办理', en: 'Handled' },
  escalated: { zh: '已上报', en: 'Escalated' },
  returned: { zh: '已退回', en: 'Returned' },
  resolved: { zh: '已解决', en: 'Resolved' },
  whistled: { zh: '已吹哨', en: 'Whistled' },
  reviewed: { zh: '已复核', en: 'Reviewed' },
  rated: { zh: '已评价', en: 'Rated' },
  reopened: { zh: '已重办', en: 'Reopened' },
  closed: { zh: '已办结', en: 'Closed' },
};

export const TIERS: Terms = {
  1: { zh: '一级（网格）', en: 'Tier 1 (grid)' },
  2: { zh: '二级（经开区）', en: 'Tier 2 (zone)' },
  3: { zh: '三级（区级部门）', en: 'Tier 3 (district)' },
};

export const RATINGS: Terms = {
  satisfied: { zh: '满意', en: 'Satisfied' },
  fair: { zh: '基本满意', en: 'Fairly satisfied' },
  dissatisfied: { zh: '不满意', en: 'Dissatisfied' },
};

export const label = (terms: Terms, code: string | number): string => terms[String(code)]?.[getLocale()] ?? String(code);
export const gridName = (id: string): string => (getLocale() === 'zh' ? `第${id}网格` : `Grid ${id}`);
