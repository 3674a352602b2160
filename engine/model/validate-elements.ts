// Which BPMN elements the embedded engine runs, and what each needs to be runnable.
//
// Supported: start events (none, timer, message); end events (none, error, terminate); user,
// service, send, business rule (job worker) tasks; script tasks with a FEEL zeebe:script (or a job
// worker); task / manual task (pass through); receive tasks with a message; embedded sub-processes;
// call activities; exclusive, parallel, inclusive and event-based gateways; intermediate catch
// events (timer, message); intermediate throw events (none); boundary events (timer, message,
// error); parallel and sequential multi-instance.
import { isExpression } from '../feel/index.ts';
import { article, elementsOf, label, type CheckContext } from './check-context.ts';
import { bodyOf, child, str, type ModdleElement } from './moddle.ts';
import type { ElementModel, EventKind } from './types.ts';
import { extension, extensions } from './zeebe.ts';

/** Elements that carry no behaviour and are accepted as they are. */
const INERT = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);

const JOB_TASKS = new Set(['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask']);

const SIMPLE = new Set([
  'bpmn:SequenceFlow', 'bpmn:Task', 'bpmn:ManualTask', 'bpmn:UserTask', 'bpmn:CallActivity',
  'bpmn:ExclusiveGateway', 'bpmn:ParallelGateway', 'bpmn:InclusiveGateway', 'bpmn:EventBasedGateway',
]);

const EVENT_KINDS: Record<string, EventKind[]> = {
  'bpmn:StartEvent': ['none', 'timer', 'message'],
  'bpmn:EndEvent': ['none', 'error', 'terminate'],
  'bpmn:IntermediateCatchEvent': ['timer', 'message'],
  'bpmn:IntermediateThrowEvent': ['none'],
  'bpmn:BoundaryEvent': ['timer', 'message', 'error'],
};

export function checkElements(ctx: CheckContext): void {
  for (const e of elementsOf(ctx)) {
    const el = ctx.sources.get(e.id);
    if (!el || INERT.has(e.type)) continue;
    if (!isSupportedType(e)) {
      ctx.report(e.id, `${label(e.type)} is not supported by the embedded engine`, 'UNSUPPORTED_ELEMENT', { type: e.type });
      continue;
    }
    checkEvent(ctx, e);
    checkActivity(ctx, e, el);
  }
}

function isSupportedType(e: ElementModel): boolean {
  return SIMPLE.has(e.type) || JOB_TASKS.has(e.type) || e.type in EVENT_KINDS || e.type === 'bpmn:ScriptTask' || e.type === 'bpmn:ReceiveTask' || e.type === 'bpmn:SubProcess';
}

function checkEvent(ctx: CheckContext, e: ElementModel): void {
  const allowed = EVENT_KINDS[e.type];
  if (!allowed || e.eventKind === undefined) return;
  if (e.eventKind === 'multiple') {
    ctx.report(e.id, `${label(e.type)} with several event definitions is not supported`, 'MULTIPLE_EVENT_DEFINITIONS', { type: e.type });
    return;
  }
  if (!allowed.includes(e.eventKind)) {
    const kind = e.eventKind === 'other' ? otherKind(e) : e.eventKind;
    const what = e.eventKind === 'none' ? `${article(label(e.type))} without event definition` : `${kind} ${label(e.type)}`;
    ctx.report(e.id, `${what} is not supported (supported: ${allowed.join(', ')})`, 'UNSUPPORTED_EVENT', { type: e.type, kind, allowed: allowed.join(',') });
    return;
  }
  if (e.eventKind === 'timer' && !e.timer) {
    ctx.report(e.id, 'timer event has no timeDuration, timeDate or timeCycle', 'TIMER_EMPTY');
  }
  if (e.eventKind === 'message') checkMessage(ctx, e);
  if (e.type === 'bpmn:EndEvent' && e.eventKind === 'error') {
    if (!e.error?.errorRef) ctx.report(e.id, 'error end event must reference an error (bpmn:error with an errorCode)', 'ERROR_REF_MISSING');
    else if (!e.error.errorCode) ctx.report(e.id, `error '${e.error.errorRef}' thrown by the end event has no errorCode`, 'ERROR_CODE_MISSING', { error: e.error.errorRef });
  }
  if (e.type === 'bpmn:BoundaryEvent' && e.eventKind === 'error' && e.cancelActivity === false) {
    ctx.report(e.id, 'error boundary events are always interrupting (cancelActivity must not be false)', 'ERROR_BOUNDARY_NON_INTERRUPTING');
  }
}

/** 'signal', 'escalation', ... for an unsupported event definition. */
function otherKind(e: ElementModel): string {
  const d = e.eventDefinitions?.[0];
  return d?.kind === 'other' ? label(d.type).replace(/ event definition$/, '') : 'unknown';
}

function checkMessage(ctx: CheckContext, e: ElementModel): void {
  if (!e.messageRef) {
    ctx.report(e.id, `${label(e.type)} must reference a message (messageRef)`, 'MESSAGE_MISSING', { type: e.type });
    return;
  }
  if (!e.messageName) ctx.report(e.id, `message '${e.messageRef}' of the ${label(e.type)} has no name`, 'MESSAGE_NAME_MISSING', { type: e.type, message: e.messageRef });
  const isProcessStart = e.type === 'bpmn:StartEvent' && e.parentId === null;
  if (!isProcessStart && !e.subscription?.correlationKey) {
    ctx.report(e.id, `message '${e.messageRef}' of the ${label(e.type)} has no correlation key (zeebe:subscription correlationKey)`, 'CORRELATION_KEY_MISSING', { type: e.type, message: e.messageRef });
  }
}

function checkActivity(ctx: CheckContext, e: ElementModel, el: ModdleElement): void {
  if (e.type === 'bpmn:ReceiveTask') checkMessage(ctx, e);
  if (JOB_TASKS.has(e.type)) {
    if (e.type === 'bpmn:BusinessRuleTask' && extension(el, 'zeebe:CalledDecision')) {
      ctx.report(e.id, 'DMN decisions (zeebe:calledDecision) are not supported; implement the business rule task with a job worker (zeebe:taskDefinition)', 'DMN_UNSUPPORTED');
    } else {
      checkJobType(ctx, e);
    }
  }
  if (e.type === 'bpmn:ScriptTask') checkScriptTask(ctx, e, el);
  if (e.type === 'bpmn:SubProcess' && e.triggeredByEvent) ctx.report(e.id, 'event sub-processes are not supported', 'EVENT_SUBPROCESS_UNSUPPORTED');
  if (e.type === 'bpmn:CallActivity') checkCallActivity(ctx, e);
  if (el['isForCompensation'] === true) ctx.report(e.id, 'compensation activities are not supported', 'COMPENSATION_UNSUPPORTED');
  const loop = child(el, 'loopCharacteristics');
  if (loop && loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
    ctx.report(e.id, 'standard loops are not supported; use multi-instance (parallel or sequential)', 'STANDARD_LOOP_UNSUPPORTED');
  }
  if (loop?.$type === 'bpmn:MultiInstanceLoopCharacteristics' && !e.loopCharacteristics?.inputCollection) {
    ctx.report(e.id, 'multi-instance activity needs an input collection (zeebe:loopCharacteristics inputCollection)', 'INPUT_COLLECTION_MISSING');
  }
  for (const ext of extensions(el)) {
    if (ext.$type === 'zeebe:ExecutionListeners' || ext.$type === 'zeebe:TaskListeners') {
      const kind = ext.$type === 'zeebe:ExecutionListeners' ? 'execution' : 'task';
      ctx.report(e.id, `${kind} listeners are not supported yet`, 'LISTENERS_UNSUPPORTED', { kind });
    }
  }
}

function checkJobType(ctx: CheckContext, e: ElementModel): void {
  if (!e.taskDefinition) {
    ctx.report(e.id, `${label(e.type)} needs a job type (zeebe:taskDefinition)`, 'JOB_TYPE_MISSING', { type: e.type });
  } else if (!e.taskDefinition.type || e.taskDefinition.type.trim() === '') {
    ctx.report(e.id, `${label(e.type)} has a zeebe:taskDefinition without a job type`, 'JOB_TYPE_MISSING', { type: e.type });
  }
}

const FEEL_ONLY = 'scripts must be FEEL expressions: use zeebe:script with an expression starting with \'=\' (or a job worker)';

function checkScriptTask(ctx: CheckContext, e: ElementModel, el: ModdleElement): void {
  const format = str(el, 'scriptFormat');
  const body = bodyOf(el, 'script') ?? (typeof el['script'] === 'string' ? (el['script'] as string) : null);
  if (format !== null || (body !== null && body.trim() !== '')) {
    ctx.report(e.id, `${format ?? 'inline'} script is refused: ${FEEL_ONLY}`, 'SCRIPT_NOT_FEEL');
    return;
  }
  if (e.script) {
    if (!e.script.expression) ctx.report(e.id, `script task has an empty zeebe:script: ${FEEL_ONLY}`, 'SCRIPT_NOT_FEEL');
    else if (!isExpression(e.script.expression)) ctx.report(e.id, `script '${e.script.expression}' is not a FEEL expression: ${FEEL_ONLY}`, 'SCRIPT_NOT_FEEL');
    if (!e.script.resultVariable) ctx.report(e.id, 'script task needs a result variable (zeebe:script resultVariable)', 'RESULT_VARIABLE_MISSING');
    return;
  }
  if (e.taskDefinition) {
    checkJobType(ctx, e);
    return;
  }
  ctx.report(e.id, `script task has no script: ${FEEL_ONLY}`, 'SCRIPT_NOT_FEEL');
}

function checkCallActivity(ctx: CheckContext, e: ElementModel): void {
  const processId = e.calledElement?.processId;
  if (!processId) {
    ctx.report(e.id, 'call activity needs the id of the process to call (zeebe:calledElement processId)', 'CALLED_PROCESS_MISSING');
    return;
  }
  if (ctx.knownProcessIds && !isExpression(processId) && !ctx.knownProcessIds.has(processId) && !ctx.deployedProcessIds.has(processId)) {
    ctx.report(e.id, `call activity calls process '${processId}', which is not deployed`, 'CALLED_PROCESS_UNKNOWN', { processId });
  }
}
