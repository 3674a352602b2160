// A deployed diagram in bpmn-js's NavigatedViewer (pan and zoom), with the instance's state drawn
// on it: active elements, elements passed, incidents, and the sequence flows taken. A diagram
// without diagram interchange (deployed from code) is laid out in the browser first.
import NavigatedViewerModule from 'bpmn-js/lib/NavigatedViewer.js';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import './diagram-view.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { defineMessages } from '../core/i18n.ts';
import { Button } from './components.tsx';

const t = defineMessages({
  zh: { active: '进行中', done: '已完成', incident: '故障', taken: '已走过的路径', fit: '适应窗口', zoomIn: '放大', zoomOut: '缩小', failed: '流程图无法显示：{detail}', diagram: '流程图' },
  en: { active: 'Active', done: 'Completed', incident: 'Incident', taken: 'Path taken', fit: 'Fit', zoomIn: 'Zoom in', zoomOut: 'Zoom out', failed: 'The diagram cannot be shown: {detail}', diagram: 'Diagram' },
});

export interface DiagramState {
  active: string[];
  /** Every element an instance of which started (active, completed or terminated). */
  visited: string[];
  completed: string[];
  incidents: string[];
}

interface Viewer { importXML(xml: string): Promise<unknown>; get(service: string): unknown; destroy(): void }
// bpmn-js's declarations are ES module ones in a CommonJS-typed package: the class is the default export.
const NavigatedViewer = NavigatedViewerModule as unknown as new (options: { container: HTMLElement }) => Viewer;
interface Canvas { addMarker(id: string, marker: string): void; zoom(level?: 'fit-viewport' | number, center?: 'auto'): number; resized(): void; scrollToElement(el: unknown, padding?: number): void }
interface DiagramElement { id: string; type: string; source?: { id: string }; target?: { id: string }; businessObject?: { $type?: string } }

const BPMN_NS = 'http://www.omg.org/spec/BPMN/20100524/MODEL';

/** bpmn-auto-layout follows each node's incoming/outgoing references: write any that are missing. */
function withFlowRefs(xml: string): string {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) return xml;
  const byId = new Map<string, Element>();
  for (const el of Array.from(doc.getElementsByTagNameNS(BPMN_NS, '*'))) { const id = el.getAttribute('id'); if (id) byId.set(id, el); }
  const ensure = (node: Element | undefined, kind: 'incoming' | 'outgoing', flowId: string) => {
    if (!node || Array.from(node.children).some((c) => c.localName === kind && c.textContent === flowId)) return;
    const ref = doc.createElementNS(BPMN_NS, `${node.prefix ? `${node.prefix}:` : ''}${kind}`);
    ref.textContent = flowId;
    node.appendChild(ref);
  };
  for (const flow of Array.from(doc.getElementsByTagNameNS(BPMN_NS, 'sequenceFlow'))) {
    const id = flow.getAttribute('id');
    if (!id) continue;
    ensure(byId.get(flow.getAttribute('sourceRef') ?? ''), 'outgoing', id);
    ensure(byId.get(flow.getAttribute('targetRef') ?? ''), 'incoming', id);
  }
  return new XMLSerializer().serializeToString(doc);
}

async function importWithLayout(viewer: Viewer, xml: string): Promise<void> {
  if (!/BPMNPlane/.test(xml)) {
    const { layoutProcess } = await import('bpmn-auto-layout');
    xml = await layoutProcess(withFlowRefs(xml));
  }
  await viewer.importXML(xml);
}

export function DiagramView({ xml, state, height = 420 }: { xml: string; state: DiagramState; height?: number }) {
  const host = useRef<HTMLDivElement>(null);
  const viewer = useRef<Viewer | null>(null);
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    const v = new NavigatedViewer({ container: host.current! });
    viewer.current = v;
    let live = true;
    importWithLayout(v, xml).then(() => {
      if (!live) return;
      const canvas = v.get('canvas') as Canvas;
      const registry = v.get('elementRegistry') as { getAll(): DiagramElement[] };
      const visited = new Set(state.visited);
      const completed = new Set(state.completed);
      for (const id of state.completed) safe(() => canvas.addMarker(id, 'gf-done'));
      for (const id of state.active) safe(() => canvas.addMarker(id, 'gf-active'));
      for (const id of state.incidents) safe(() => canvas.addMarker(id, 'gf-incident'));
      for (const el of registry.getAll()) {
        if (el.type === 'bpmn:SequenceFlow' && el.source && el.target && completed.has(el.source.id) && visited.has(el.target.id)) canvas.addMarker(el.id, 'gf-taken');
      }
      // A large diagram fitted whole is unreadable: show the active part at a readable scale instead.
      if (canvas.zoom('fit-viewport', 'auto') < 0.5 && state.active.length > 0) {
        const el = (v.get('elementRegistry') as { get(id: string): unknown }).get(state.active[0]!);
        if (el) { canvas.zoom(0.8); canvas.scrollToElement(el, 200); }
      }
    }, (err: unknown) => { if (live) setError(err instanceof Error ? err.message : String(err)); });
    return () => { live = false; v.destroy(); viewer.current = null; };
  }, [xml, JSON.stringify(state)]);

  const zoom = (by: number | 'fit') => {
    const canvas = viewer.current?.get('canvas') as Canvas | undefined;
    if (!canvas) return;
    if (by === 'fit') canvas.zoom('fit-viewport', 'auto');
    else canvas.zoom(canvas.zoom() * by);
  };

  return (
    <div class="diagram">
      {error && <div class="alert alert-error" role="alert">{t('failed', { detail: error })}</div>}
      <div class="diagram-canvas" ref={host} style={{ height: `${height}px` }} role="region" aria-label={t('diagram')} />
      <div class="diagram-bar">
        <ul class="legend" aria-label={t('diagram')}>
          <li><span class="swatch swatch-active" />{t('active')}</li>
          <li><span class="swatch swatch-done" />{t('done')}</li>
          <li><span class="swatch swatch-taken" />{t('taken')}</li>
          <li><span class="swatch swatch-incident" />{t('incident')}</li>
        </ul>
        <div class="row">
          <Button size="sm" onClick={() => zoom(1.2)} aria-label={t('zoomIn')}>＋</Button>
          <Button size="sm" onClick={() => zoom(1 / 1.2)} aria-label={t('zoomOut')}>－</Button>
          <Button size="sm" onClick={() => zoom('fit')}>{t('fit')}</Button>
        </div>
      </div>
    </div>
  );
}

function safe(fn: () => void): void {
  try { fn(); } catch { /* an element of another version of the diagram */ }
}
