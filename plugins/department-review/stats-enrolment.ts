// gridflow.review.stats-enrolment (统计入库): applies the statistics bureau's enrolment rule table
// to an enterprise's data. The table is the plugin's settings, so the bureau's thresholds change
// without a release: each rule names a category (规上工业, 限上批发 …), the industries it covers
// and the minimum main-business revenue (万元) and, optionally, employees. The first rule whose
// industry matches decides; the result says which thresholds were met or missed.
import { JobFailure, type JobContext, type PluginJob } from '../host/contract.ts';

export interface EnrolmentRule { category: string; industries: string[]; minRevenue: number; minEmployees?: number }

export interface EnrolmentCheck {
  eligible: boolean;
  category: string | null;
  rule: string | null;
  reasons: string[];
}

export function checkEnrolment(rules: EnrolmentRule[], enterprise: Record<string, unknown>): EnrolmentCheck {
  const industry = String(enterprise.industry ?? '');
  const revenue = Number(enterprise.revenue);
  const rule = rules.find((r) => r.industries.includes(industry));
  if (!rule) return { eligible: false, category: null, rule: null, reasons: [`行业“${industry}”不在入库规则表中`] };
  const reasons: string[] = [];
  let eligible = true;
  if (revenue >= rule.minRevenue) reasons.push(`主营业务收入 ${revenue} 万元 ≥ ${rule.minRevenue} 万元`);
  else { eligible = false; reasons.push(`主营业务收入 ${revenue} 万元 < ${rule.minRevenue} 万元`); }
  if (rule.minEmployees !== undefined) {
    const employees = Number(enterprise.employees ?? 0);
    if (employees >= rule.minEmployees) reasons.push(`从业人员 ${employees} 人 ≥ ${rule.minEmployees} 人`);
    else { eligible = false; reasons.push(`从业人员 ${employees} 人 < ${rule.minEmployees} 人`); }
  }
  return { eligible, category: eligible ? rule.category : null, rule: rule.category, reasons };
}

export default function statsEnrolment(job: PluginJob, ctx: JobContext) {
  const enterprise = job.variables.enterprise;
  if (!enterprise || typeof enterprise !== 'object' || Array.isArray(enterprise)) {
    throw new JobFailure("variable 'enterprise' is missing: an object with industry, revenue (万元) and employees", { retries: 0 });
  }
  const e = enterprise as Record<string, unknown>;
  if (typeof e.industry !== 'string' || !Number.isFinite(Number(e.revenue)) || e.revenue === null || e.revenue === '') {
    throw new JobFailure("variable 'enterprise' needs industry (text) and revenue (a number, 万元)", { retries: 0 });
  }
  const rules = (ctx.settings.rules ?? []) as EnrolmentRule[];
  return { [job.customHeaders.resultVariable || 'statsCheck']: checkEnrolment(rules, e) };
}
