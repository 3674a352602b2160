// The in-process job handlers of the `gridflow.*` job types (processes/README.md, "Job types"):
// each validates its variables and is idempotent by job key.
import type { Connection } from 'mongoose';
import type { ActivatedJob, JobHandler, Runtime } from '../../engine/runtime.ts';
import { monthlyReport, MONTH } from '../analytics/monthly.ts';
import { CaseInputError, CaseService, gridIdOf } from '../cases/service.ts';
import { CASE_CATEGORIES, labelOf, URGENCIES } from '../org/reference.ts';
import { RecordService } from '../records/service.ts';
import { actorOf } from './actor.ts';
import { guarded } from './outcome.ts';

/** A deadline as the zone reads it, e.g. 2026年11月29日 17:44. */
const ZONE_TIME = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

export const JOB_TYPES = ['gridflow.case.open', 'gridflow.case.event', 'gridflow.case.deadline', 'gridflow.record.write', 'gridflow.report.compile'] as const;

const provenance = (job: ActivatedJob, by: string | null = null) => ({ jobKey: job.jobKey, processInstanceKey: job.processInstanceKey, by });

/** The filer's user id: who signed in and submitted the start form, else the filer the variables name. */
function filerOf(v: Record<string, unknown>): string | null {
  for (const id of [v.startedBy, v.filedBy]) if (typeof id === 'string' && id.trim() !== '' && id.length <= 64) return id.trim();
  return null;
}

/** `runtime` serves the header `actorTask` (actor.ts); the handlers run without it otherwise. */
export function zoneHandlers(connection: Connection, now: () => number, runtime?: Runtime): Record<(typeof JOB_TYPES)[number], JobHandler> {
  const cases = new CaseService(connection, now);
  const records = new RecordService(connection, now);
  return {
    'gridflow.case.open': (job) => guarded(job, async () => {
      const v = job.variables;
      const c = await cases.open({
        enterprise: v.enterprise, category: v.category, urgency: v.urgency, title: v.title, description: v.description,
        gridId: v.gridId, filedBy: v.filedBy, tags: v.tags, visitKey: v.visitKey, parentCaseNumber: v.parentCaseNumber, enterpriseName: v.enterpriseName,
      }, provenance(job, await actorOf(job, runtime)));
      // The labels are for forms' text: people read 安全生产 and 特急, not the codes.
      return { complete: { caseNumber: c._id, caseTier: c.tier, caseStatus: c.status, categoryLabel: labelOf(CASE_CATEGORIES, c.category), urgencyLabel: labelOf(URGENCIES, c.urgency), filerId: filerOf(v) } };
    }),

    'gridflow.case.event': (job) => guarded(job, async () => {
      const v = job.variables;
      const event = job.customHeaders.event;
      if (event === undefined) throw new CaseInputError('event', 'the task header event is required (accepted, handled, escalated, …)');
      const actor = await actorOf(job, runtime);
      // Who completed the handling is its handler; the 承办人 named at acceptance otherwise.
      const handler = event === 'handled' && actor !== null ? actor : v.handler;
      const c = await cases.apply(v.caseNumber, event, { tier: v.tier, reason: v.reason, handler, rating: v.rating, deadline: v.deadline, comment: v.comment }, provenance(job, actor));
      return { complete: { caseStatus: c.status, caseTier: c.tier, reopenCount: c.reopenCount } };
    }),

    'gridflow.case.deadline': (job) => guarded(job, async () => {
      const v = job.variables;
      const r = await cases.setDeadline(v.caseNumber, { tier: v.tier, slaDays: v.slaDays, warningHours: v.warningHours }, provenance(job, await actorOf(job, runtime)));
      return { complete: { deadline: r.deadline.toISOString(), warnAt: r.warnAt.toISOString(), deadlineText: ZONE_TIME.format(r.deadline) } };
    }),

    'gridflow.record.write': (job) => guarded(job, async () => {
      const kind = job.customHeaders.kind;
      if (kind === undefined) throw new CaseInputError('kind', 'the task header kind is required (challenge-result, rotation-placement, mentor-score, case-handled)');
      const p = { jobKey: job.jobKey, processInstanceKey: job.processInstanceKey };
      // With actorTask, the record is that of the cadre who completed the task (none for a user who is no cadre).
      if (job.customHeaders.actorTask) return { complete: { recordWritten: (await records.writeForUser(kind, job.variables, await actorOf(job, runtime), p)) !== null } };
      await records.write(kind, job.variables, p);
      return { complete: { recordWritten: true } };
    }),

    'gridflow.report.compile': (job) => guarded(job, async () => {
      const v = job.variables;
      const month = v.month;
      if (typeof month !== 'string' || !MONTH.test(month)) throw new CaseInputError('month', `month must be YYYY-MM, not ${JSON.stringify(month) ?? 'nothing'}`);
      const gridId = v.gridId === undefined || v.gridId === null || v.gridId === '' ? null : gridIdOf(v.gridId);
      // Read-only: a second delivery compiles the same figures again.
      const report = await monthlyReport(cases.models.facts, month, gridId);
      return { complete: { report: JSON.parse(JSON.stringify(report)) } };
    }),
  };
}

/** Registers every handler on the runtime; returns a function that unregisters them. */
export function registerZoneHandlers(runtime: Runtime, connection: Connection, now: () => number): () => void {
  const handlers = zoneHandlers(connection, now, runtime);
  const offs = JOB_TYPES.map((type) => runtime.registerJobHandler(type, handlers[type]));
  return () => { for (const off of offs) off(); };
}
