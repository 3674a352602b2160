// Camunda makes a new element instance for every token that reaches an element, also while an
// earlier one is still active there: two branches of a parallel gateway that meet at a task
// without a join, a non-interrupting boundary event firing again before its last firing's work is
// done. bpmn-elements runs an element once at a time and queues the next token until the element is
// left. So an element can be compiled as several copies: a router in front (token-router.ts)
// sends each token to a free copy, and a collector behind leaves by the element's own outgoing flows. Copies are named
// `<id>#<n>`; the runtime reports them under the original id and never reports the helpers
// (`<id>#route`, `<id>#leave`).
//
// Copies make every run of the instance dearer (bpmn-elements builds every element of a run), so an
// instance runs without them until a token reaches an element while it is busy; that run is then
// dropped and done again with copies of that element, which the instance keeps (runs.ts).

/** Tokens one element can hold at once at most; a further token waits until one of them is left. */
export const MAX_SLOTS = 512;

/** The copies to run on once a token found every copy of an element busy. */
export const moreSlots = (slots: number) => Math.min(MAX_SLOTS, slots < 8 ? 8 : slots * 4);

/** Element id → how many tokens it holds at once, for the elements that hold more than one. */
export type Copies = Record<string, number>;

const FREE = '#free:';
/** Gateways a token passes at once (an event-based gateway waits for one of its events). */
const GATEWAYS = /^bpmn:(Exclusive|Parallel|Inclusive|Complex)Gateway$/;
const EVENT_GATEWAY = 'bpmn:EventBasedGateway';
/** Elements a token passes at once, and boundary events (copied with their element). */
const PASSING = new Set(['bpmn:EndEvent', 'bpmn:BoundaryEvent', 'bpmn:StartEvent']);
const CONTAINERS = /^bpmn:(SubProcess|AdHocSubProcess|Transaction)$/;

export const originalId = (id: string) => {
  const i = id.indexOf('#');
  return i < 0 ? id : id.slice(0, i);
};

export const isHelper = (id: string) => id.includes('#route') || id.includes('#leave') || id.includes('#via');

/** What a router asks the runtime to learn whether a copy is free (token-router.ts). */
export const freeQuestion = (copyId: string) => FREE + copyId;

/** The copy a router asks about, or null for any other expression. */
export function routeTarget(gatewayId: string, expr: unknown): string | null {
  if (typeof expr !== 'string' || !expr.startsWith(FREE) || !gatewayId.includes('#route')) return null;
  return expr.slice(FREE.length);
}

interface Mapped { activities: any[]; sequenceFlows: any[]; processes: any[] }

/**
 * The elements of a mapped bpmn-elements context that can hold a token while another arrives: not
 * gateways a token passes, not start, end or boundary events, and not the events of an event-based
 * gateway (the gateway holds the token, and they are copied with it).
 */
export function tokenHolders(m: Mapped): Set<string> {
  const gatewayEvents = new Set(m.activities.filter((a) => a.type === EVENT_GATEWAY).flatMap((g) => eventsOf(m, g.id)));
  return new Set(m.activities
    .filter((a) => !GATEWAYS.test(a.type) && !PASSING.has(a.type) && !gatewayEvents.has(a.id))
    .map((a) => a.id));
}

/** An event-based gateway's events. */
const eventsOf = (m: Mapped, gatewayId: string) => m.sequenceFlows.filter((f) => f.sourceId === gatewayId).map((f) => f.targetId);

/**
 * bpmn-elements takes one flow per target when an element leaves: a second flow from the same
 * element to the same target would carry no token, where Camunda sends one down each. Every such
 * further flow is led through a pass-through task of its own (`<flow id>#via`).
 */
export function separateFlows(m: Mapped) {
  const seen = new Set<string>();
  for (const f of [...m.sequenceFlows]) {
    const pair = `${f.sourceId}\n${f.targetId}`;
    if (!seen.has(pair)) { seen.add(pair); continue; }
    const via = `${f.id}#via`;
    m.activities.push({ id: via, type: 'bpmn:Task', parent: { ...f.parent }, behaviour: { id: via, $type: 'bpmn:Task' } });
    m.sequenceFlows.push(flow(`${via}#out`, { ...f.parent }, via, f.targetId));
    f.targetId = via;
  }
}

/** Rewrites a mapped bpmn-elements context in place so the given elements hold several tokens. */
export function spreadTokens(m: Mapped, copies: Copies) {
  if (!Object.keys(copies).length) return;
  const byId = new Map<string, any>(m.activities.map((a) => [a.id, a]));
  const depth = (a: any): number => (byId.has(a.parent.id) ? 1 + depth(byId.get(a.parent.id)) : 0);
  // Inner elements first: a copied sub-process then carries their routers along.
  const spread = Object.keys(copies).map((id) => byId.get(id)).filter(Boolean).sort((a, b) => depth(b) - depth(a));
  for (const element of spread) {
    const members = [element.id, ...(element.type === EVENT_GATEWAY ? eventsOf(m, element.id) : [])];
    const unit = m.activities.filter((a) => a.parent.id === element.parent.id &&
      (members.includes(a.id) || members.includes(a.behaviour?.attachedTo?.id)));
    spreadElement(m, element.parent.id, element, unit, copies[element.id]);
  }
}

/** `unit`: the element with its boundary events (and an event-based gateway's events), copied together. */
function spreadElement(m: Mapped, containerId: string, element: any, unit: any[], slots: number) {
  const parent = { ...element.parent };
  const copies = Array.from({ length: slots }, (_, n) => (n ? `#${n}` : ''));
  const inUnit = new Set(unit.map((a) => a.id));
  for (const suffix of copies.slice(1)) copyUnit(m, unit, inUnit, containerId, suffix);

  // Leave each copy (and each copy's boundary events) by the element's own outgoing flows.
  for (const member of unit) {
    const out = m.sequenceFlows.filter((f) => f.sourceId === member.id && f.parent.id === containerId && !inUnit.has(f.targetId));
    if (!out.length) continue;
    const leave = `${member.id}#leave`;
    for (const f of out) f.sourceId = leave;
    m.activities.push({ id: leave, type: 'bpmn:Task', parent, behaviour: { id: leave, $type: 'bpmn:Task' } });
    for (const suffix of copies) m.sequenceFlows.push(flow(`${member.id}${suffix}#out`, parent, `${member.id}${suffix}`, leave));
  }

  // Route each arriving token to a free copy; when all are taken it waits at the first.
  const route = `${element.id}#route`;
  for (const f of m.sequenceFlows) if (f.targetId === element.id && f.parent.id === containerId) f.targetId = route;
  m.activities.push({ id: route, type: 'gridflow:TokenRouter', parent, behaviour: { id: route, $type: 'gridflow:TokenRouter' } });
  for (const suffix of copies) m.sequenceFlows.push(flow(`${route}${suffix || '#0'}`, parent, route, `${element.id}${suffix}`));
  m.sequenceFlows.push({ ...flow(`${route}#wait`, parent, route, element.id), isDefault: true });
}

/** Copies a unit (see spreadElement), the flows between its members and (for a sub-process) everything inside it. */
function copyUnit(m: Mapped, unit: any[], inUnit: Set<string>, containerId: string, suffix: string) {
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
  for (const f of m.sequenceFlows.filter((x) => isInside(x.parent.id) || (inUnit.has(x.sourceId) && inUnit.has(x.targetId)))) {
    m.sequenceFlows.push({ ...f, id: moved(f.id), parent: parentOf(f.parent), sourceId: moved(f.sourceId), targetId: moved(f.targetId) });
  }
}

function flow(id: string, parent: any, sourceId: string, targetId: string) {
  return { id, type: 'bpmn:SequenceFlow', parent, sourceId, targetId, isDefault: false, behaviour: { id, $type: 'bpmn:SequenceFlow' } };
}
