// bpmn-elements' timer event definition with two changes: due dates count from the runtime's
// clock (bpmn-elements reads the wall clock, so a timer armed while the runtime's clock runs
// ahead of it, as in tests or after a correction, was due at once), and timer values are read
// by Camunda's rules (engine/model/timer.ts: ISO 8601 durations, dates and repeating intervals,
// and cron cycles, which bpmn-elements would parse as ISO 8601 and fail on).
import { TimerEventDefinition } from 'bpmn-elements';
import { nextDue, parseTimer, type TimerDue } from '../model/index.ts';

const Base: any = TimerEventDefinition;
const timerTypes = ['timeDuration', 'timeDate', 'timeCycle'] as const;

/** The clock the run hands bpmn-engine with its timers (instance.ts). */
const clockOf = (environment: any): number => environment.timers?.now?.() ?? Date.now();

export function ClockTimerEventDefinition(this: any, activity: any, eventDefinition: any) {
  Base.call(this, activity, eventDefinition);
}
ClockTimerEventDefinition.prototype = Object.create(Base.prototype, { constructor: { value: ClockTimerEventDefinition, writable: true } });

/** When the timer is due and how often bpmn-elements repeats it (-1: until the element is left). */
function due(kind: typeof timerTypes[number], text: string, now: number, fromExpression: boolean, repeated: boolean) {
  const timer = parseTimer(kind, text, { fromExpression });
  let next: TimerDue | null = nextDue(timer, new Date(now));
  // A cycle restarted after a firing whose start has passed continues from now, not at once.
  if (next && repeated && next.dueAt.getTime() <= now) next = nextDue(timer, new Date(now), next);
  if (!next) throw new TypeError(`${kind} '${text}' has no time left to fire`);
  const repeat = timer.type === 'cron' ? -1 : timer.type === 'cycle' ? timer.repetitions ?? -1 : undefined;
  return { expireAt: next.dueAt, repeat };
}

ClockTimerEventDefinition.prototype._getTimers = function getTimers(this: any, executeMessage: any) {
  const content = executeMessage.content;
  const now = clockOf(this.environment);
  const result: any = { ...('expireAt' in content && { expireAt: new Date(content.expireAt) }) };
  const repeated = !!content.inbound?.[0] && 'repeat' in content.inbound[0];
  for (const timerType of timerTypes) {
    if (timerType in content) result[timerType] = content[timerType];
    else if (timerType in this) result[timerType] = this.environment.resolveExpression(this[timerType], executeMessage);
    else continue;
    const value = result[timerType];
    const fromExpression = String(this[timerType] ?? '').startsWith('=');
    const { expireAt, repeat } = value ? due(timerType, String(value), now, fromExpression, repeated) : { expireAt: new Date(now), repeat: undefined };
    if (!('expireAt' in result) || result.expireAt > expireAt) Object.assign(result, { timerType, expireAt, repeat });
  }
  // A timer start event's timer is fired by the runtime's scheduler, which started the instance
  // for it (embedded-runtime.ts); inside the instance it never fires at once by itself, or a
  // start event the instance did not start from (discarded right after) would go on.
  if (this.activity.type === 'bpmn:StartEvent' && 'expireAt' in result && result.expireAt.getTime() <= now) result.expireAt = new Date(now + 1);
  if ('expireAt' in result) result.timeout = result.expireAt.getTime() - now;
  else if ('timeout' in content) result.timeout = content.timeout;
  else if (!Object.keys(result).length) result.timeout = 0;
  if (repeated) result.repeat = content.inbound[0].repeat;
  return result;
};
