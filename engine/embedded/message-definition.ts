// bpmn-elements' message event definition, with one change: a non-interrupting message boundary
// event stays subscribed after a message triggers it, as in Zeebe, where every correlated message
// triggers it again while the element it is attached to is active. It re-arms the way a cycle
// timer does (bpmn-elements' boundary event restarts on 'execute.repeat').
import { MessageEventDefinition } from 'bpmn-elements';

const Base: any = MessageEventDefinition;

export function RepeatingMessageEventDefinition(this: any, activity: any, eventDefinition: any) {
  Base.call(this, activity, eventDefinition);
}
RepeatingMessageEventDefinition.prototype = Object.create(Base.prototype, { constructor: { value: RepeatingMessageEventDefinition, writable: true } });

RepeatingMessageEventDefinition.prototype._complete = function complete(this: any, ...args: unknown[]) {
  const { activity } = this;
  if (activity.attachedTo && activity.behaviour?.cancelActivity === false) {
    const content = this[Symbol.for('executeMessage')]?.content;
    if (content) this.broker.publish('execution', 'execute.repeat', { ...content, repeat: -1 });
  }
  return Base.prototype._complete.apply(this, args);
};
