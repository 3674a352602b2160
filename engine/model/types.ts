// The plain, JSON-serialisable model of a deployed process that the engine runs from. Attribute
// values are kept as written: a value starting with '=' is a FEEL expression the engine evaluates
// when the element is reached (see engine/feel); other values are static.

export interface ProcessModel {
  processDefinitionId: string;
  name: string | null;
  /** zeebe:versionTag */
  versionTag: string | null;
  /** True when a process-level start event has a form (zeebe:formDefinition / formKey). */
  hasStartForm: boolean;
  /** Every flow element and sequence flow, nested ones included (see ElementModel.parentId). */
  elements: Record<string, ElementModel>;
}

export type TimerKind = 'timeDuration' | 'timeDate' | 'timeCycle';

export type EventDefinitionModel =
  | { kind: 'timer'; timer: TimerModel | null }
  | { kind: 'message'; messageRef: string | null }
  | { kind: 'error'; errorRef: string | null }
  | { kind: 'terminate' }
  /** Anything else (signal, escalation, compensate, conditional, link...): not supported. */
  | { kind: 'other'; type: string };

export type EventKind = 'none' | 'timer' | 'message' | 'error' | 'terminate' | 'other' | 'multiple';

export interface TimerModel {
  kind: TimerKind;
  /** Static ISO 8601 / cron text, or '=' FEEL expression. */
  value: string;
}

export interface TaskDefinitionModel {
  /** Job type, static or FEEL. */
  type: string | null;
  /** Static number or FEEL; Zeebe's default is 3. */
  retries: string;
}

export interface IoMappingModel {
  /** source null: an input without source maps to null. */
  inputs: Array<{ source: string | null; target: string }>;
  outputs: Array<{ source: string; target: string }>;
}

export interface AssignmentDefinitionModel {
  assignee: string | null;
  /** Static comma-separated list or FEEL list. */
  candidateGroups: string | null;
  candidateUsers: string | null;
}

export interface TaskScheduleModel {
  dueDate: string | null;
  followUpDate: string | null;
}

export interface FormDefinitionModel {
  formId: string | null;
  formKey: string | null;
  externalReference: string | null;
  /** latest (default) | deployment | versionTag */
  bindingType: string;
  versionTag: string | null;
}

export interface UserTaskFormModel {
  id: string;
  body: string;
}

export interface CalledElementModel {
  processId: string | null;
  /** Zeebe default: true */
  propagateAllChildVariables: boolean;
  /** Zeebe default: true */
  propagateAllParentVariables: boolean;
  bindingType: string;
  versionTag: string | null;
}

export interface LoopCharacteristicsModel {
  isSequential: boolean;
  inputCollection: string | null;
  inputElement: string | null;
  outputCollection: string | null;
  outputElement: string | null;
  completionCondition: string | null;
}

export interface ScriptModel {
  expression: string | null;
  resultVariable: string | null;
}

export interface ElementModel {
  id: string;
  name: string | null;
  /** BPMN type as moddle names it, e.g. bpmn:UserTask, bpmn:SequenceFlow. */
  type: string;
  /** The enclosing sub-process, or null at process level. */
  parentId: string | null;
  /** Sequence flow ids. */
  incoming: string[];
  outgoing: string[];
  /** Default sequence flow id (gateways, activities). */
  default?: string | null;

  // sequence flows
  sourceRef?: string | null;
  targetRef?: string | null;
  /** FEEL condition ('=' ...), or null. */
  conditionExpression?: string | null;

  // events
  eventDefinitions?: EventDefinitionModel[];
  eventKind?: EventKind;
  timer?: TimerModel | null;
  /** bpmn:Message referenced by the message event definition / receive task. */
  messageRef?: string | null;
  /** Message name, static or FEEL. */
  messageName?: string | null;
  subscription?: { correlationKey: string | null } | null;
  /** bpmn:Error referenced by the error event definition. */
  error?: { errorRef: string | null; errorCode: string | null; name: string | null } | null;
  /** Boundary events */
  attachedToRef?: string | null;
  cancelActivity?: boolean;
  /** On activities: ids of the boundary events attached to them. */
  boundaryEvents?: string[];

  // sub-processes
  triggeredByEvent?: boolean;

  // Zeebe extensions
  taskDefinition?: TaskDefinitionModel;
  taskHeaders?: Record<string, string>;
  ioMapping?: IoMappingModel;
  assignmentDefinition?: AssignmentDefinitionModel;
  taskSchedule?: TaskScheduleModel;
  /** zeebe:priorityDefinition (user task priority 0..100), static or FEEL. */
  priority?: string | null;
  formDefinition?: FormDefinitionModel;
  /** Embedded form resolved from formKey camunda-forms:bpmn:<id>. */
  userTaskForm?: UserTaskFormModel;
  /** true: zeebe:userTask present (Camunda user task); false: job-worker based user task. */
  userTask?: boolean;
  calledElement?: CalledElementModel;
  loopCharacteristics?: LoopCharacteristicsModel;
  script?: ScriptModel;
}

export interface DeploymentProblem {
  /** The element the problem is about; null for the document as a whole. */
  elementId: string | null;
  /** English, for people reading the API. */
  message: string;
  /** What is wrong, for clients that say it in their own words (e.g. UNSUPPORTED_ELEMENT), with its `params`; absent for rarer problems. */
  code?: string;
  params?: Record<string, string | number>;
}
