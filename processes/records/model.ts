// The cadre record: one document per entry (a challenge result, a rotation placement, a mentor's
// scores, a case handled), inserted once and never changed. An entry written by a job has the
// `_id` `<jobKey>/<cadreId>`, so a job delivered twice inserts nothing the second time.
import mongoose, { Schema, type Connection } from 'mongoose';

export const RECORD_KINDS = ['challenge-result', 'rotation-placement', 'mentor-score', 'case-handled'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** The five abilities a mentor scores (1–5 each): 沟通, 判断, 协调, 主动发现问题, 由表及里思考. */
export const ABILITIES = ['communication', 'judgement', 'coordination', 'discovery', 'depth'] as const;
export const ABILITY_LABELS: Record<(typeof ABILITIES)[number], string> = {
  communication: '沟通', judgement: '判断', coordination: '协调', discovery: '主动发现问题', depth: '由表及里思考',
};

export const CHALLENGE_RESULTS = [
  { code: 'passed', zh: '通过' }, { code: 'failed', zh: '未通过' }, { code: 'extended', zh: '延期' },
] as const;

const entry = new Schema<any>({
  _id: { type: String, required: true },
  cadreId: { type: String, required: true },
  kind: { type: String, required: true, enum: RECORD_KINDS },
  at: { type: Date, required: true },
  processInstanceKey: { type: String, default: null },
  challengeId: { type: String, default: null },
  title: { type: String, default: null },
  result: { type: String, default: null },
  placement: { type: Schema.Types.Mixed, default: null },
  scores: { type: Schema.Types.Mixed, default: null },
  mentorId: { type: String, default: null },
  caseNumber: { type: String, default: null },
  comment: { type: String, default: null },
}, { versionKey: false, minimize: false, strict: 'throw' });

export function recordModel(connection: Connection): mongoose.Model<any> {
  return (connection.models.cadre_records as mongoose.Model<any>) ?? connection.model('cadre_records', entry, 'cadre_records');
}
