// MongoDB collections of the embedded runtime. An instance advances by inserting its next
// revision (`${key}/${rev}`, unique): the insert is the commit, and only one writer can win it,
// also on servers whose conditional updates are not atomic across connections (FerretDB 1.x).
// Everything else is derived from the revision's outbox and written idempotently, so a crash
// between the two loses nothing. Leases (jobs, timers) and key blocks are claimed the same way.
import mongoose, { Schema, type Connection } from 'mongoose';

// strict: false — documents are shaped by the runtime; the schemas name the indexed, queried fields.
const opts: mongoose.SchemaOptions<any> = { versionKey: false, minimize: false, strict: false };
const Mixed = Schema.Types.Mixed;

const definition = new Schema<any>({
  _id: String, // processDefinitionKey
  processDefinitionId: String,
  version: Number,
  versionTag: { type: String, default: null },
  name: { type: String, default: null },
  resourceName: String,
  checksum: String,
  deploymentKey: String,
  tenantId: String,
  xml: String,
  model: Mixed, // the ProcessModel read from the XML
  messageStartNames: [String],
  createdAt: Date,
}, opts);
definition.index({ messageStartNames: 1 });
definition.index({ processDefinitionId: 1, version: -1 }, { unique: true });

const revision = new Schema<any>({
  _id: String, // `${processInstanceKey}/${rev}`
  pik: String,
  rev: Number,
  state: String,
  meta: Mixed, // definition, tenant, parents, start date: enough to rebuild the summary
  engine: Mixed, // bpmn-engine state without its source (JSON text)
  data: Mixed, // Gridflow's own instance data: scopes, element keys, waits
  outbox: Mixed,
  at: Date,
}, opts);

/**
 * Instances being created (`_id`: the instance key), journaled before their first revision: a
 * restart finds a first revision whose outbox (and so the instance's record) was never applied.
 */
const creation = new Schema<any>({ _id: String }, opts);

/** Revisions whose outbox is applied (`${key}/${rev}`): what a restart need not replay. */
const applied = new Schema<any>({ _id: String }, opts);

/** The searchable record of an instance, inserted at its start (its end: `instance_ends`). */
const instance = new Schema<any>({
  _id: String, // processInstanceKey
  definitionKey: String,
  processDefinitionId: String,
  version: Number,
  tenantId: String,
  startDate: Date,
  parentProcessInstanceKey: { type: String, default: null },
  parentElementInstanceKey: { type: String, default: null },
}, opts);
instance.index({ processDefinitionId: 1 });
instance.index({ parentProcessInstanceKey: 1 });

const elementInstance = new Schema<any>({
  _id: String, // elementInstanceKey
  processInstanceKey: String,
  processDefinitionKey: String,
  processDefinitionId: String,
  elementId: String,
  elementName: { type: String, default: null },
  type: String,
  state: String,
  startDate: Date,
  endDate: { type: Date, default: null },
  incidentKey: { type: String, default: null },
  tenantId: String,
}, opts);
elementInstance.index({ processInstanceKey: 1, startDate: 1 });

/** A user task in Camunda's UserTask shape, plus the bpmn-engine execution it continues. */
const userTask = new Schema<any>({
  _id: String, // userTaskKey
  state: String,
  assignee: { type: String, default: null },
  candidateGroups: [String],
  candidateUsers: [String],
  processInstanceKey: String,
  elementInstanceKey: String,
  creationDate: String,
}, opts);
userTask.index({ state: 1, assignee: 1 });
userTask.index({ state: 1, candidateGroups: 1 });
userTask.index({ processInstanceKey: 1 });

const job = new Schema<any>({
  _id: String, // jobKey
  type: String,
  state: String, // ACTIVATABLE | ACTIVATED | FAILED (retries 0) | COMPLETED | ERROR_THROWN | CANCELED
  activation: { type: Number, default: 0 }, // how many times it was activated: the next claim is activation + 1
  retries: Number,
  worker: { type: String, default: null },
  deadline: { type: Number, default: 0 }, // activation lease end (ms); 0 = not leased
  notBefore: { type: Number, default: 0 }, // retry back-off end (ms)
  errorMessage: { type: String, default: null },
  processInstanceKey: String,
  elementInstanceKey: String,
  elementId: String,
  processDefinitionKey: String,
  processDefinitionId: String,
  processDefinitionVersion: Number,
  customHeaders: Mixed,
  tenantId: String,
  createdAt: Date,
}, opts);
job.index({ type: 1, state: 1, deadline: 1 });
job.index({ processInstanceKey: 1 });

const timer = new Schema<any>({
  _id: String, // `${processInstanceKey}/${executionId}` or `start/${definitionKey}/${elementId}`
  processInstanceKey: { type: String, default: null },
  definitionKey: { type: String, default: null },
  elementId: String,
  executionId: { type: String, default: null },
  dueAt: Number,
  lease: { type: Number, default: 0 },
}, opts);
timer.index({ dueAt: 1 });

const message = new Schema<any>({
  _id: String, // messageKey
  name: String,
  correlationKey: String,
  messageId: { type: String, default: null },
  variables: Mixed,
  expiresAt: Number,
  correlatedTo: [String], // process instance keys (and definition keys for start events)
  tenantId: String,
}, opts);
message.index({ name: 1, correlationKey: 1, expiresAt: 1 });

const subscription = new Schema<any>({
  _id: String, // `${processInstanceKey}/${executionId}`
  processInstanceKey: String,
  executionId: String,
  elementId: String,
  name: String,
  correlationKey: String,
  tenantId: String,
}, opts);
subscription.index({ name: 1, correlationKey: 1 });

/** An incident in Camunda's shape (resolution: `incident_resolutions`), with the command to re-run. */
const incident = new Schema<any>({
  _id: String, // incidentKey
  processInstanceKey: String,
  jobKey: { type: String, default: null },
}, opts);
incident.index({ processInstanceKey: 1 });

/** The end of a record, inserted beside it: `${collection}_ends` (see facts.ts). */
const end = new Schema<any>({ _id: String, state: String }, opts);

const history = new Schema<any>({
  _id: String, // `${processInstanceKey}/${seq}`
  processInstanceKey: String,
  seq: Number,
  entry: Mixed,
}, opts);
history.index({ processInstanceKey: 1, seq: 1 });

/** A deployed form version (form-js schema as JSON text). */
const form = new Schema<any>({ _id: String, formId: String, version: Number, versionTag: String, tenantId: String }, opts);
form.index({ formId: 1, version: -1 }, { unique: true });

/** Claims: a unique insert that only one process can win. */
const claim = new Schema<any>({ _id: String, at: Date, expiresAt: Number }, opts);
const keyBlock = new Schema<any>({ _id: Number, at: Date }, opts);

export function createStore(connection: Connection) {
  const model = (name: string, schema: Schema<any>): mongoose.Model<any> =>
    (connection.models[name] as mongoose.Model<any>) ?? connection.model(name, schema, name);
  return {
    connection,
    definitions: model('definitions', definition),
    forms: model('forms', form),
    revisions: model('instance_revisions', revision),
    applied: model('applied_revisions', applied),
    creations: model('creations', creation),
    instances: model('instances', instance),
    instanceEnds: model('instance_ends', end),
    elementInstances: model('element_instances', elementInstance),
    elementEnds: model('element_instance_ends', end),
    userTasks: model('user_tasks', userTask),
    userTaskEnds: model('user_task_ends', end),
    jobs: model('jobs', job),
    timers: model('timers', timer),
    messages: model('messages', message),
    subscriptions: model('message_subscriptions', subscription),
    incidents: model('incidents', incident),
    incidentResolutions: model('incident_resolutions', end),
    history: model('history', history),
    claims: model('claims', claim),
    keyBlocks: model('key_blocks', keyBlock),
  };
}
export type Store = ReturnType<typeof createStore>;

export async function ensureIndexes(store: Store) {
  const { connection, ...models } = store;
  void connection;
  for (const m of Object.values(models)) await m.createIndexes();
}
