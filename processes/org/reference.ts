// The zone's fixed vocabularies (DOMAIN.md): each value has a code the platform stores and the
// Chinese label users see. Inputs accept either; `normalize` turns a label into its code.

export interface Term { code: string; zh: string; en: string }

const terms = (...list: Array<[code: string, zh: string, en: string]>): readonly Term[] => list.map(([code, zh, en]) => ({ code, zh, en }));

export const COHORTS = terms(['old', '老', 'senior'], ['middle', '中', 'middle-aged'], ['young', '青', 'young']);

export const UNITS = terms(
  ['zone-agency', '经开区机关', 'zone agency'],
  ['donghu', '东湖街道', 'Donghu subdistrict'],
  ['seconded', '下沉职能部门', 'seconded department'],
);

export const INDUSTRIES = terms(
  ['smart-manufacturing', '智能制造', 'smart manufacturing'],
  ['biomedicine', '生物医药', 'biomedicine'],
  ['home-textiles', '家纺布艺', 'home textiles'],
  ['semiconductor-equipment', '半导体专用设备', 'semiconductor equipment'],
  ['ivd', '体外诊断', 'in-vitro diagnostics'],
  ['green-energy', '绿色能源', 'green energy'],
  ['other', '其他', 'other'],
);

/** Referral departments: `dept-<code>` is the candidate group of processes/README.md. */
export const DEPARTMENTS = terms(
  ['market', '市场监督管理局', 'market supervision'],
  ['stats', '统计局', 'statistics'],
  ['eco', '生态环境', 'environment'],
  ['safety', '应急管理', 'work safety'],
  ['planning', '规划资源', 'planning and land'],
  ['tax', '税务', 'tax'],
  ['labour', '人社', 'labour'],
  ['urban', '城管', 'urban management'],
);

export const CASE_CATEGORIES = terms(
  ['policy', '政策咨询', 'policy question'],
  ['land', '土地规划', 'land and planning'],
  ['safety', '安全生产', 'work safety'],
  ['environment', '生态环保', 'environment'],
  ['tax', '税务', 'tax'],
  ['statistics', '统计入库', 'statistics enrolment'],
  ['approval', '审批验收', 'approvals and acceptance'],
  ['technology', '技术难题', 'technology problem'],
  ['labour', '人才用工', 'talent and labour'],
  ['other', '其他', 'other'],
);

export const URGENCIES = terms(['normal', '一般', 'normal'], ['urgent', '紧急', 'urgent'], ['critical', '特急', 'critical']);

export const RATINGS = terms(['satisfied', '满意', 'satisfied'], ['fair', '基本满意', 'fairly satisfied'], ['dissatisfied', '不满意', 'dissatisfied']);

/** Code (or Chinese label, or English label) → code; null when it is none of them. */
export function normalize(list: readonly Term[], value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const v = value.trim();
  const hit = list.find((t) => t.code === v || t.zh === v || t.en.toLowerCase() === v.toLowerCase());
  return hit?.code ?? null;
}

export const codes = (list: readonly Term[]) => list.map((t) => t.code);
export const labelOf = (list: readonly Term[], code: string) => list.find((t) => t.code === code)?.zh ?? code;
