// The shape of the process: sequence flows, gateways, start events, boundary events, and which
// timer kind each timer event may use.
import { article, elementsOf, label, type CheckContext } from './check-context.ts';
import type { ElementModel, TimerKind } from './types.ts';

const ACTIVITIES = new Set([
  'bpmn:Task', 'bpmn:ManualTask', 'bpmn:UserTask', 'bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask',
  'bpmn:ScriptTask', 'bpmn:ReceiveTask', 'bpmn:SubProcess', 'bpmn:CallActivity',
]);
const CONDITIONAL_SOURCES = new Set(['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway']);

export function checkFlows(ctx: CheckContext): void {
  const all = elementsOf(ctx);
  for (const e of all) {
    if (e.type === 'bpmn:SequenceFlow') checkSequenceFlow(ctx, e);
    if (CONDITIONAL_SOURCES.has(e.type)) checkConditionalGateway(ctx, e);
    else if (e.default) ctx.report(e.id, `default flows are only supported on exclusive and inclusive gateways, not on ${article(label(e.type))}`, 'DEFAULT_FLOW_NOT_ALLOWED', { type: e.type });
    if (e.type === 'bpmn:EventBasedGateway') checkEventBasedGateway(ctx, e);
    if (e.type === 'bpmn:BoundaryEvent') checkBoundary(ctx, e);
    if (e.type === 'bpmn:StartEvent' && e.incoming.length > 0) ctx.report(e.id, 'start event must not have incoming sequence flows', 'START_EVENT_INCOMING');
    checkTimerKind(ctx, e);
  }
  checkStartEvents(ctx, all, null);
  for (const sub of all.filter((e) => e.type === 'bpmn:SubProcess' && !e.triggeredByEvent)) checkStartEvents(ctx, all, sub);
}

function flow(ctx: CheckContext, id: string): ElementModel | undefined {
  return ctx.model.elements[id];
}

function checkSequenceFlow(ctx: CheckContext, e: ElementModel): void {
  const source = e.sourceRef ? flow(ctx, e.sourceRef) : undefined;
  const target = e.targetRef ? flow(ctx, e.targetRef) : undefined;
  if (!source) ctx.report(e.id, e.sourceRef ? `sequence flow source '${e.sourceRef}' does not exist` : 'sequence flow has no source', 'FLOW_END_MISSING', { end: 'source', ...(e.sourceRef && { ref: e.sourceRef }) });
  if (!target) ctx.report(e.id, e.targetRef ? `sequence flow target '${e.targetRef}' does not exist` : 'sequence flow has no target', 'FLOW_END_MISSING', { end: 'target', ...(e.targetRef && { ref: e.targetRef }) });
  if (source && target && source.parentId !== target.parentId) {
    ctx.report(e.id, `sequence flow connects '${source.id}' and '${target.id}', which are not in the same (sub-)process`, 'FLOW_CROSSES_SCOPE', { source: source.id, target: target.id });
  }
  if (source && e.conditionExpression && !CONDITIONAL_SOURCES.has(source.type)) {
    ctx.report(e.id, `conditions are only supported on sequence flows leaving exclusive or inclusive gateways, not ${article(label(source.type))}`, 'CONDITION_NOT_ALLOWED', { type: source.type });
  }
}

function checkConditionalGateway(ctx: CheckContext, e: ElementModel): void {
  if (e.default && !e.outgoing.includes(e.default)) {
    ctx.report(e.id, `default flow '${e.default}' is not an outgoing sequence flow of the gateway`, 'DEFAULT_FLOW_NOT_OUTGOING', { flow: e.default });
  }
  if (e.default && flow(ctx, e.default)?.conditionExpression) {
    ctx.report(e.default, 'the default flow of a gateway must not have a condition', 'DEFAULT_FLOW_CONDITION');
  }
  if (e.outgoing.length <= 1) return;
  for (const id of e.outgoing) {
    if (id === e.default) continue;
    if (!flow(ctx, id)?.conditionExpression) {
      ctx.report(id, `sequence flow leaves ${label(e.type)} '${e.id}' without a condition and is not its default flow`, 'CONDITION_MISSING', { type: e.type, gateway: e.id });
    }
  }
}

function checkEventBasedGateway(ctx: CheckContext, e: ElementModel): void {
  if (e.outgoing.length < 2) ctx.report(e.id, 'event-based gateway needs at least two outgoing sequence flows', 'EVENT_GATEWAY_OUTGOING');
  for (const id of e.outgoing) {
    const targetId = flow(ctx, id)?.targetRef;
    const target = targetId ? flow(ctx, targetId) : undefined;
    if (target && !(target.type === 'bpmn:IntermediateCatchEvent' && (target.eventKind === 'timer' || target.eventKind === 'message'))) {
      ctx.report(id, `event-based gateway '${e.id}' may only lead to timer or message intermediate catch events, not ${article(label(target.type))}`, 'EVENT_GATEWAY_TARGET', { gateway: e.id, type: target.type });
    }
  }
}

function checkBoundary(ctx: CheckContext, e: ElementModel): void {
  const host = e.attachedToRef ? flow(ctx, e.attachedToRef) : undefined;
  if (!host) ctx.report(e.id, e.attachedToRef ? `boundary event is attached to '${e.attachedToRef}', which does not exist` : 'boundary event is not attached to an activity', 'BOUNDARY_HOST_MISSING', { ...(e.attachedToRef && { ref: e.attachedToRef }) });
  else if (!ACTIVITIES.has(host.type)) ctx.report(e.id, `boundary events can only be attached to activities, not ${article(label(host.type))}`, 'BOUNDARY_HOST_NOT_ACTIVITY', { type: host.type });
  if (e.incoming.length > 0) ctx.report(e.id, 'boundary event must not have incoming sequence flows', 'BOUNDARY_INCOMING');
  if (e.outgoing.length === 0) ctx.report(e.id, 'boundary event needs an outgoing sequence flow', 'BOUNDARY_OUTGOING_MISSING');
}

const TIMER_KINDS: Array<[(e: ElementModel) => boolean, string, TimerKind[]]> = [
  [(e) => e.type === 'bpmn:StartEvent', 'timer start event', ['timeDate', 'timeCycle']],
  [(e) => e.type === 'bpmn:IntermediateCatchEvent', 'intermediate timer catch event', ['timeDuration', 'timeDate']],
  [(e) => e.type === 'bpmn:BoundaryEvent' && e.cancelActivity !== false, 'interrupting timer boundary event', ['timeDuration', 'timeDate']],
  [(e) => e.type === 'bpmn:BoundaryEvent' && e.cancelActivity === false, 'non-interrupting timer boundary event', ['timeDuration', 'timeDate', 'timeCycle']],
];

function checkTimerKind(ctx: CheckContext, e: ElementModel): void {
  if (!e.timer) return;
  const rule = TIMER_KINDS.find(([applies]) => applies(e));
  if (rule && !rule[2].includes(e.timer.kind)) {
    ctx.report(e.id, `${article(rule[1])} cannot use ${e.timer.kind} (allowed: ${rule[2].join(', ')})`, 'TIMER_KIND_NOT_ALLOWED', { type: e.type, timer: e.timer.kind, allowed: rule[2].join(',') });
  }
}

function checkStartEvents(ctx: CheckContext, all: ElementModel[], scope: ElementModel | null): void {
  const parentId = scope?.id ?? null;
  const starts = all.filter((e) => e.type === 'bpmn:StartEvent' && e.parentId === parentId);
  if (scope) {
    if (starts.length !== 1) ctx.report(scope.id, `embedded sub-process needs exactly one start event, found ${starts.length}`, 'SUBPROCESS_START_COUNT', { count: starts.length });
    for (const s of starts) if (s.eventKind !== 'none') ctx.report(s.id, 'the start event of an embedded sub-process must be a none start event', 'SUBPROCESS_START_NOT_NONE');
    return;
  }
  if (starts.length === 0) ctx.report(ctx.model.processDefinitionId, 'process has no start event', 'START_EVENT_MISSING');
  if (starts.filter((s) => s.eventKind === 'none').length > 1) ctx.report(ctx.model.processDefinitionId, 'process has more than one none start event', 'SEVERAL_NONE_START_EVENTS');
  const names = new Map<string, string>();
  for (const s of starts) {
    if (s.eventKind !== 'message' || !s.messageName) continue;
    const other = names.get(s.messageName);
    if (other) ctx.report(s.id, `message start events '${other}' and '${s.id}' wait for the same message '${s.messageName}'`, 'MESSAGE_START_DUPLICATE', { other, message: s.messageName });
    else names.set(s.messageName, s.id);
  }
}
