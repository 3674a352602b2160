// bpmn-moddle process -> ProcessModel. Flattens sub-processes (ElementModel.parentId) and resolves
// references (messages, errors, embedded forms) into plain values.
import { bodyOf, bool, child, list, refId, str, type ModdleElement } from './moddle.ts';
import type { ElementModel, EventDefinitionModel, EventKind, ProcessModel, TimerKind, TimerModel } from './types.ts';
import {
  embeddedFormId, hasUserTaskExtension, readAssignmentDefinition, readCalledElement, readFormDefinition, readIoMapping,
  readLoopCharacteristics, readPriority, readScript, readSubscription, readTaskDefinition, readTaskHeaders, readTaskSchedule,
  readUserTaskForms, readVersionTag,
} from './zeebe.ts';

/** The model plus, per element id, the moddle element it was read from (for validation). */
export interface ReadProcess {
  model: ProcessModel;
  sources: Map<string, ModdleElement>;
}

const TIMER_KINDS: TimerKind[] = ['timeDuration', 'timeDate', 'timeCycle'];

export function readProcess(process: ModdleElement): ReadProcess {
  const forms = readUserTaskForms(process);
  const elements: Record<string, ElementModel> = {};
  const sources = new Map<string, ModdleElement>();
  collect(process, null, forms, elements, sources);
  linkFlows(elements);
  const hasStartForm = Object.values(elements).some(
    (e) => e.type === 'bpmn:StartEvent' && e.parentId === null && !!(e.formDefinition && (e.formDefinition.formId || e.formDefinition.formKey || e.formDefinition.externalReference)),
  );
  return {
    model: {
      processDefinitionId: process.id ?? '',
      name: str(process, 'name'),
      versionTag: readVersionTag(process),
      hasStartForm,
      elements,
    },
    sources,
  };
}

function collect(
  container: ModdleElement,
  parentId: string | null,
  forms: Map<string, string>,
  out: Record<string, ElementModel>,
  sources: Map<string, ModdleElement>,
): void {
  for (const el of list(container, 'flowElements')) {
    if (!el.id) continue;
    out[el.id] = readElement(el, parentId, forms);
    sources.set(el.id, el);
    if (list(el, 'flowElements').length > 0) collect(el, el.id, forms, out, sources);
  }
}

export function readElement(el: ModdleElement, parentId: string | null, forms: Map<string, string>): ElementModel {
  const m: ElementModel = { id: el.id ?? '', name: str(el, 'name'), type: el.$type, parentId, incoming: [], outgoing: [] };
  const type = el.$type;

  if (type === 'bpmn:SequenceFlow') {
    m.sourceRef = refId(el, 'sourceRef');
    m.targetRef = refId(el, 'targetRef');
    m.conditionExpression = bodyOf(el, 'conditionExpression');
    return m;
  }

  if ('default' in el && el.default !== undefined) m.default = refId(el, 'default');

  if (type.endsWith('Event')) readEvent(el, m);
  if (type === 'bpmn:ReceiveTask') readMessage(child(el, 'messageRef'), refId(el, 'messageRef'), m);
  if (type === 'bpmn:SubProcess') m.triggeredByEvent = bool(el, 'triggeredByEvent') ?? false;

  const taskDefinition = readTaskDefinition(el);
  if (taskDefinition) m.taskDefinition = taskDefinition;
  const taskHeaders = readTaskHeaders(el);
  if (taskHeaders) m.taskHeaders = taskHeaders;
  const ioMapping = readIoMapping(el);
  if (ioMapping) m.ioMapping = ioMapping;
  const assignment = readAssignmentDefinition(el);
  if (assignment) m.assignmentDefinition = assignment;
  const schedule = readTaskSchedule(el);
  if (schedule) m.taskSchedule = schedule;
  const priority = readPriority(el);
  if (priority !== undefined) m.priority = priority;
  const form = readFormDefinition(el);
  if (form) {
    m.formDefinition = form;
    const embedded = embeddedFormId(form.formKey);
    if (embedded !== null && forms.has(embedded)) m.userTaskForm = { id: embedded, body: forms.get(embedded)! };
  }
  if (type === 'bpmn:UserTask') m.userTask = hasUserTaskExtension(el);
  const called = readCalledElement(el);
  if (called) m.calledElement = called;
  const loop = readLoopCharacteristics(el);
  if (loop) m.loopCharacteristics = loop;
  const script = readScript(el);
  if (script) m.script = script;
  return m;
}

function readEvent(el: ModdleElement, m: ElementModel): void {
  const definitions: EventDefinitionModel[] = list(el, 'eventDefinitions').map((d) => readEventDefinition(d, m));
  m.eventDefinitions = definitions;
  m.eventKind = eventKind(definitions);
  if (el.$type === 'bpmn:BoundaryEvent') {
    m.attachedToRef = refId(el, 'attachedToRef');
    m.cancelActivity = bool(el, 'cancelActivity') ?? true;
  }
}

function readEventDefinition(d: ModdleElement, m: ElementModel): EventDefinitionModel {
  switch (d.$type) {
    case 'bpmn:TimerEventDefinition': {
      const timer = readTimer(d);
      m.timer = timer;
      return { kind: 'timer', timer };
    }
    case 'bpmn:MessageEventDefinition': {
      const messageRef = refId(d, 'messageRef');
      readMessage(child(d, 'messageRef'), messageRef, m);
      return { kind: 'message', messageRef };
    }
    case 'bpmn:ErrorEventDefinition': {
      const errorRef = refId(d, 'errorRef');
      const error = child(d, 'errorRef');
      m.error = { errorRef, errorCode: str(error, 'errorCode'), name: str(error, 'name') };
      return { kind: 'error', errorRef };
    }
    case 'bpmn:TerminateEventDefinition':
      return { kind: 'terminate' };
    default:
      return { kind: 'other', type: d.$type };
  }
}

/** The first of timeDuration / timeDate / timeCycle that is set. */
function readTimer(d: ModdleElement): TimerModel | null {
  for (const kind of TIMER_KINDS) {
    const value = bodyOf(d, kind);
    if (value !== null) return { kind, value };
  }
  return null;
}

function readMessage(message: ModdleElement | undefined, messageRef: string | null, m: ElementModel): void {
  m.messageRef = messageRef;
  const name = str(message, 'name');
  m.messageName = name === null || name.trim() === '' ? null : name;
  m.subscription = readSubscription(message);
}

function eventKind(definitions: EventDefinitionModel[]): EventKind {
  if (definitions.length === 0) return 'none';
  if (definitions.length > 1) return 'multiple';
  return definitions[0]!.kind;
}

/** Fill incoming/outgoing from the sequence flows, and boundaryEvents on activities. */
function linkFlows(elements: Record<string, ElementModel>): void {
  for (const e of Object.values(elements)) {
    if (e.type === 'bpmn:SequenceFlow') {
      if (e.sourceRef && elements[e.sourceRef]) elements[e.sourceRef]!.outgoing.push(e.id);
      if (e.targetRef && elements[e.targetRef]) elements[e.targetRef]!.incoming.push(e.id);
    }
    if (e.type === 'bpmn:BoundaryEvent' && e.attachedToRef && elements[e.attachedToRef]) {
      const host = elements[e.attachedToRef]!;
      (host.boundaryEvents ??= []).push(e.id);
    }
  }
}
