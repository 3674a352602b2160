// What the Zeebe runtime keeps in Gridflow's own database. The cluster holds the processes;
// here lives what Camunda's APIs do not give back in the shapes the platform needs:
// job-based user tasks mirrored from their jobs, the forms deployed through this platform
// (Camunda's REST API serves a form per task, not per key), who completed a task, and the
// history observed by this runtime. On a Zeebe installation the database is MongoDB.
import mongoose, { Schema, type Connection } from 'mongoose';

const opts: mongoose.SchemaOptions<any> = { versionKey: false, minimize: false, strict: false };
const Mixed = Schema.Types.Mixed;

/** A job-based user task (`io.camunda.zeebe:userTask` job), in Camunda's UserTask shape plus its job. */
const jobTask = new Schema<any>({
  _id: String, // userTaskKey = the job's key
  state: String,
  assignee: { type: String, default: null },
  processInstanceKey: String,
  candidateGroups: [String],
  candidateUsers: [String],
  variables: String, // what the job carried when it was activated (JSON text)
  seenAt: Date, // last activation of the job (leases are renewed by re-activation)
}, opts);
jobTask.index({ processInstanceKey: 1 });
jobTask.index({ state: 1 });

/** A form deployed through this platform (`_id`: formKey), its schema as text. */
const form = new Schema<any>({ _id: String, formId: String, version: Number, tenantId: String, schema: String, versionTag: { type: String, default: null }, resourceName: String, deploymentKey: String }, opts);
form.index({ formId: 1 });

/** Who completed a Camunda user task (the REST API does not say). */
const completion = new Schema<any>({ _id: String, by: { type: String, default: null }, at: Date }, opts);

/** History observed by this runtime; `_id`: `${processInstanceKey}/${at}/${n}`. */
const history = new Schema<any>({ _id: String, processInstanceKey: String, at: Date, entry: Mixed }, opts);
history.index({ processInstanceKey: 1 });

export function createZeebeStore(connection: Connection) {
  const model = (name: string, schema: Schema<any>): mongoose.Model<any> => connection.models[name] ?? connection.model(name, schema, name);
  return {
    jobTasks: model('zeebe_job_tasks', jobTask),
    forms: model('zeebe_forms', form),
    completions: model('zeebe_completions', completion),
    history: model('zeebe_history', history),
  };
}
export type ZeebeStore = ReturnType<typeof createZeebeStore>;
