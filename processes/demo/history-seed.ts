// Half a year of the demo zone's history: cases filed each month across grids, categories and
// tiers, handled through the three tiers (escalations, returns, missed deadlines, whistles,
// ratings, reopenings), most closed and some still in flight; and the cadre records that go with
// them (cases handled, mentor scores over time, challenge results, rotation placements). The
// cases are built as the handlers would have left them (same fields, same timeline entries).
import type { Connection } from 'mongoose';
import { caseModels, STATUS_AFTER, type TimelineEntry } from '../cases/model.ts';
import { formatCaseNumber, zoneMonth } from '../cases/numbers.ts';
import { factOf } from '../cases/facts.ts';
import { DEPARTMENTS } from '../org/reference.ts';
import { ABILITIES, recordModel } from '../records/model.ts';
import { addWorkingDays, COVERED_YEARS, isWorkingDay, WorkingDayError, workingDaysBetween, workingHoursBefore } from '../working-days.ts';
import { pick, weighted } from './names.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZONE = 8 * HOUR;
export const HISTORY_MONTHS = 6;
const SLA: Record<number, number> = { 1: 5, 2: 10, 3: 15 };

const CATEGORY_WEIGHTS = [['policy', 18], ['land', 8], ['safety', 12], ['environment', 10], ['tax', 10], ['statistics', 8], ['approval', 14], ['technology', 8], ['labour', 9], ['other', 3]] as const;
const TOPICS: Record<string, Array<[title: string, tag: string]>> = {
  policy: [['惠企政策兑现咨询', '政策兑现'], ['研发费用加计扣除政策咨询', '研发补助'], ['专精特新申报指导', '专精特新'], ['技改补助申报咨询', '技改补助']],
  land: [['厂房扩建用地指标', '用地指标'], ['闲置厂房盘活', '厂房盘活'], ['规划条件调整', '规划调整']],
  safety: [['危化品仓库安全整改', '危化品'], ['厂房消防验收', '消防验收'], ['防台抗台隐患排查', '防台抗台']],
  environment: [['环评审批进度', '环评审批'], ['污水纳管', '污水纳管'], ['VOCs治理设施改造', '废气治理']],
  tax: [['增值税留抵退税', '留抵退税'], ['出口退税进度', '出口退税'], ['高新技术企业税收优惠', '税收优惠']],
  statistics: [['规上企业统计入库', '统计入库'], ['统计报表填报指导', '统计报表']],
  approval: [['竣工验收联合审批', '竣工验收'], ['施工许可办理', '施工许可'], ['排水许可办理', '排水许可']],
  technology: [['产线自动化改造技术对接', '技术对接'], ['高校科研合作对接', '产学研'], ['检测认证资源对接', '检测认证']],
  labour: [['一线技术工人招聘', '招工用工'], ['人才公寓申请', '人才公寓'], ['高层次人才认定', '人才认定']],
  other: [['企业周边道路拥堵', '交通出行'], ['员工通勤公交线路', '交通出行']],
};
const ESCALATE_REASONS = ['涉及多部门职责，需经开区统筹协调', '超出网格办理权限', '需区级部门联合办理', '政策口径需上级部门明确'];
const RETURN_REASONS = ['属经开区职责范围，退回经开区办理', '材料不全，退回补充'];

interface Person { _id: string; username: string | null; gridId: string; cohort: string; mentorId: string | null; roles: string[] }

export async function seedHistory(connection: Connection, z: { rnd: () => number; now: number; cadres: Person[]; mentors: Array<{ _id: string }>; enterprises: Array<{ _id: string; name: string; gridId: string }> }): Promise<Record<string, number>> {
  const { rnd } = z;
  // History stops where the working-day calendar does: no date beyond it is ever guessed.
  const anchor = Math.min(z.now, Date.UTC(COVERED_YEARS.last, 11, 31, 16) - ZONE);
  const byGrid = new Map<string, Person[]>();
  for (const c of z.cadres) byGrid.set(c.gridId, [...(byGrid.get(c.gridId) ?? []), c]);
  const nameOf = (c: Person) => c.username ?? c._id;
  /** A moment within working hours on the working day `days` after t (the same day when 0, if still open). */
  const later = (t: number, days: number) => {
    if (t > anchor) return t + DAY; // beyond what is kept: no need to place it in the calendar
    const day = addWorkingDays(t, days);
    const start = Math.floor((+day + ZONE) / DAY) * DAY - ZONE + 9 * HOUR;
    const at = start + Math.floor(rnd() * 8 * HOUR);
    return Math.max(at, t + 20 * 60_000);
  };

  const cases: any[] = [];
  const records: any[] = [];
  const handled: any[] = [];
  const monthStart = (offset: number) => {
    const m = new Date(anchor + ZONE);
    return Date.UTC(m.getUTCFullYear(), m.getUTCMonth() - offset, 1) - ZONE;
  };
  for (let offset = HISTORY_MONTHS - 1; offset >= 0; offset -= 1) {
    const from = monthStart(offset);
    const to = Math.min(monthStart(offset - 1), anchor - 2 * HOUR);
    const filed: number[] = [];
    const count = 48 + Math.floor(rnd() * 20);
    for (let tries = 0; filed.length < count && tries < count * 20; tries += 1) {
      const t = from + Math.floor(rnd() * (to - from));
      const local = (t + ZONE) % DAY;
      if (local >= 9 * HOUR && local < 17 * HOUR && isWorkingDay(t)) filed.push(t);
    }
    filed.sort((a, b) => a - b);
    let n = 0;
    for (const t of filed) {
      // Near the calendar's last year a deadline may fall beyond it: such a case is left out.
      try { cases.push(makeCase(formatCaseNumber(zoneMonth(t), n + 1), t)); n += 1; } catch (err) { if (!(err instanceof WorkingDayError)) throw err; }
    }
  }

  function makeCase(number: string, filedAt: number): any {
    const e = pick(rnd, z.enterprises);
    const grid = byGrid.get(e.gridId)!;
    const category = weighted(rnd, CATEGORY_WEIGHTS);
    const [title, tag] = pick(rnd, TOPICS[category]!);
    const filer = pick(rnd, grid);
    const handler = pick(rnd, grid);
    const urgency = weighted(rnd, [['normal', 70], ['urgent', 25], ['critical', 5]] as const);
    const maxTier = weighted(rnd, [[1, 68], [2, 21], [3, 11]] as const);
    const timeline: TimelineEntry[] = [];
    let t = filedAt;
    let tier = 1;
    let deadline = 0;
    const push = (event: TimelineEntry['event'], extra: Partial<TimelineEntry> = {}) => timeline.push({ at: new Date(t), by: extra.by ?? nameOf(handler), event, tier, ...extra });
    const setDeadline = () => { if (t > anchor) return; deadline = +addWorkingDays(t, SLA[tier]!); push('deadline', { by: null, deadline: new Date(deadline) }); };
    push('filed', { by: nameOf(filer) });
    setDeadline();
    t = later(t, 0); push('accepted', { handler: nameOf(handler) });
    if (rnd() < 0.02) { t = later(t, 0); push('whistled', { reason: '发现重大安全隐患，直报党工委' }); }
    const dept = pick(rnd, DEPARTMENTS);
    const handling = (sla: number, late: boolean) => (late ? sla + 1 + Math.floor(rnd() * 3) : 1 + Math.floor(rnd() * Math.max(1, sla - 1)));
    while (tier < maxTier) {
      const late = rnd() < 0.08;
      t = later(t, Math.min(handling(SLA[tier]!, late), SLA[tier]! + 3));
      if (late && t > deadline) { push('warned', { by: null }); push('overdue', { by: null }); }
      t = later(t, 0);
      tier += 1;
      push('escalated', { reason: pick(rnd, ESCALATE_REASONS), handler: tier === 2 ? 'zone-center' : `dept-${dept.code}` });
      setDeadline();
      t = later(t, 1); push('accepted', { handler: tier === 2 ? 'zone-center' : `dept-${dept.code}` });
      if (tier === 3 && rnd() < 0.15) {
        t = later(t, 2); tier = 2; push('returned', { reason: pick(rnd, RETURN_REASONS) }); setDeadline();
        break;
      }
    }
    const late = rnd() < 0.1;
    t = later(t, handling(SLA[tier]!, late));
    if (t > deadline) { push('warned', { by: null }); push('overdue', { by: null }); }
    push('handled');
    t = later(t, 0); push('resolved');
    t = later(t, rnd() < 0.5 ? 0 : 1); push('reviewed', { by: nameOf(filer) });
    t = later(t, 1 + Math.floor(rnd() * 2));
    let rating = weighted(rnd, [['satisfied', 74], ['fair', 19], ['dissatisfied', 7]] as const) as string;
    push('rated', { rating, by: null });
    if (rating === 'dissatisfied') {
      t = later(t, 0); tier = 1; push('reopened', { reason: '企业对办理结果不满意', handler: nameOf(handler) }); setDeadline();
      t = later(t, 2 + Math.floor(rnd() * 3)); push('resolved');
      t = later(t, 1); rating = weighted(rnd, [['satisfied', 55], ['fair', 30], ['dissatisfied', 15]] as const); push('rated', { rating, by: null });
      // Dissatisfied again: the reopening is bounded, the committee closes it with its note.
      if (rating === 'dissatisfied') { t = later(t, 1); push('reviewed', { by: 'committee', comment: '党工委研判：已尽力协调，转入长期跟踪' }); }
    }
    t = later(t, 0); push('closed', { comment: '回访总结：问题已解决' });

    const kept = timeline.filter((x) => +x.at <= anchor);
    const last = (f: (x: TimelineEntry) => boolean) => [...kept].reverse().find(f);
    const closed = kept.at(-1)?.event === 'closed' ? +kept.at(-1)!.at : null;
    const status = STATUS_AFTER[last((x) => STATUS_AFTER[x.event] !== undefined)!.event]!;
    const currentDeadline = last((x) => x.event === 'deadline')!.deadline!;
    const missed = kept.some((x) => x.event === 'overdue');
    const reopenAt = last((x) => x.event === 'reopened');
    const groups = new Set<string>();
    for (const x of kept) {
      if (x.tier === 2) groups.add('zone-center');
      if (x.tier === 3) groups.add('district');
      if (x.handler && /^(dept-|zone-center)/.test(x.handler)) groups.add(x.handler);
      if (x.event === 'whistled') groups.add('committee');
    }
    const rated = last((x) => x.event === 'rated');
    const doc = {
      _id: number, enterprise: { uscc: e._id, name: e.name }, gridId: e.gridId, category, tags: [tag], urgency, title: `${title}`,
      description: `${e.name}反映：${title}，请协助办理。`, tier: last(() => true)!.tier, status, handler: last((x) => !!x.handler)?.handler ?? null,
      groups: [...groups], filedBy: nameOf(filer), filedAt: new Date(filedAt), month: zoneMonth(filedAt),
      deadline: currentDeadline, warnAt: workingHoursBefore(currentDeadline, 4),
      overdue: closed === null && (missed && (!reopenAt || kept.indexOf(last((x) => x.event === 'overdue')!) > kept.indexOf(reopenAt))),
      whistled: kept.some((x) => x.event === 'whistled'), escalations: kept.filter((x) => x.event === 'escalated').length,
      resolvedAt: closed === null ? (last((x) => x.event === 'resolved')?.at ?? null) : last((x) => x.event === 'resolved')!.at,
      closedAt: closed === null ? null : new Date(closed), closedMonth: closed === null ? null : zoneMonth(closed),
      resolutionWorkingDays: closed === null ? null : workingDaysBetween(filedAt, closed),
      metDeadline: closed === null ? null : !missed && +last((x) => x.event === 'resolved')!.at <= +currentDeadline,
      rating: rated?.rating ?? null, reopenCount: kept.filter((x) => x.event === 'reopened').length,
      processInstanceKeys: [], visitKey: null, parentCaseNumber: null,
      timeline: kept.map((x) => ({ reason: null, comment: null, handler: null, rating: null, deadline: null, jobKey: null, ...x })),
      version: kept.length, updatedAt: kept.at(-1)!.at,
    };
    if (closed !== null) handled.push({ _id: `seed/${number}/${handler._id}`, cadreId: handler._id, kind: 'case-handled', at: new Date(closed), processInstanceKey: null, caseNumber: number, comment: null });
    return doc;
  }

  records.push(...handled, ...cadreRecords(z, anchor));
  const { cases: caseModel, facts, numbers } = caseModels(connection);
  for (let i = 0; i < cases.length; i += 200) await caseModel.collection.insertMany(cases.slice(i, i + 200));
  for (let i = 0; i < cases.length; i += 500) await facts.collection.insertMany(cases.slice(i, i + 500).map(factOf));
  for (let i = 0; i < cases.length; i += 500) await numbers.collection.insertMany(cases.slice(i, i + 500).map((c) => ({ _id: c._id, at: c.filedAt, jobKey: null })));
  const entries = recordModel(connection);
  for (let i = 0; i < records.length; i += 500) await entries.collection.insertMany(records.slice(i, i + 500));
  return { cases: cases.length, closedCases: cases.filter((c) => c.closedAt !== null).length, records: records.length };
}

/** Mentor scores over time, challenge results and rotation placements of the demo cadres. */
function cadreRecords(z: { rnd: () => number; cadres: Person[]; mentors: Array<{ _id: string }>; enterprises: Array<{ name: string }> }, anchor: number): any[] {
  const { rnd } = z;
  const out: any[] = [];
  const young = z.cadres.filter((c) => c.cohort === 'young');
  const base = (days: number) => new Date(anchor - days * DAY);
  const clamp = (n: number) => Math.max(1, Math.min(5, n));
  for (const c of young) {
    const start = Object.fromEntries(ABILITIES.map((a) => [a, 2 + Math.floor(rnd() * 2)]));
    const rounds = 2 + Math.floor(rnd() * 2);
    for (let r = 0; r < rounds; r += 1) {
      const scores = Object.fromEntries(ABILITIES.map((a) => [a, clamp(start[a]! + r * (rnd() < 0.6 ? 1 : 0) - (rnd() < 0.1 ? 1 : 0))]));
      out.push({ _id: `seed/score/${r}/${c._id}`, cadreId: c._id, kind: 'mentor-score', at: base(150 - r * 55 - Math.floor(rnd() * 10)), processInstanceKey: null, scores, mentorId: c.mentorId, comment: null });
    }
  }
  // 一周员工: twelve young cadres placed in enterprises, in four groups; 走进部门: six more.
  const groups = ['智能制造', '生物医药', '家纺布艺', '项目工地'];
  young.slice(0, 18).forEach((c, i) => {
    const week = i < 12;
    const from = base(120 - (i % 4) * 14);
    out.push({
      _id: `seed/placement/${i}/${c._id}`, cadreId: c._id, kind: 'rotation-placement', at: from, processInstanceKey: null, mentorId: c.mentorId, comment: null,
      placement: week
        ? { programme: '一周员工', group: groups[i % 4], host: pick(rnd, z.enterprises).name, from: from.toISOString().slice(0, 10), to: new Date(+from + 6 * DAY).toISOString().slice(0, 10) }
        : { programme: '走进部门', host: pick(rnd, DEPARTMENTS).zh, from: from.toISOString().slice(0, 10), to: new Date(+from + 13 * DAY).toISOString().slice(0, 10) },
    });
  });
  const challenges = [
    ['JB-2026-01', '半导体专用设备项目落地用地难题', 'passed'], ['JB-2026-02', '家纺布艺产业数字化转型路径', 'passed'], ['JB-2026-03', '体外诊断企业注册证办理提速', 'passed'],
    ['JB-2026-04', '绿色能源项目并网协调', 'extended'], ['JB-2026-05', '老旧厂房有机更新', 'passed'], ['JB-2026-06', '生物医药中试平台共建', 'failed'],
    ['JB-2026-07', '规上企业统计入库培育', 'passed'], ['JB-2026-08', '企业用工季节性缺口', 'passed'],
  ] as const;
  challenges.forEach(([id, title, result], i) => {
    const team = Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => pick(rnd, z.cadres));
    for (const c of new Set(team)) out.push({ _id: `seed/${id}/${c._id}`, cadreId: c._id, kind: 'challenge-result', at: base(160 - i * 18), processInstanceKey: null, challengeId: id, title, result, comment: null });
  });
  return out;
}
