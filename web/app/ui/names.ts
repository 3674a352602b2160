// How the zone's group and grid names read on screen.
import { pick } from '../core/i18n.ts';
import { CASE_CATEGORIES, RATINGS, URGENCIES, type Term } from '../../../processes/org/reference.ts';

const GROUPS: Record<string, { zh: string; en: string }> = {
  'zone-center': { zh: '经开区企业服务中心', en: 'Zone service centre' },
  district: { zh: '区领导', en: 'District leadership' },
  committee: { zh: '党工委 / 管委会', en: 'Committee' },
  mentors: { zh: '导师帮带团', en: 'Mentors' },
  panel: { zh: '专家组', en: 'Expert panel' },
  'org-office': { zh: '组织办', en: 'Organisation office' },
  'dept-market': { zh: '市场监督管理局', en: 'Market supervision' },
  'dept-stats': { zh: '统计局', en: 'Statistics' },
  'dept-eco': { zh: '生态环境局', en: 'Environment' },
  'dept-safety': { zh: '应急管理局', en: 'Work safety' },
  'dept-planning': { zh: '规划资源局', en: 'Planning and land' },
  'dept-tax': { zh: '税务局', en: 'Tax' },
  'dept-labour': { zh: '人社局', en: 'Labour' },
  'dept-urban': { zh: '城管局', en: 'Urban management' },
};

export function gridName(id: string | number): string {
  return pick({ zh: `第${id}网格`, en: `Grid ${id}` });
}

export function groupName(group: string): string {
  const grid = /^grid-(.+)$/.exec(group);
  if (grid) return gridName(grid[1]!);
  return GROUPS[group] ? pick(GROUPS[group]) : group;
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const termName = (list: readonly Term[], code: string): string => {
  const term = list.find((x) => x.code === code);
  return term ? pick({ zh: term.zh, en: capitalize(term.en) }) : code;
};

/** A case category's code (`land`) as its name (土地规划); other text as it is. */
export const categoryName = (code: string): string => termName(CASE_CATEGORIES, code);
export const urgencyName = (code: string): string => termName(URGENCIES, code);
export const ratingName = (code: string): string => termName(RATINGS, code);
