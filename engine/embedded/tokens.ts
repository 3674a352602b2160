// Camunda makes a new element instance for every token that reaches an element, also while an
// earlier one is still active there. bpmn-elements runs an element once at a time and queues the
// next token until the element is left. Where a diagram can send a second token to an element that
// may still be busy (downstream of a non-interrupting boundary event that can fire again before its
// last firing's work is done), the element can be compiled as several copies: a router in front
// sends each token to a free copy, and a collector behind leaves by the element's own outgoing
// flows. Copies are named `<id>#<n>`; the runtime reports them under the original id and
// never reports the helpers (`<id>#route`, `<id>#leave`).
//
// Copies make every run of the instance dearer (bpmn-elements builds every element of a run), so an
// instance runs without them until a token reaches one of these elements while it is busy; that run
// is then dropped and done again on more copies, which the instance keeps from then on (runs.ts).

/** Tokens one element can hold at once at most; a further token waits until one of them is left. */
export const MAX_SLOTS = 512;

/** The copies to run on once a token found every copy of an element busy. */
export const moreSlots = (slots: number) => Math.min(MAX_SLOTS, slots < 8 ? 8 : slots * 4);

const FREE = '#free:';
const GATEWAYS = /^bpmn:(Exclusive|Parallel|Inclusive|EventBased|Complex)Gateway$/;
/** Elements a token passes at once: they never hold one while another arrives. */
const PASSING = new Set(['bpmn:EndEvent', 'bpmn:BoundaryEvent', 'bpmn:StartEvent']);
const CONTAINERS = /^bpmn:(SubProcess|AdHocSubProcess|Transaction)$/;

export const originalId = (id: string) => {
  const i = id.indexOf('#');
  return i < 0 ? id : id.slice(0, i);
};

export const isHelper = (id: string) => id.includes('#route') || id.includes('#leave');

/** The copy a router condition asks about, or null for any other expression. */
export function routeTarget(gatewayId: string, expr: unknown): string | null {
  if (typeof expr !== 'string' || !expr.startsWith(FREE) || !gatewayId.includes('#route')) return null;
  return expr.slice(FREE.length);
}

interface Mapped { activities: any[]; sequenceFlows: any[]; processes: any[] }

/**
 * The elements of a mapped bpmn-elements context that may be reached by a token while busy; with
 * `slots` above 1, the context is rewritten in place to hold that many tokens there (see the header).
 */
export function spreadTokens(m: Mapped, slots: number): string[] {
  const byId = new Map<string, any>(m.activities.map((a) => [a.id, a]));
  const depth = (a: any): number => (byId.has(a.parent.id) ? 1 + depth(byId.get(a.parent.id)) : 0);
  const containers = [
    ...m.activities.filter((a) => CONTAINERS.test(a.type)).sort((a, b) => depth(b) - depth(a)).map((a) => a.id),
    ...m.processes.map((p) => p.id),
  ];
  // Inner containers first: a copied sub-process then carries its routers along.
  return containers.flatMap((id) => spreadIn(m, id, slots));
}

function spreadIn(m: Mapped, containerId: string, slots: number): string[] {
  const acts = m.activities.filter((a) => a.parent.id === containerId);
  const flows = m.sequenceFlows.filter((f) => f.parent.id === containerId);
  const boundaries = (id: string) => acts.filter((a) => a.behaviour?.attachedTo?.id === id);
  const targets = (id: string) => flows.filter((f) => f.sourceId === id).map((f) => f.targetId);
  const next = (id: string) => [...targets(id), ...boundaries(id).flatMap((b) => targets(b.id))];
  const reach = (from: string[]) => {
    const seen = new Set<string>();
    for (const queue = [...from]; queue.length;) {
      const id = queue.shift()!;
      if (!seen.has(id)) { seen.add(id); queue.push(...next(id)); }
    }
    return seen;
  };
  const byId = new Map(acts.map((a) => [a.id, a]));
  const onLoop = (id: string) => reach(next(id)).has(id);
  const sources = acts.filter((b) => b.type === 'bpmn:BoundaryEvent' && b.behaviour?.cancelActivity === false && firesAgain(b, byId.get(b.behaviour.attachedTo?.id), onLoop));
  if (!sources.length) return [];

  const reached = reach(sources.flatMap((b) => targets(b.id)));
  const afterEventGateway = new Set(acts.filter((a) => a.type === 'bpmn:EventBasedGateway').flatMap((g) => targets(g.id)));
  const busy = [...reached].filter((id) => {
    const a = byId.get(id);
    return a && !GATEWAYS.test(a.type) && !PASSING.has(a.type) && !afterEventGateway.has(id);
  });
  if (slots > 1) for (const id of busy) spreadElement(m, containerId, byId.get(id), boundaries(id), slots);
  return busy;
}

/**
 * Whether a non-interrupting boundary event can fire again before the work it started is done: a
 * cycle timer or a message fires while its element is active; any boundary event fires once per
 * activation of an element that runs several times (multi-instance, or on a loop of the flow).
 */
function firesAgain(boundary: any, host: any, onLoop: (id: string) => boolean) {
  const definitions: any[] = boundary.behaviour?.eventDefinitions ?? [];
  if (definitions.some((d) => d.type !== 'bpmn:TimerEventDefinition' || d.behaviour?.timeCycle)) return true;
  return !!host && (!!host.behaviour?.loopCharacteristics || onLoop(host.id));
}

function spreadElement(m: Mapped, containerId: string, element: any, boundaries: any[], slots: number) {
  const parent = { ...element.parent };
  const copies = Array.from({ length: slots }, (_, n) => (n ? `#${n}` : ''));
  const unit = [element, ...boundaries];
  for (const suffix of copies.slice(1)) copyUnit(m, unit, containerId, suffix);

  // Leave each copy (and each copy's boundary events) by the element's own outgoing flows.
  for (const member of unit) {
    const leave = `${member.id}#leave`;
    for (const f of m.sequenceFlows) if (f.sourceId === member.id && f.parent.id === containerId) f.sourceId = leave;
    m.activities.push({ id: leave, type: 'bpmn:Task', parent, behaviour: { id: leave, $type: 'bpmn:Task' } });
    for (const suffix of copies) m.sequenceFlows.push(flow(`${member.id}${suffix}#out`, parent, `${member.id}${suffix}`, leave));
  }

  // Route each arriving token to a free copy; when all are taken it waits at the first.
  const route = `${element.id}#route`;
  for (const f of m.sequenceFlows) if (f.targetId === element.id && f.parent.id === containerId) f.targetId = route;
  m.activities.push({ id: route, type: 'bpmn:ExclusiveGateway', parent, behaviour: { id: route, $type: 'bpmn:ExclusiveGateway' } });
  for (const suffix of copies) {
    const target = `${element.id}${suffix}`;
    m.sequenceFlows.push(flow(`${route}${suffix || '#0'}`, parent, route, target, FREE + target));
  }
  m.sequenceFlows.push({ ...flow(`${route}#wait`, parent, route, element.id), isDefault: true });
}

/** Copies an element, its boundary events and (for a sub-process) everything inside it. */
function copyUnit(m: Mapped, unit: any[], containerId: string, suffix: string) {
  const inside = new Set(unit.filter((a) => CONTAINERS.test(a.type)).map((a) => a.id));
  const isInside = (parentId: string) => inside.has(parentId);
  for (let grew = true; grew;) {
    grew = false;
    for (const a of m.activities) if (isInside(a.parent.id) && !inside.has(a.id) && CONTAINERS.test(a.type)) { inside.add(a.id); grew = true; }
  }
  const moved = (id: string) => `${id}${suffix}`;
  const parentOf = (p: any) => (p.id === containerId ? { ...p } : { ...p, id: moved(p.id) });
  const acts = [...unit, ...m.activities.filter((a) => isInside(a.parent.id))];
  for (const a of acts) {
    const attachedTo = a.behaviour?.attachedTo;
    m.activities.push({
      ...a, id: moved(a.id), parent: parentOf(a.parent),
      behaviour: { ...a.behaviour, id: moved(a.id), ...(attachedTo && { attachedTo: { ...attachedTo, id: moved(attachedTo.id) } }) },
    });
  }
  for (const f of m.sequenceFlows.filter((x) => isInside(x.parent.id))) {
    const body = f.behaviour?.conditionExpression?.body;
    const copy = { ...f, id: moved(f.id), parent: parentOf(f.parent), sourceId: moved(f.sourceId), targetId: moved(f.targetId) };
    if (typeof body === 'string' && body.startsWith(FREE)) copy.behaviour = { ...f.behaviour, conditionExpression: { ...f.behaviour.conditionExpression, body: FREE + copy.targetId } };
    m.sequenceFlows.push(copy);
  }
}

function flow(id: string, parent: any, sourceId: string, targetId: string, condition?: string) {
  return {
    id, type: 'bpmn:SequenceFlow', parent, sourceId, targetId, isDefault: false,
    behaviour: { id, $type: 'bpmn:SequenceFlow', ...(condition && { conditionExpression: { $type: 'bpmn:FormalExpression', body: condition } }) },
  };
}
