// The case (诉求件): one document per case, keyed by its number, with its timeline embedded.
// Every read of one case (the API, each job of its process) is then a single lookup by `_id`,
// the one query FerretDB answers from an index; lists and analytics scan or aggregate the one
// collection. A case's timeline is bounded by its process (a few dozen events); it is capped at
// TIMELINE_CAP entries all the same, the oldest dropped, so a runaway loop cannot grow a document
// without bound.
import mongoose, { Schema, type Connection } from 'mongoose';
import { codes, CASE_CATEGORIES, RATINGS, URGENCIES } from '../org/reference.ts';

export const TIMELINE_CAP = 500;

export const CASE_EVENTS = [
  'filed', 'accepted', 'handled', 'escalated', 'returned', 'resolved', 'whistled', 'reviewed', 'rated',
  'reopened', 'closed', 'warned', 'overdue', 'assigned', 'deadline',
] as const;
export type CaseEvent = (typeof CASE_EVENTS)[number];

/** Status after each event; events absent here leave the status as it was. */
export const STATUS_AFTER: Partial<Record<CaseEvent, string>> = {
  filed: 'filed', accepted: 'accepted', handled: 'handled', escalated: 'escalated', returned: 'returned',
  resolved: 'resolved', whistled: 'whistled', reviewed: 'reviewed', rated: 'rated', reopened: 'reopened', closed: 'closed',
};
export const CASE_STATUSES = ['filed', 'accepted', 'handled', 'escalated', 'returned', 'resolved', 'whistled', 'reviewed', 'rated', 'reopened', 'closed'] as const;

export const STATUS_LABELS: Record<string, string> = {
  filed: '已立件', accepted: '已受理', handled: '已办理', escalated: '已上报', returned: '已退回', resolved: '已解决',
  whistled: '已吹哨', reviewed: '已复核', rated: '已评价', reopened: '已重办', closed: '已办结',
};

export interface TimelineEntry {
  at: Date;
  by: string | null;
  event: CaseEvent;
  tier: number;
  reason?: string | null;
  comment?: string | null;
  handler?: string | null;
  rating?: string | null;
  deadline?: Date | null;
  /** The job that wrote it: a job delivered twice finds its entry and changes nothing. */
  jobKey?: string | null;
}

const timelineEntry = new Schema<any>({
  at: { type: Date, required: true },
  by: { type: String, default: null },
  event: { type: String, required: true, enum: CASE_EVENTS },
  tier: { type: Number, required: true },
  reason: { type: String, default: null },
  comment: { type: String, default: null },
  handler: { type: String, default: null },
  rating: { type: String, default: null },
  deadline: { type: Date, default: null },
  jobKey: { type: String, default: null },
}, { _id: false, versionKey: false });

const caseSchema = new Schema<any>({
  _id: { type: String, required: true, match: /^SQ-\d{6}-\d{4,}$/ }, // the case number
  enterprise: { uscc: { type: String, required: true }, name: { type: String, default: '' } },
  gridId: { type: String, required: true },
  category: { type: String, required: true, enum: codes(CASE_CATEGORIES) },
  tags: { type: [String], default: [] },
  urgency: { type: String, required: true, enum: codes(URGENCIES) },
  title: { type: String, required: true, maxlength: 200 },
  description: { type: String, default: '', maxlength: 5000 },
  tier: { type: Number, required: true, min: 1, max: 3 },
  status: { type: String, required: true, enum: CASE_STATUSES },
  handler: { type: String, default: null },
  /** Candidate groups the case went to beyond its grid (e.g. `dept-market`, `committee`): they see it too. */
  groups: { type: [String], default: [] },
  filedBy: { type: String, default: null },
  filedAt: { type: Date, required: true },
  month: { type: String, required: true }, // YYYY-MM of filedAt in the zone
  deadline: { type: Date, default: null },
  warnAt: { type: Date, default: null },
  overdue: { type: Boolean, default: false },
  whistled: { type: Boolean, default: false },
  escalations: { type: Number, default: 0 },
  resolvedAt: { type: Date, default: null },
  closedAt: { type: Date, default: null },
  closedMonth: { type: String, default: null }, // YYYY-MM of closedAt in the zone
  /** Working days from filing to closure (set when closed). */
  resolutionWorkingDays: { type: Number, default: null },
  /** Closed by the deadline in force (set when closed; null while open or without a deadline). */
  metDeadline: { type: Boolean, default: null },
  rating: { type: String, default: null, enum: [...codes(RATINGS), null] },
  reopenCount: { type: Number, default: 0 },
  processInstanceKeys: { type: [String], default: [] },
  visitKey: { type: String, default: null },
  parentCaseNumber: { type: String, default: null },
  timeline: { type: [timelineEntry], default: [] },
  version: { type: Number, default: 0 },
}, { versionKey: false, minimize: false, strict: 'throw', timestamps: { createdAt: false, updatedAt: 'updatedAt' } });

/** Allocated case numbers (`_id` = the number): the unique insert is the allocation. */
const caseNumber = new Schema<any>({ _id: String, at: Date, jobKey: { type: String, default: null } }, { versionKey: false });

/** A change of a case (`_id` = `<number>/<version>`): the unique insert decides which writer may
 * take the case to that version, across processes, where FerretDB's version-conditioned update
 * alone would let two writers both succeed. */
const caseChange = new Schema<any>({ _id: String, at: Number }, { versionKey: false });

/** A case opened by a job (`_id` = `open/<jobKey>`): a second delivery finds the first's case. */
const openClaim = new Schema<any>({ _id: String, caseNumber: String, at: Date, input: Schema.Types.Mixed }, { versionKey: false, minimize: false });

/** The lean copy of each case that lists and analytics scan (facts.ts); same fields, no timeline. */
const caseFact = new Schema<any>({ _id: String }, { versionKey: false, minimize: false, strict: false });

export interface CaseModels { cases: mongoose.Model<any>; facts: mongoose.Model<any>; numbers: mongoose.Model<any>; openClaims: mongoose.Model<any>; changes: mongoose.Model<any> }

export function caseModels(connection: Connection): CaseModels {
  const model = (name: string, schema: Schema<any>): mongoose.Model<any> =>
    (connection.models[name] as mongoose.Model<any>) ?? connection.model(name, schema, name);
  return { cases: model('cases', caseSchema), facts: model('case_facts', caseFact), numbers: model('case_numbers', caseNumber), openClaims: model('case_open_claims', openClaim), changes: model('case_changes', caseChange) };
}
