// The router in front of an element's copies (tokens.ts): it sends a token to the first free copy
// and, unlike an exclusive gateway, does not discard its other flows. bpmn-elements discards every
// flow a gateway does not take, and the discard runs on through the copies and everything after
// them: a parallel join further on would count it as that branch's token and go on early. A
// discard reaching the router itself goes on through the element, as it would without copies.
// Written against bpmn-elements 17's Activity (`_doOutbound`, `_doRunOutbound`): it has no
// public way for an element to take one flow and leave the others alone.
import { Activity } from 'bpmn-elements';
import { freeQuestion } from './tokens.ts';

const Base = Activity as unknown as new (...args: unknown[]) => any;

function RouterBehaviour(this: any, activity: any) {
  this.broker = activity.broker;
}
RouterBehaviour.prototype.execute = function execute(this: any, { content }: any) {
  this.broker.publish('execution', 'execute.completed', { ...content });
};

class RouterActivity extends Base {
  _doOutbound(fromMessage: any, isDiscarded: boolean, callback: (err: Error | null, outbound?: unknown[]) => void) {
    const flows: any[] = this.outbound;
    const wait = flows.find((f) => f.isDefault);
    // Copies' flows come in order, the default one (to the first copy, where a token waits when all are busy) last.
    const free = (f: any) => this.environment.resolveExpression(freeQuestion(f.targetId), fromMessage) === true;
    const to = isDiscarded ? wait : flows.find((f) => !f.isDefault && free(f)) ?? wait;
    const outbound = [{ id: to.id, action: isDiscarded ? 'discard' : 'take', targetId: to.targetId }];
    this._doRunOutbound(outbound, fromMessage.content, fromMessage.content.discardSequence);
    callback(null, outbound);
  }
}

export function TokenRouter(activityDef: unknown, context: unknown) {
  return new RouterActivity(RouterBehaviour, activityDef, context);
}
