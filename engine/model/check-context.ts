// What every deployment check gets: the process read so far, the moddle elements behind it and a
// way to report a problem against an element.
import type { ModdleElement } from './moddle.ts';
import type { ElementModel, ProcessModel } from './types.ts';

export interface CheckContext {
  model: ProcessModel;
  sources: Map<string, ModdleElement>;
  /** Ids of processes known to the engine (deployed before), when the caller knows them. */
  knownProcessIds?: Set<string>;
  /** Ids of the executable processes in this deployment. */
  deployedProcessIds: Set<string>;
  /** `code` and `params` say what is wrong for clients that word it themselves (DeploymentProblem). */
  report(elementId: string | null, message: string, code?: string, params?: Record<string, string | number>): void;
}

export type Check = (ctx: CheckContext) => void;

export function elementsOf(ctx: CheckContext): ElementModel[] {
  return Object.values(ctx.model.elements);
}

/** 'service task', 'boundary event', ... for messages. */
export function label(type: string): string {
  return type.replace(/^bpmn:/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** 'a task', 'an end event'. */
export function article(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}
