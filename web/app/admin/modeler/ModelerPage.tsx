// The modeler page (administrators): open a deployed process (any version), a shipped programme,
// an uploaded .bpmn or a blank diagram; edit it with the Camunda 8 properties panel; check it
// with Camunda 8.8's linting (errors block deployment, warnings are shown); deploy it as a new
// version; download its XML.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from '../../core/api.ts';
import type { PageProps } from '../../page.ts';
import { formatNumber, getLocale, useLocale } from '../../core/i18n.ts';
import { setQuery } from '../../core/router.ts';
import { deployResource, download } from '../deployments.ts';
import { blankDiagram } from './blank.ts';
import { t } from './messages.ts';
import { createModeler, destroyModeler, ensureExecutionPlatform, lint, processIdOf, showReport, type BpmnModeler, type LintReport } from './modeler.ts';
import { Badge, Button, Card, PageHeader } from '../../ui/components.tsx';
import { lintMessage } from './lint-messages.ts';
import { deployProblemsOf, deployProblemText } from './deploy-problems.ts';
import '../admin.css';

interface Definition { processDefinitionId: string; processDefinitionKey: string; version: number; name?: string | null; versionTag?: string | null }
interface Version extends Definition { activeInstances: number }
interface Programme { file: string; processId: string | null; name: string | null }
/** What is on the canvas: a deployed version, or something not deployed yet. */
interface Current { processId: string | null; name: string; key?: string; version?: number }
type Notice = { kind: 'ok' | 'error' | 'info'; text: string; details?: string[] } | null;

/** Screen pixels the palette covers on the canvas's left. */
const PALETTE_STRIP = 150;

/** Fits the diagram into view, leaving the palette's strip on the left free (never larger than 1:1). */
function fitBesidePalette(m: BpmnModeler): void {
  type Box = { x: number; y: number; width: number; height: number };
  const canvas = m.get<{ zoom(v?: string | number, center?: string): number; viewbox(box?: Box): Box & { scale: number; inner: Box } }>('canvas');
  canvas.zoom('fit-viewport');
  const { scale, inner } = canvas.viewbox();
  if (!inner.width || !inner.height) return;
  const left = PALETTE_STRIP / scale;
  const margin = 24 / scale;
  canvas.viewbox({ x: inner.x - left, y: inner.y - margin, width: inner.width + left + margin, height: inner.height + 2 * margin });
  if (canvas.zoom() > 1) {
    canvas.zoom(1);
    const now = canvas.viewbox();
    canvas.viewbox({ x: inner.x - PALETTE_STRIP, y: inner.y - 40, width: now.width, height: now.height });
  }
}

/** The server's deployment warnings; the one it gives today in Chinese too. */
function deployWarning(w: string): string {
  const m = /^Element '(.+)' of process '(.+)' uses job type '(.+)', which no in-process handler serves; an external worker must\.$/.exec(w);
  return m && getLocale() === 'zh' ? `元素 ${m[1]} 的作业类型 ${m[3]} 没有平台内的处理器，需由外部作业处理器完成。` : w;
}

const detailOf = (err: unknown) => (err instanceof ApiError || err instanceof Error ? err.message : String(err));

async function loadTemplates(): Promise<unknown[] | null> {
  try {
    const r = await api.get<unknown>('/api/plugins/templates');
    const list = Array.isArray(r) ? r : (r as { items?: unknown[] } | undefined)?.items;
    return Array.isArray(list) ? list : null;
  } catch {
    return null; // no plugins feature (yet), or not allowed: model without templates
  }
}

export default function ModelerPage({ query }: PageProps) {
  const locale = useLocale();
  const canvasRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const modelerRef = useRef<BpmnModeler | null>(null);
  const xmlRef = useRef<string | null>(null);
  const lintTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [processes, setProcesses] = useState<Definition[]>([]);
  const [programmes, setProgrammes] = useState<Programme[]>([]);
  const [templates, setTemplates] = useState<unknown[] | null | undefined>(undefined);
  const [current, setCurrent] = useState<Current | null>(null);
  const [versions, setVersions] = useState<Version[]>([]);
  const [reports, setReports] = useState<LintReport[]>([]);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);

  const relint = async () => {
    const m = modelerRef.current;
    if (!m) return;
    const found = await lint(m);
    if (modelerRef.current === m) setReports(found);
  };

  const refreshLists = async () => {
    const [defs, progs] = await Promise.all([
      api.post<{ items: Definition[] }>('/v2/process-definitions/search', { filter: { isLatestVersion: true }, sort: [{ field: 'processDefinitionId' }], page: { limit: 1000 } }).catch(() => ({ items: [] })),
      api.get<{ items: Programme[] }>('/api/admin/programmes').catch(() => ({ items: [] })),
    ]);
    setProcesses(defs.items);
    setProgrammes(progs.items);
  };

  const refreshVersions = async (processId: string | null) => {
    if (!processId) { setVersions([]); return; }
    try {
      setVersions((await api.get<{ items: Version[] }>(`/api/admin/processes/${encodeURIComponent(processId)}/versions`)).items);
    } catch {
      setVersions([]);
    }
  };

  /** Puts a diagram on the canvas; `next` says what it is. */
  const open = async (xml: string, next: Current) => {
    const m = modelerRef.current;
    if (!m) return;
    try {
      await m.importXML(xml);
    } catch (err) {
      if (modelerRef.current === m) setNotice({ kind: 'error', text: t('loadFailed', { detail: detailOf(err) }) });
      return;
    }
    // A language switch may have replaced this modeler while the diagram was read.
    if (modelerRef.current !== m) return;
    ensureExecutionPlatform(m);
    fitBesidePalette(m);
    xmlRef.current = xml;
    const processId = processIdOf(m) ?? next.processId;
    setCurrent({ ...next, processId });
    setDirty(false);
    await relint();
    await refreshVersions(processId);
  };

  const confirmDiscard = () => !dirty || window.confirm(t('discard'));

  const openVersion = async (key: string) => {
    if (!confirmDiscard()) return;
    setNotice(null);
    try {
      const [xml, def] = await Promise.all([
        fetch(`/v2/process-definitions/${key}/xml`, { credentials: 'same-origin' }).then(async (r) => {
          if (!r.ok) throw new Error(`HTTP ${r.status}`);
          return r.text();
        }),
        api.get<Definition>(`/v2/process-definitions/${key}`),
      ]);
      await open(xml, { processId: def.processDefinitionId, name: def.name ?? def.processDefinitionId, key, version: def.version });
      setQuery({ key });
    } catch (err) {
      setNotice({ kind: 'error', text: t('loadFailed', { detail: detailOf(err) }) });
    }
  };

  const openBlank = async () => {
    if (!confirmDiscard()) return;
    setNotice(null);
    await open(blankDiagram(t('blankName')), { processId: null, name: t('blankName') });
    setQuery({ key: null });
  };

  const openProgramme = async (p: Programme) => {
    if (!confirmDiscard()) return;
    setNotice(null);
    try {
      const res = await fetch(`/api/admin/programmes/${encodeURIComponent(p.file)}`, { credentials: 'same-origin' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      await open(await res.text(), { processId: p.processId, name: p.name ?? p.file });
      setQuery({ key: null });
    } catch (err) {
      setNotice({ kind: 'error', text: t('loadFailed', { detail: detailOf(err) }) });
    }
  };

  const upload = async (file: File) => {
    if (!confirmDiscard()) return;
    setNotice(null);
    try {
      const xml = await file.text();
      await open(xml, { processId: null, name: file.name.replace(/\.(bpmn|xml)$/i, '') });
      setQuery({ key: null });
    } catch (err) {
      setNotice({ kind: 'error', text: t('uploadFailed', { name: file.name, detail: detailOf(err) }) });
    }
  };

  const xmlNow = async () => (await modelerRef.current!.saveXML({ format: true })).xml ?? '';

  const downloadXml = async () => {
    const id = current?.processId ?? 'diagram';
    download(`${id}${current?.version ? `-v${current.version}` : ''}.bpmn`, await xmlNow(), 'application/xml');
  };

  const deploy = async () => {
    const m = modelerRef.current;
    if (!m) return;
    setBusy(true);
    setNotice(null);
    try {
      const found = await lint(m);
      setReports(found);
      const errors = found.filter((r) => r.category === 'error' || r.category === 'rule-error');
      if (errors.length > 0) {
        setNotice({ kind: 'error', text: t('errorsBlock', { count: errors.length }) });
        return;
      }
      const processId = processIdOf(m) ?? 'process';
      const answer = await deployResource(`${processId}.bpmn`, await xmlNow());
      const deployed = answer.deployments.map((d) => d.processDefinition).find((d) => d?.processDefinitionId === processId) ?? answer.deployments[0]?.processDefinition;
      if (!deployed) throw new Error('no process in the deployment');
      const wasLatest = versions[0]?.version;
      const details = (answer.warnings ?? []).map(deployWarning);
      setNotice(wasLatest !== undefined && deployed.processDefinitionVersion <= wasLatest
        ? { kind: 'info', text: t('unchanged', { version: deployed.processDefinitionVersion }), details }
        : { kind: 'ok', text: t('deployed', { id: deployed.processDefinitionId, version: deployed.processDefinitionVersion }), details });
      setQuery({ key: deployed.processDefinitionKey });
      setCurrent({ processId: deployed.processDefinitionId, name: current?.name ?? deployed.processDefinitionId, key: deployed.processDefinitionKey, version: deployed.processDefinitionVersion });
      setDirty(false);
      await Promise.all([refreshVersions(deployed.processDefinitionId), refreshLists()]);
    } catch (err) {
      const problems = deployProblemsOf(err);
      setNotice(problems
        ? { kind: 'error', text: t('deployRefused', { count: problems.length }), details: problems.map(deployProblemText) }
        : { kind: 'error', text: t('deployFailed', { detail: detailOf(err) }) });
    } finally {
      setBusy(false);
    }
  };

  // The modeler is made for one language: a switch makes it anew, with the diagram as it was.
  useEffect(() => {
    let cancelled = false;
    let m: BpmnModeler | null = null;
    (async () => {
      const found = templates === undefined ? await loadTemplates() : templates;
      if (cancelled) return;
      if (templates === undefined) setTemplates(found);
      m = createModeler({ canvas: canvasRef.current!, panel: panelRef.current!, locale, templates: found ?? [] });
      modelerRef.current = m;
      m.on('commandStack.changed', () => {
        setDirty(true);
        void m!.saveXML({ format: true }).then((r) => { if (r.xml) xmlRef.current = r.xml; });
        clearTimeout(lintTimer.current);
        lintTimer.current = setTimeout(() => void relint(), 300);
      });
      const previous = xmlRef.current;
      if (previous && current) {
        const wasDirty = dirty;
        await open(previous, current);
        setDirty(wasDirty);
      } else if (/^[0-9]{1,19}$/.test(query.get('key') ?? '')) {
        await openVersion(query.get('key')!);
      } else {
        await open(blankDiagram(t('blankName')), { processId: null, name: t('blankName') });
      }
    })();
    return () => {
      cancelled = true;
      clearTimeout(lintTimer.current);
      // xmlRef keeps the diagram as last changed, for the next modeler (language switch).
      if (m) destroyModeler(m);
      modelerRef.current = null;
    };
  }, [locale]);

  useEffect(() => { void refreshLists(); }, []);

  const errors = reports.filter((r) => r.category === 'error' || r.category === 'rule-error');
  const warnings = reports.filter((r) => r.category === 'warn');
  const latestVersion = versions[0]?.version;

  return (
    <div class="gf-admin gf-modeler">
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      <div class="gf-toolbar" role="toolbar" aria-label={t('title')}>
        <label class="gf-field-inline">
          <span>{t('process')}</span>
          <select
            class="select" data-testid="process-select"
            value={current?.key && processes.some((p) => p.processDefinitionKey === current.key) ? current.key : ''}
            onChange={(e) => { const v = (e.target as HTMLSelectElement).value; if (v) void openVersion(v); }}
          >
            <option value="">{t('chooseProcess')}</option>
            {processes.map((p) => (
              <option key={p.processDefinitionKey} value={p.processDefinitionKey}>
                {(p.name ?? p.processDefinitionId)} · v{p.version}
              </option>
            ))}
          </select>
        </label>
        <label class="gf-field-inline">
          <span>{t('newDiagram')}</span>
          <select
            class="select" data-testid="new-select"
            value=""
            onChange={(e) => {
              const v = (e.target as HTMLSelectElement).value;
              (e.target as HTMLSelectElement).value = '';
              if (v === '#blank') void openBlank();
              else { const p = programmes.find((x) => x.file === v); if (p) void openProgramme(p); }
            }}
          >
            <option value="">{t('newChoose')}</option>
            <option value="#blank">{t('blank')}</option>
            {programmes.map((p) => <option key={p.file} value={p.file}>{t('fromProgramme', { name: p.name ?? p.file })}</option>)}
          </select>
        </label>
        <label class="btn gf-file-button">
          {t('upload')}
          <input
            type="file" accept=".bpmn,.xml,application/xml,text/xml" class="gf-visually-hidden" data-testid="upload"
            onChange={(e) => { const f = (e.target as HTMLInputElement).files?.[0]; (e.target as HTMLInputElement).value = ''; if (f) void upload(f); }}
          />
        </label>
        <Button onClick={() => void downloadXml()}>{t('download')}</Button>
        <span class="grow" />
        <Button variant="primary" data-testid="deploy" busy={busy} onClick={() => void deploy()}>
          {busy ? t('deploying') : t('deploy')}
        </Button>
      </div>
      <p class="gf-status-line" data-testid="modeler-status">
        <strong>{t('editing', { name: current?.name ?? '…' })}</strong>
        {current?.processId && <code>{current.processId}</code>}
        {current?.version !== undefined
          ? <span>{t('basedOn', { version: current.version })}{latestVersion !== undefined && current.version < latestVersion ? ` ${t('olderVersion')}` : ''}</span>
          : <span>{latestVersion !== undefined ? t('notDeployedOf', { version: latestVersion }) : t('newUnsaved')}</span>}
        {dirty && current?.version !== undefined && <Badge tone="warning">{t('unsaved')}</Badge>}
        {templates === null && <span class="muted">{t('noTemplates')}</span>}
        {templates && templates.length > 0 && <span class="muted">{t('templates', { count: templates.length })}</span>}
      </p>
      {notice && <div class={`alert ${notice.kind === 'error' ? 'alert-error' : notice.kind === 'ok' ? 'alert-success' : 'alert-info'}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="modeler-notice">
          {notice.text}
          {notice.details && notice.details.length > 0 && <ul>{notice.details.map((d, i) => <li key={i}>{d}</li>)}</ul>}
        </div>}
      <div class="gf-modeler-body">
        <div class="gf-modeler-canvas" ref={canvasRef} data-testid="canvas" />
        <aside class="gf-modeler-panel" ref={panelRef} data-testid="properties-panel" aria-label={t('properties')} />
      </div>
      <div class="gf-modeler-foot">
        <Card title={<>{t('problems')} <Badge tone={errors.length ? 'danger' : 'success'}>{t('errors', { count: formatNumber(errors.length) })}</Badge> <Badge tone={warnings.length ? 'warning' : 'success'}>{t('warnings', { count: formatNumber(warnings.length) })}</Badge></>}>
          {reports.length === 0 ? <p class="muted">{t('noProblems')}</p> : (
            <ul class="gf-list" data-testid="problems">
              {reports.map((r, i) => (
                <li key={`${r.id}-${r.rule}-${i}`}>
                  <button type="button" class="gf-link" onClick={() => modelerRef.current && showReport(modelerRef.current, r)}>
                    <Badge tone={r.category === 'warn' ? 'warning' : 'danger'}>{r.category === 'warn' ? t('warning') : t('error')}</Badge>{' '}
                    <code>{r.id}</code> {lintMessage(r)}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title={t('versions')}>
          {versions.length === 0 ? <p class="muted">{t('noVersions')}</p> : (
            <ul class="gf-list gf-versions" data-testid="versions">
              {versions.map((v) => (
                <li key={v.processDefinitionKey} data-version={v.version}>
                  <span class="gf-version-name">{t('version', { version: v.version })}</span>
                  {v.version === latestVersion && <Badge tone="success">{t('latest')}</Badge>}
                  {v.versionTag && <Badge>{v.versionTag}</Badge>}
                  <span class="muted small">{t('activeInstances', { count: formatNumber(v.activeInstances) })}</span>
                  <span class="grow" />
                  {current?.key === v.processDefinitionKey
                    ? <span class="muted small">{t('opened')}</span>
                    : <Button size="sm" variant="ghost" onClick={() => void openVersion(v.processDefinitionKey)}>{t('open')}</Button>}
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </div>
  );
}
