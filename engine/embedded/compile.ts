// Turns deployed BPMN into what bpmn-engine runs, once per process definition: parsing is far
// slower than executing, so every instance of a definition reuses the same serialized source.
import * as Elements from 'bpmn-elements';
import { BpmnModdle } from 'bpmn-moddle';
import { deserialize, map, TypeResolver } from 'moddle-context-serializer';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { ClockTimerEventDefinition } from './timer-definition.ts';
import { separateFlows, spreadTokens, tokenHolders, type Copies } from './tokens.ts';
import { RepeatingMessageEventDefinition } from './message-definition.ts';
import { TokenRouter } from './token-router.ts';

/**
 * Zeebe runs every job-based task (service, send, business rule, FEEL script) as a wait state
 * that a worker or the runtime completes, so they all behave as bpmn-elements' SignalTask.
 * Timers run on the runtime's clock and Camunda's timer rules (timer-definition.ts); a
 * non-interrupting message boundary event fires for every message (message-definition.ts).
 */
export const elements = {
  ...Elements,
  ServiceTask: Elements.SignalTask,
  SendTask: Elements.SignalTask,
  BusinessRuleTask: Elements.SignalTask,
  ScriptTask: Elements.SignalTask,
  UserTask: Elements.SignalTask,
  ManualTask: Elements.Task,
  TimerEventDefinition: ClockTimerEventDefinition,
  MessageEventDefinition: RepeatingMessageEventDefinition,
  TokenRouter,
};

const typeResolver = TypeResolver(elements as never);

export interface CompiledProcess {
  processDefinitionId: string;
  sourceContext: unknown;
  /** elements that can hold a token while another arrives (tokens.ts) */
  holders: Set<string>;
  /** the elements compiled to hold several tokens at once, and how many */
  copies: Copies;
}

function onlyStart(mapped: any, processId: string, startAt: string | null) {
  const others = new Set<string>(mapped.activities
    .filter((a: any) => a.type === 'bpmn:StartEvent' && a.parent.id === processId && a.id !== startAt)
    .map((a: any) => a.id));
  // Their outgoing flows stay, never taken: without them, the elements they lead to would start too.
  mapped.activities = mapped.activities.filter((a: any) => !others.has(a.id));
}

/** Zeebe's loop characteristics become bpmn-elements' collection loop, evaluated as FEEL. */
function extendFn(mapped: any) {
  const b = mapped.loopCharacteristics?.behaviour;
  const values: any[] = b?.extensionElements?.values ?? [];
  const loop = values.find((v) => v.$type === 'zeebe:LoopCharacteristics');
  if (loop) {
    if (loop.inputCollection) b.collection = loop.inputCollection;
    b.elementVariable = loop.inputElement || 'item';
  }
  return mapped;
}

/**
 * `copies`: elements that hold several tokens at once (tokens.ts). `startAt`: compile for starting
 * an instance at this start event, without the process's other start events: bpmn-elements runs
 * every start event of a process it starts, and a none start event would run through at once.
 */
export async function compile(xml: string, processDefinitionId: string, copies: Copies = {}, startAt?: string | null): Promise<CompiledProcess> {
  const moddle = new BpmnModdle({ zeebe });
  const parsed = await moddle.fromXML(xml);
  const mapped: any = map(parsed as never, extendFn as never);
  if (startAt !== undefined) onlyStart(mapped, processDefinitionId, startAt);
  separateFlows(mapped);
  const holders = tokenHolders(mapped);
  spreadTokens(mapped, copies);
  const sourceContext: any = deserialize(mapped, typeResolver);
  let found = false;
  for (const p of sourceContext.elements.processes) {
    p.behaviour.isExecutable = p.id === processDefinitionId;
    found ||= p.id === processDefinitionId;
  }
  if (!found) throw new Error(`process '${processDefinitionId}' not found in its resource`);
  return { processDefinitionId, sourceContext, holders, copies };
}
