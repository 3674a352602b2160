// Expressions and literal values in a process: FEEL syntax wherever Zeebe takes an expression,
// the static/expression rules Zeebe applies per attribute, timer literals, variable names/paths.
import { evaluateString, FeelError, isExpression, parseFeel, stripExpressionMarker } from '../feel/index.ts';
import { elementsOf, type CheckContext } from './check-context.ts';
import { parseIsoDateTime } from './iso8601.ts';
import { checkTimer } from './timer.ts';
import type { ElementModel } from './types.ts';

type Rule = 'expression' | 'either';

/**
 * Check one attribute value. 'expression': must start with '=' (Zeebe: non-static);
 * 'either': static or FEEL. FEEL values must parse.
 */
function checkValue(ctx: CheckContext, id: string, what: string, value: string | null | undefined, rule: Rule): boolean {
  if (value === null || value === undefined) return false;
  if (!isExpression(value)) {
    if (rule === 'expression') {
      ctx.report(id, `${what} must be a FEEL expression starting with '=' (e.g. '=${value.trim() || 'x'}'), but was the static value '${value}'`, 'FEEL_EXPECTED', { what, value });
    }
    return false;
  }
  const problem = parseFeel(value);
  if (problem) ctx.report(id, `${what} is not a valid FEEL expression '${stripExpressionMarker(value).trim()}': ${problem}`, 'FEEL_INVALID', { what, expression: stripExpressionMarker(value).trim(), problem });
  return true;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const RESERVED = new Set(['null', 'true', 'false', 'function', 'if', 'then', 'else', 'for', 'return', 'between', 'instance', 'of', 'not', 'in', 'and', 'or', 'some', 'every', 'satisfies']);

function checkName(ctx: CheckContext, id: string, what: string, value: string | null | undefined, allowPath: boolean): void {
  if (value === null || value === undefined) return;
  const ok = (allowPath ? PATH : NAME).test(value) && !value.split('.').some((p) => RESERVED.has(p));
  if (!ok) ctx.report(id, `${what} '${value}' is not a valid variable ${allowPath ? 'name or path (e.g. order.total)' : 'name'}`, 'VARIABLE_NAME_INVALID', { what, value });
}

export function checkExpressions(ctx: CheckContext): void {
  for (const e of elementsOf(ctx)) {
    checkFlowCondition(ctx, e);
    checkTimerValue(ctx, e);
    checkMessageValues(ctx, e);
    checkTaskValues(ctx, e);
    checkUserTaskValues(ctx, e);
    checkMappings(ctx, e);
    checkLoop(ctx, e);
    // a static script is refused by validate-elements; here only FEEL syntax
    if (e.script?.expression) checkValue(ctx, e.id, 'script', e.script.expression, 'either');
    if (e.script?.resultVariable) checkName(ctx, e.id, 'result variable', e.script.resultVariable, false);
    if (e.calledElement?.processId) checkValue(ctx, e.id, 'called process id', e.calledElement.processId, 'either');
    if (e.error?.errorCode) checkValue(ctx, e.id, 'error code', e.error.errorCode, 'either');
  }
}

function checkFlowCondition(ctx: CheckContext, e: ElementModel): void {
  if (e.type !== 'bpmn:SequenceFlow' || e.conditionExpression === null || e.conditionExpression === undefined) return;
  if (e.conditionExpression === '') {
    ctx.report(e.id, 'condition expression is empty', 'CONDITION_EMPTY');
    return;
  }
  checkValue(ctx, e.id, 'condition', e.conditionExpression, 'expression');
}

function checkTimerValue(ctx: CheckContext, e: ElementModel): void {
  if (!e.timer) return;
  const { kind, value } = e.timer;
  if (value === '') {
    ctx.report(e.id, `${kind} is empty`, 'TIMER_VALUE_EMPTY', { timer: kind });
    return;
  }
  if (isExpression(value)) {
    checkValue(ctx, e.id, kind, value, 'either');
    return;
  }
  const problem = checkTimer(kind, value);
  if (problem) ctx.report(e.id, problem, 'TIMER_VALUE_INVALID', { timer: kind, value, problem });
}

function checkMessageValues(ctx: CheckContext, e: ElementModel): void {
  if (e.messageName && checkValue(ctx, e.id, 'message name', e.messageName, 'either') && e.type === 'bpmn:StartEvent' && e.parentId === null) {
    // A message start event subscribes at deployment, before any variable exists.
    try {
      evaluateString(e.messageName, {});
    } catch (err) {
      if (!(err instanceof FeelError)) throw err;
      ctx.report(e.id, `message name of a start event must evaluate without variables: ${err.message}`, 'MESSAGE_NAME_NOT_STATIC', { problem: err.message });
    }
  }
  if (e.subscription?.correlationKey) checkValue(ctx, e.id, 'correlation key', e.subscription.correlationKey, 'expression');
}

function checkTaskValues(ctx: CheckContext, e: ElementModel): void {
  const td = e.taskDefinition;
  if (!td) return;
  if (td.type) checkValue(ctx, e.id, 'job type', td.type, 'either');
  if (!checkValue(ctx, e.id, 'job retries', td.retries, 'either') && !/^\s*\d+\s*$/.test(td.retries)) {
    ctx.report(e.id, `job retries must be a whole number or a FEEL expression, but was '${td.retries}'`, 'JOB_RETRIES_INVALID', { value: td.retries });
  }
  for (const [key, value] of Object.entries(e.taskHeaders ?? {})) {
    if (key.trim() === '') ctx.report(e.id, `task header with value '${value}' has no key`, 'TASK_HEADER_KEY_MISSING', { value });
  }
}

function checkUserTaskValues(ctx: CheckContext, e: ElementModel): void {
  const a = e.assignmentDefinition;
  if (a) {
    checkValue(ctx, e.id, 'assignee', a.assignee, 'either');
    for (const [what, value] of [['candidate groups', a.candidateGroups], ['candidate users', a.candidateUsers]] as const) {
      if (!checkValue(ctx, e.id, what, value, 'either') && value !== null && !/^[^,]+(,[^,]+)*$/.test(value.trim())) {
        ctx.report(e.id, `${what} must be a list of comma-separated values, e.g. 'a,b,c', or a FEEL expression, but was '${value}'`, 'LIST_INVALID', { what, value });
      }
    }
  }
  const s = e.taskSchedule;
  if (s) {
    for (const [what, value] of [['due date', s.dueDate], ['follow-up date', s.followUpDate]] as const) {
      if (!checkValue(ctx, e.id, what, value, 'either') && value !== null) {
        try {
          parseIsoDateTime(value);
        } catch {
          ctx.report(e.id, `${what} must be an ISO 8601 date-time with offset, e.g. '2023-03-02T15:35+02:00', or a FEEL expression, but was '${value}'`, 'DATE_TIME_INVALID', { what, value });
        }
      }
    }
  }
  if (e.priority !== undefined) {
    if (e.priority === null) ctx.report(e.id, 'priority definition has no priority', 'PRIORITY_MISSING');
    else if (!checkValue(ctx, e.id, 'priority', e.priority, 'either')) {
      const n = Number(e.priority.trim());
      if (!/^\s*\d+\s*$/.test(e.priority) || n > 100) ctx.report(e.id, `priority must be a number between 0 and 100, but was '${e.priority}'`, 'PRIORITY_INVALID', { value: e.priority });
    }
  }
  const f = e.formDefinition;
  if (f) {
    const set = [f.formId, f.formKey, f.externalReference].filter((v) => v !== null).length;
    if (set !== 1) ctx.report(e.id, 'form definition needs exactly one of formId, formKey or externalReference', 'FORM_REFERENCE_AMBIGUOUS');
    if (!['latest', 'deployment', 'versionTag'].includes(f.bindingType)) ctx.report(e.id, `form binding type '${f.bindingType}' is not one of latest, deployment, versionTag`, 'FORM_BINDING_INVALID', { binding: f.bindingType });
    if (f.bindingType === 'versionTag' && !f.versionTag) ctx.report(e.id, 'form binding type versionTag needs a versionTag', 'FORM_VERSION_TAG_MISSING');
    if (f.formId) checkValue(ctx, e.id, 'form id', f.formId, 'either');
    if (f.externalReference) checkValue(ctx, e.id, 'external form reference', f.externalReference, 'either');
    if (f.formKey?.startsWith('camunda-forms:bpmn:') && !e.userTaskForm) {
      ctx.report(e.id, `form key '${f.formKey}' points to an embedded form (zeebe:userTaskForm) that the process does not define`, 'EMBEDDED_FORM_MISSING', { formKey: f.formKey });
    }
  }
}

function checkMappings(ctx: CheckContext, e: ElementModel): void {
  const io = e.ioMapping;
  if (!io) return;
  for (const input of io.inputs) {
    if (input.target === '') ctx.report(e.id, 'input mapping has no target variable', 'MAPPING_TARGET_MISSING', { direction: 'input' });
    else checkName(ctx, e.id, 'input mapping target', input.target, true);
    checkValue(ctx, e.id, `input mapping source for '${input.target}'`, input.source, 'either');
  }
  for (const output of io.outputs) {
    if (output.target === '') ctx.report(e.id, 'output mapping has no target variable', 'MAPPING_TARGET_MISSING', { direction: 'output' });
    else checkName(ctx, e.id, 'output mapping target', output.target, true);
    if (output.source === '') ctx.report(e.id, `output mapping for '${output.target}' has no source expression`, 'MAPPING_SOURCE_MISSING', { target: output.target });
    else checkValue(ctx, e.id, `output mapping source for '${output.target}'`, output.source, 'expression');
  }
}

function checkLoop(ctx: CheckContext, e: ElementModel): void {
  const l = e.loopCharacteristics;
  if (!l) return;
  checkValue(ctx, e.id, 'multi-instance input collection', l.inputCollection, 'expression');
  checkName(ctx, e.id, 'multi-instance input element', l.inputElement, false);
  checkName(ctx, e.id, 'multi-instance output collection', l.outputCollection, false);
  checkValue(ctx, e.id, 'multi-instance output element', l.outputElement, 'expression');
  if (l.outputCollection && !l.outputElement) ctx.report(e.id, 'multi-instance output collection needs an output element expression', 'OUTPUT_ELEMENT_MISSING');
  if (l.outputElement && !l.outputCollection) ctx.report(e.id, 'multi-instance output element needs an output collection', 'OUTPUT_COLLECTION_MISSING');
  if (l.completionCondition !== null && !checkValue(ctx, e.id, 'completion condition', l.completionCondition, 'either') && !['true', 'false'].includes(l.completionCondition.trim())) {
    ctx.report(e.id, `completion condition must be a FEEL expression starting with '=', but was '${l.completionCondition}'`, 'FEEL_EXPECTED', { what: 'completion condition', value: l.completionCondition });
  }
}
