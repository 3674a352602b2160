// Diagram interchange for the shipped programmes: a left-to-right layered layout in which each
// path keeps its own row (the main path straight, branches and boundary paths below it),
// expanded sub-processes laid out inside their frame, boundary events on their host's lower edge
// and orthogonal flows. The semantic model is kept as it is; only the DI is replaced.
import { BpmnModdle } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import modeler from 'modeler-moddle/resources/modeler.json' with { type: 'json' };

const GAP_X = 50;
const GAP_Y = 40;
const PAD = { x: 30, top: 40, bottom: 30 };
const BOUNDARY = 36;

interface Box { x: number; y: number; width: number; height: number }
interface Placed { el: any; box: Box }

const sizeOf = (type: string): { width: number; height: number } =>
  /Event$/.test(type) ? { width: 36, height: 36 } : /Gateway$/.test(type) ? { width: 50, height: 50 } : { width: 100, height: 80 };

/** bpmn-moddle with the Zeebe and modeler extensions; `create` is moddle's, untyped in engine/vendor.d.ts. */
export const newModdle = () => new BpmnModdle({ zeebe, modeler }) as BpmnModdle & { create(type: string, attrs?: Record<string, unknown>): any };

/** The XML with its DI replaced by a fresh layout. */
export async function layoutDiagram(xml: string): Promise<string> {
  const moddle = newModdle();
  const { rootElement: definitions } = await moddle.fromXML(xml);
  const process = definitions.rootElements.find((e: any) => e.$type === 'bpmn:Process');
  const placed: Placed[] = [];
  const flows: any[] = [];
  layoutContainer(process, 0, 0, placed, flows);
  // The modeler writes each node's incoming and outgoing flows; linters read them.
  for (const f of flows) { f.sourceRef.outgoing = []; f.targetRef.incoming = []; }
  for (const f of flows) { f.sourceRef.outgoing.push(f); f.targetRef.incoming.push(f); }
  const byId = new Map(placed.map((p) => [p.el.id, p.box]));
  const planeElements: any[] = [];
  for (const { el, box } of placed) {
    const shape = moddle.create('bpmndi:BPMNShape', { id: `${el.id}_di`, bpmnElement: el, bounds: moddle.create('dc:Bounds', { ...box }) });
    if (el.$type === 'bpmn:SubProcess') shape.isExpanded = true;
    if (el.$type === 'bpmn:ExclusiveGateway') shape.isMarkerVisible = true;
    if (el.name && (/Event$/.test(el.$type) || /Gateway$/.test(el.$type))) {
      shape.label = moddle.create('bpmndi:BPMNLabel', { bounds: moddle.create('dc:Bounds', { x: box.x + box.width / 2 - 50, y: box.y + box.height + 4, width: 100, height: 27 }) });
    }
    planeElements.push(shape);
  }
  const obstacles = placed.filter((p) => p.el.$type !== 'bpmn:SubProcess');
  for (const f of flows) {
    const from = byId.get(f.sourceRef.id)!;
    const to = byId.get(f.targetRef.id)!;
    const skip = new Set([f.sourceRef.id, f.targetRef.id, f.sourceRef.attachedToRef?.id]);
    const candidates = routes(from, to, f.sourceRef.$type === 'bpmn:BoundaryEvent');
    const waypoints = candidates.find((c) => isClear(c, obstacles, skip)) ?? candidates[0]!;
    planeElements.push(moddle.create('bpmndi:BPMNEdge', { id: `${f.id}_di`, bpmnElement: f, waypoint: waypoints.map((p) => moddle.create('dc:Point', p)) }));
  }
  const plane = moddle.create('bpmndi:BPMNPlane', { id: `${process.id}_plane`, bpmnElement: process, planeElement: planeElements });
  definitions.diagrams = [moddle.create('bpmndi:BPMNDiagram', { id: `${process.id}_diagram`, plane })];
  const { xml: out } = await moddle.toXML(definitions, { format: true });
  return out;
}

/** Lays out the flow nodes of a process or sub-process with its top left at (x0, y0); returns its size. */
function layoutContainer(container: any, x0: number, y0: number, placed: Placed[], flows: any[]): { width: number; height: number } {
  const elements: any[] = container.flowElements ?? [];
  const nodes = elements.filter((e) => e.$type !== 'bpmn:SequenceFlow' && e.$type !== 'bpmn:BoundaryEvent' && !/DataObject|DataStore/.test(e.$type));
  const boundaries = elements.filter((e) => e.$type === 'bpmn:BoundaryEvent');
  const seq = elements.filter((e) => e.$type === 'bpmn:SequenceFlow');
  flows.push(...seq);
  const out = new Map<string, any[]>();
  for (const f of seq) (out.get(f.sourceRef.id) ?? out.set(f.sourceRef.id, []).get(f.sourceRef.id)!).push(f.targetRef);
  const boundariesOf = new Map<string, any[]>();
  for (const b of boundaries) (boundariesOf.get(b.attachedToRef.id) ?? boundariesOf.set(b.attachedToRef.id, []).get(b.attachedToRef.id)!).push(b);
  // Successors for layering: a host's boundary paths follow the host.
  const next = (n: any): any[] => [...(out.get(n.id) ?? []), ...(boundariesOf.get(n.id) ?? []).flatMap((b) => out.get(b.id) ?? [])];

  // Sizes (sub-processes first, laid out at the origin and moved afterwards).
  const inner = new Map<string, { placed: Placed[]; size: { width: number; height: number } }>();
  const size = (n: any) => inner.get(n.id)?.size ?? sizeOf(n.$type);
  for (const n of nodes) {
    if (n.$type === 'bpmn:SubProcess') {
      const p: Placed[] = [];
      const s = layoutContainer(n, PAD.x, PAD.top, p, flows);
      inner.set(n.id, { placed: p, size: { width: s.width + 2 * PAD.x, height: s.height + PAD.top + PAD.bottom } });
    }
  }

  // Layers: longest path over the flows that are not back edges.
  const starts = nodes.filter((n) => !seq.some((f) => f.targetRef.id === n.id));
  const layer = new Map<string, number>();
  const row = new Map<string, number>();
  const onStack = new Set<string>();
  const back = new Set<string>();
  const visit = (n: any) => {
    onStack.add(n.id);
    for (const m of next(n)) {
      if (onStack.has(m.id)) { back.add(`${n.id}>${m.id}`); continue; }
      if (!layer.has(m.id) || layer.get(m.id)! < layer.get(n.id)! + 1) { layer.set(m.id, layer.get(n.id)! + 1); visit(m); }
    }
    onStack.delete(n.id);
  };
  for (const s of starts) { layer.set(s.id, 0); visit(s); }
  for (const n of nodes) if (!layer.has(n.id)) { layer.set(n.id, 0); visit(n); }

  // Rows: the first successor continues its predecessor's row, every other one opens a new row.
  let rows = 0;
  const assign = (n: any, r: number) => {
    row.set(n.id, r);
    let first = true;
    for (const m of out.get(n.id) ?? []) {
      if (row.has(m.id) || back.has(`${n.id}>${m.id}`)) continue;
      if (first && layer.get(m.id)! > layer.get(n.id)!) { first = false; assign(m, r); } else assign(m, ++rows);
    }
    for (const b of boundariesOf.get(n.id) ?? []) for (const m of out.get(b.id) ?? []) if (!row.has(m.id)) assign(m, ++rows);
  };
  for (const s of starts) if (!row.has(s.id)) assign(s, row.size === 0 ? 0 : ++rows);
  for (const n of nodes) if (!row.has(n.id)) assign(n, ++rows);

  // Columns and rows take the size of their largest node.
  const colWidth: number[] = [];
  const rowHeight: number[] = [];
  for (const n of nodes) {
    const { width, height } = size(n);
    const c = layer.get(n.id)!, r = row.get(n.id)!;
    colWidth[c] = Math.max(colWidth[c] ?? 0, width);
    rowHeight[r] = Math.max(rowHeight[r] ?? 0, height + ((boundariesOf.get(n.id)?.length ?? 0) > 0 ? BOUNDARY / 2 : 0));
  }
  const colX: number[] = [];
  for (let c = 0, x = x0; c < colWidth.length; c++) { colX[c] = x; x += (colWidth[c] ?? 0) + GAP_X; }
  const rowY: number[] = [];
  for (let r = 0, y = y0; r < rowHeight.length; r++) { rowY[r] = y; y += (rowHeight[r] ?? 0) + GAP_Y + 20; }

  for (const n of nodes) {
    const { width, height } = size(n);
    const c = layer.get(n.id)!, r = row.get(n.id)!;
    // Centred on the row's axis for ordinary nodes; sub-processes hang from the row's top.
    const axis = rowY[r]! + Math.min(40, (rowHeight[r] ?? 80) / 2);
    const y = n.$type === 'bpmn:SubProcess' ? rowY[r]! : axis - height / 2;
    const box = { x: colX[c]! + ((colWidth[c] ?? width) - width) / 2, y: Math.round(y), width, height };
    if (n.$type === 'bpmn:SubProcess') box.x = colX[c]!;
    placed.push({ el: n, box });
    const sub = inner.get(n.id);
    if (sub) for (const p of sub.placed) placed.push({ el: p.el, box: { ...p.box, x: p.box.x + box.x, y: p.box.y + box.y } });
    (boundariesOf.get(n.id) ?? []).forEach((b, i) => {
      placed.push({ el: b, box: { x: box.x + box.width - (i + 1) * (BOUNDARY + 24), y: box.y + box.height - BOUNDARY / 2, width: BOUNDARY, height: BOUNDARY } });
    });
  }
  const width = colWidth.reduce((a, w) => a + (w ?? 0) + GAP_X, 0) - GAP_X;
  const height = rowHeight.reduce((a, h) => a + (h ?? 0) + GAP_Y + 20, 0) - GAP_Y - 20;
  return { width: Math.max(width, 100), height: Math.max(height, 80) };
}

type Point = { x: number; y: number };

/** Whether no segment of the path crosses a shape other than those skipped. */
function isClear(path: Point[], obstacles: Placed[], skip: Set<string | undefined>): boolean {
  for (let i = 1; i < path.length; i++) {
    const [p, q] = [path[i - 1]!, path[i]!];
    const seg = { x: Math.min(p.x, q.x), y: Math.min(p.y, q.y), width: Math.abs(p.x - q.x) || 1, height: Math.abs(p.y - q.y) || 1 };
    for (const o of obstacles) {
      if (skip.has(o.el.id)) continue;
      const b = o.box;
      if (seg.x < b.x + b.width + 4 && b.x - 4 < seg.x + seg.width && seg.y < b.y + b.height + 4 && b.y - 4 < seg.y + seg.height) return false;
    }
  }
  return true;
}

/** The direct route first, then detours along lanes below and above both shapes. */
function routes(a: Box, b: Box, fromBoundary: boolean): Point[][] {
  const out = [route(a, b, fromBoundary)];
  const acx = a.x + a.width / 2, bcx = b.x + b.width / 2;
  const start = fromBoundary ? { x: acx, y: a.y + a.height } : null;
  for (const d of [30, 42, 54, 66, 78]) {
    const below = Math.max(a.y + a.height, b.y + b.height) + d;
    out.push([start ?? { x: acx, y: a.y + a.height }, { x: acx, y: below }, { x: bcx, y: below }, { x: bcx, y: b.y + b.height }]);
    if (!fromBoundary) {
      const above = Math.min(a.y, b.y) - d;
      out.push([{ x: acx, y: a.y }, { x: acx, y: above }, { x: bcx, y: above }, { x: bcx, y: b.y }]);
    }
  }
  return out;
}

/** Orthogonal waypoints from one shape to another. */
function route(a: Box, b: Box, fromBoundary: boolean): Point[] {
  const acx = a.x + a.width / 2, acy = a.y + a.height / 2;
  const bcx = b.x + b.width / 2, bcy = b.y + b.height / 2;
  if (fromBoundary) return [{ x: acx, y: a.y + a.height }, { x: acx, y: bcy }, { x: b.x, y: bcy }];
  if (b.x > a.x + a.width) {
    if (Math.abs(acy - bcy) < 1) return [{ x: a.x + a.width, y: acy }, { x: b.x, y: bcy }];
    // Leave from the top or bottom, then run along the target's row.
    return bcy > acy
      ? [{ x: acx, y: a.y + a.height }, { x: acx, y: bcy }, { x: b.x, y: bcy }]
      : [{ x: a.x + a.width, y: acy }, { x: bcx, y: acy }, { x: bcx, y: b.y + b.height }];
  }
  // A flow back: below both shapes, then up into the target.
  const below = Math.max(a.y + a.height, b.y + b.height) + 30;
  return [{ x: acx, y: a.y + a.height }, { x: acx, y: below }, { x: bcx, y: below }, { x: bcx, y: b.y + b.height }];
}
