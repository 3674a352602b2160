// When a timer start event fires next: the model's timer rules, with `=` FEEL evaluated without variables.
import { nextDue, parseTimer, type TimerModel } from '../model/index.ts';
import { evaluateFeel } from './feel.ts';

export interface StartTimerState { dueAt: number; repetitionsLeft: number | null }

export function nextStartTimer(timer: TimerModel, from: number, previous: StartTimerState | null): StartTimerState | null {
  const text = String(evaluateFeel(timer.value, {}, null, () => from));
  const parsed = parseTimer(timer.kind, text, { fromExpression: timer.value.startsWith('=') });
  const next = nextDue(parsed, new Date(from), previous ? { dueAt: new Date(previous.dueAt), repetitionsLeft: previous.repetitionsLeft } : undefined);
  return next && { dueAt: next.dueAt.getTime(), repetitionsLeft: next.repetitionsLeft };
}
