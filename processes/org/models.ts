// The zone's organisation (mongoose): grids, cadres, mentors, departments and enterprises.
// Each is read by `_id` on hot paths (the cheap lookup on FerretDB); lists scan, which is fine at
// the zone's size (a few thousand documents). Enterprises are keyed by their USCC.
import mongoose, { Schema, type Connection } from 'mongoose';
import { isValidUscc } from '../../forms/uscc.ts';
import { codes, COHORTS, DEPARTMENTS, INDUSTRIES, UNITS } from './reference.ts';

const opts: mongoose.SchemaOptions<any> = { versionKey: false, minimize: false, strict: 'throw', timestamps: true };

const gridId = { type: String, required: true, match: /^[1-9][0-9]{0,3}$/ };

const grid = new Schema<any>({
  _id: gridId, // '1' … '6'
  name: { type: String, required: true }, // 第3网格
  leader: { type: String, default: null }, // cadre id of the 网格组长
  deputies: { type: [String], default: [] }, // cadre ids of the 网格副组长
  area: { type: String, default: '' },
}, opts);

const cadre = new Schema<any>({
  _id: { type: String, required: true, match: /^[A-Za-z0-9_-]{1,32}$/ }, // C0001
  name: { type: String, required: true, maxlength: 40 },
  cohort: { type: String, required: true, enum: codes(COHORTS) },
  birthYear: { type: Number, default: null },
  unit: { type: String, required: true, enum: codes(UNITS) },
  department: { type: String, default: null }, // seconded from (a DEPARTMENTS code) or the agency's bureau
  gridId,
  roles: { type: [String], default: [] }, // 'leader' | 'deputy' | 'member'
  username: { type: String, default: null },
  mentorId: { type: String, default: null },
}, opts);

const mentor = new Schema<any>({
  _id: { type: String, required: true, match: /^[A-Za-z0-9_-]{1,32}$/ }, // M01
  name: { type: String, required: true, maxlength: 40 },
  title: { type: String, default: '' },
  unit: { type: String, default: '' },
  username: { type: String, default: null },
}, opts);

const department = new Schema<any>({
  _id: { type: String, required: true, enum: codes(DEPARTMENTS) }, // 'market'
  name: { type: String, required: true },
  group: { type: String, required: true }, // 'dept-market'
}, opts);

const enterprise = new Schema<any>({
  _id: { type: String, required: true, validate: { validator: isValidUscc, message: (p: { value: unknown }) => `${String(p.value)} is not a valid unified social credit code (统一社会信用代码)` } },
  name: { type: String, required: true, maxlength: 100 },
  industry: { type: String, required: true, enum: codes(INDUSTRIES) },
  gridId,
  address: { type: String, default: '', maxlength: 200 },
  contact: {
    name: { type: String, default: '', maxlength: 40 },
    phone: { type: String, default: '', maxlength: 20 },
  },
}, opts);

export interface OrgModels {
  grids: mongoose.Model<any>;
  cadres: mongoose.Model<any>;
  mentors: mongoose.Model<any>;
  departments: mongoose.Model<any>;
  enterprises: mongoose.Model<any>;
}

export function orgModels(connection: Connection): OrgModels {
  const model = (name: string, schema: Schema<any>): mongoose.Model<any> =>
    (connection.models[name] as mongoose.Model<any>) ?? connection.model(name, schema, name);
  return {
    grids: model('org_grids', grid),
    cadres: model('org_cadres', cadre),
    mentors: model('org_mentors', mentor),
    departments: model('org_departments', department),
    enterprises: model('org_enterprises', enterprise),
  };
}
