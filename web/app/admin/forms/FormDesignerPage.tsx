// The form designer (administrators): form-js's editor on a deployed form (any version) or a new
// one; a preview that runs the server's own validation (POST /api/forms/preview) on sample data;
// save = deploy a new version (POST /api/forms); the versions; the process tasks that link it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from '../../core/api.ts';
import { getLocale, useLocale } from '../../core/i18n.ts';
import type { PageProps } from '../../page.ts';
import { Badge, Button, Card, PageHeader, errorText } from '../../ui/components.tsx';
import { blankForm, createFormEditor, type FormEditorLike, type FormSchema } from './editor.ts';
import { localizeFormEditor } from './editor-zh.ts';
import { schemaProblemText, type SchemaProblem as Problem } from './schema-problems.ts';
import { t } from './messages.ts';
import '../admin.css';

interface FormSummary { formId: string; version: number; formKey: string; versionTag: string | null }
interface FormLink { formId: string; processDefinitionId: string; processName: string | null; version: number; latestVersion: boolean; elementId: string; elementName: string | null }
interface PreviewField { path: string; id: string; label: string; type: string; required: boolean; hidden: boolean; readonly: boolean; disabled: boolean }
interface PreviewAnswer { ok: boolean; fields: PreviewField[]; errors: Array<{ path: string; label: string; message: string; code: string }> }
interface Current { formId: string; version?: number }
/** `schema`: what was sent, whose fields the problems name. */
type Notice = { kind: 'ok' | 'error' | 'info'; text: string; problems?: Problem[]; schema?: FormSchema } | null;

/** The problems of a schema the server refused (each worded from its code), or undefined for another error. */
const problemsOf = (err: unknown) => (err instanceof ApiError && Array.isArray(err.problem.problems) ? err.problem.problems as Problem[] : undefined);
/** Any other failure: the session, permission or network in the user's words, else the server's detail. */
const failureOf = (err: unknown) => (err instanceof ApiError && ![401, 403, 404].includes(err.status) ? detailOf(err) : errorText(err));

const FORM_ID = /^[A-Za-z_][\w.-]{0,254}$/;
const detailOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export default function FormDesignerPage({ query }: PageProps) {
  const locale = useLocale();
  const containerRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<FormEditorLike | null>(null);
  const schemaRef = useRef<FormSchema | null>(null);
  const [forms, setForms] = useState<FormSummary[]>([]);
  const [current, setCurrent] = useState<Current | null>(null);
  const [versions, setVersions] = useState<FormSummary[]>([]);
  const [links, setLinks] = useState<FormLink[]>([]);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const [newId, setNewId] = useState('');
  const [sample, setSample] = useState('{}');
  const [preview, setPreview] = useState<PreviewAnswer | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);

  const refreshForms = async () => {
    try { setForms((await api.get<{ items: FormSummary[] }>('/api/forms')).items); } catch { setForms([]); }
  };
  const refreshAbout = async (formId: string) => {
    const [v, l] = await Promise.all([
      api.get<{ items: FormSummary[] }>(`/api/forms/${encodeURIComponent(formId)}/versions`).then((r) => r.items).catch(() => []),
      api.get<{ items: FormLink[] }>(`/api/admin/form-links?formId=${encodeURIComponent(formId)}`).then((r) => r.items).catch(() => []),
    ]);
    setVersions(v);
    setLinks(l);
  };

  const show = async (schema: FormSchema, next: Current) => {
    const e = editorRef.current;
    if (!e) return;
    try {
      await e.importSchema(schema);
    } catch (err) {
      setNotice({ kind: 'error', text: t('loadFailed', { detail: detailOf(err) }) });
      return;
    }
    schemaRef.current = schema;
    setCurrent(next);
    setDirty(false);
    setPreview(null);
    await refreshAbout(next.formId);
  };

  const confirmDiscard = () => !dirty || window.confirm(t('discard'));

  const openVersion = async (formId: string, version?: number) => {
    if (!confirmDiscard()) return;
    setNotice(null);
    try {
      const path = version === undefined ? `/api/forms/${encodeURIComponent(formId)}` : `/api/forms/${encodeURIComponent(formId)}/versions/${version}`;
      const f = await api.get<FormSummary & { schema: FormSchema }>(path);
      await show(f.schema, { formId: f.formId, version: f.version });
    } catch (err) {
      setNotice({ kind: 'error', text: t('loadFailed', { detail: failureOf(err) }) });
    }
  };

  const createNew = async () => {
    const id = newId.trim();
    if (!FORM_ID.test(id)) { setNotice({ kind: 'error', text: t('badId') }); return; }
    if (forms.some((f) => f.formId === id)) {
      await openVersion(id);
      setNotice({ kind: 'info', text: t('exists', { id }) });
      return;
    }
    if (!confirmDiscard()) return;
    setNotice(null);
    setNewId('');
    await show(blankForm(id, t('newTitle')), { formId: id });
  };

  const schemaNow = (): FormSchema => {
    const schema = editorRef.current!.saveSchema();
    return { ...schema, id: current?.formId ?? schema.id };
  };

  const save = async () => {
    if (!editorRef.current || !current) return;
    setBusy(true);
    setNotice(null);
    const schema = schemaNow();
    try {
      const r = await api.post<{ formId: string; version: number; created: boolean }>('/api/forms', schema);
      setNotice(r.created ? { kind: 'ok', text: t('saved', { id: r.formId, version: r.version }) } : { kind: 'info', text: t('unchanged', { version: r.version }) });
      setCurrent({ formId: r.formId, version: r.version });
      setDirty(false);
      await Promise.all([refreshForms(), refreshAbout(r.formId)]);
    } catch (err) {
      const problems = problemsOf(err);
      setNotice({ kind: 'error', text: problems ? t('problems', { count: problems.length }) : t('saveFailed', { detail: failureOf(err) }), problems, schema });
    } finally {
      setBusy(false);
    }
  };

  const check = async () => {
    if (!editorRef.current) return;
    let data: unknown;
    try { data = JSON.parse(sample || '{}'); } catch { data = null; }
    if (!data || typeof data !== 'object' || Array.isArray(data)) { setPreviewError(t('badJson')); setPreview(null); return; }
    setPreviewError(null);
    setChecking(true);
    const schema = schemaNow();
    try {
      setPreview(await api.post<PreviewAnswer>('/api/forms/preview', { schema, data, locale: getLocale() }));
    } catch (err) {
      const problems = problemsOf(err);
      setPreviewError(problems ? `${t('problems', { count: problems.length })} ${problems.map((p) => schemaProblemText(p, schema)).join('；')}` : failureOf(err));
      setPreview(null);
    } finally {
      setChecking(false);
    }
  };

  useEffect(() => {
    const e = createFormEditor(containerRef.current!);
    editorRef.current = e;
    const stopLocalizing = localizeFormEditor(containerRef.current!, locale);
    const changed = () => setDirty(true);
    e.on('changed', changed);
    void (async () => {
      if (schemaRef.current && current) {
        const wasDirty = dirty;
        await e.importSchema(schemaRef.current).catch(() => undefined);
        setDirty(wasDirty);
      } else {
        const wanted = query.get('form');
        if (wanted) await openVersion(wanted);
      }
    })();
    return () => {
      try { schemaRef.current = { ...e.saveSchema(), id: current?.formId }; } catch { /* keep the last one */ }
      stopLocalizing();
      e.off('changed', changed);
      e.destroy();
      editorRef.current = null;
    };
  }, [locale]);

  useEffect(() => { void refreshForms(); }, []);

  const latest = versions[0]?.version;
  return (
    <div class="gf-admin gf-designer">
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      <div class="gf-toolbar" role="toolbar" aria-label={t('title')}>
        <label class="gf-field-inline">
          <span>{t('form')}</span>
          <select class="select" data-testid="form-select" value={current && forms.some((f) => f.formId === current.formId) ? current.formId : ''}
            onChange={(e) => { const v = (e.target as HTMLSelectElement).value; if (v) void openVersion(v); }}>
            <option value="">{t('chooseForm')}</option>
            {forms.map((f) => <option key={f.formKey} value={f.formId}>{f.formId} · v{f.version}</option>)}
          </select>
        </label>
        <form class="gf-field-inline" onSubmit={(e) => { e.preventDefault(); void createNew(); }}>
          <label class="gf-field-inline">
            <span>{t('newForm')}</span>
            <input class="input" value={newId} placeholder={t('newId')} title={t('newIdHelp')} aria-label={t('newId')} data-testid="new-form-id"
              onInput={(e) => setNewId((e.target as HTMLInputElement).value)} />
          </label>
          <Button type="submit">{t('create')}</Button>
        </form>
        <span class="grow" />
        <Button variant="primary" data-testid="save-form" busy={busy} disabled={!current} onClick={() => void save()}>{busy ? t('saving') : t('save')}</Button>
      </div>
      {current && (
        <p class="gf-status-line" data-testid="designer-status">
          <strong>{t('editing', { id: current.formId })}</strong>
          <span>{current.version !== undefined ? t('version', { version: current.version }) : t('notDeployed')}</span>
          {dirty && current.version !== undefined && <Badge tone="warning">{t('unsaved')}</Badge>}
        </p>
      )}
      {notice && (
        <div class={`alert ${notice.kind === 'error' ? 'alert-error' : notice.kind === 'ok' ? 'alert-success' : 'alert-info'}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="designer-notice">
          {notice.text}
          {notice.problems && <ul data-testid="designer-problems">{notice.problems.map((p, i) => <li key={i}>{schemaProblemText(p, notice.schema)}</li>)}</ul>}
        </div>
      )}
      <div class="gf-designer-body" ref={containerRef} data-testid="form-editor" />
      <div class="gf-designer-foot">
        <Card title={t('preview')}>
          <label class="field">
            <span class="label">{t('sampleData')}</span>
            <textarea class="input" data-testid="sample-data" value={sample} spellcheck={false} onInput={(e) => setSample((e.target as HTMLTextAreaElement).value)} />
            <span class="gf-field-help">{t('sampleHelp')}</span>
          </label>
          <div class="row" style={{ marginTop: 'var(--space-2)' }}>
            <Button data-testid="check-form" busy={checking} disabled={!current} onClick={() => void check()}>{checking ? t('checking') : t('check')}</Button>
          </div>
          {previewError && <div class="alert alert-error" role="alert" style={{ marginTop: 'var(--space-2)' }}>{previewError}</div>}
          {preview && (
            <div data-testid="preview-result" style={{ marginTop: 'var(--space-2)' }}>
              {preview.ok
                ? <div class="alert alert-success" role="status">{t('valid')}</div>
                : (
                  <div class="alert alert-warning" role="status">
                    {t('invalid', { count: preview.errors.length })}
                    <ul>{preview.errors.map((e, i) => <li key={i}><strong>{e.label || e.path}</strong>{e.path && e.label !== e.path ? <> <code>{e.path}</code></> : null}：{e.message}</li>)}</ul>
                  </div>
                )}
            </div>
          )}
        </Card>
        <Card title={t('fields')}>
          {preview
            ? (
              <ul class="gf-list">
                {preview.fields.filter((f) => f.path).map((f) => (
                  <li key={`${f.id}-${f.path}`}>
                    <span>{f.label || f.path}</span> <code>{f.path}</code>
                    {f.required && <Badge tone="danger">{t('required')}</Badge>}
                    {f.hidden && <Badge>{t('hidden')}</Badge>}
                    {f.readonly && <Badge>{t('readonly')}</Badge>}
                  </li>
                ))}
              </ul>
            )
            : <p class="muted small">{t('check')}</p>}
        </Card>
        <Card title={t('links')}>
          {links.length === 0 ? <p class="muted small">{t('noLinks')}</p> : (
            <ul class="gf-list" data-testid="form-links">
              {links.map((l) => (
                <li key={`${l.processDefinitionId}-${l.version}-${l.elementId}`}>
                  <span>{l.elementName ?? l.elementId}</span>
                  <span class="muted small">{t('processVersion', { process: l.processName ?? l.processDefinitionId, version: l.version })} {l.latestVersion ? t('linkLatest') : t('linkOld')}</span>
                </li>
              ))}
            </ul>
          )}
          <h3 class="small" style={{ marginTop: 'var(--space-3)' }}>{t('versions')}</h3>
          {versions.length === 0 ? <p class="muted small">{t('notDeployed')}</p> : (
            <ul class="gf-list" data-testid="form-versions">
              {versions.map((v) => (
                <li key={v.formKey}>
                  <span class="gf-version-name">{t('version', { version: v.version })}</span>
                  {v.version === latest && <Badge tone="success">{t('latest')}</Badge>}
                  <span class="grow" />
                  {current?.version === v.version
                    ? <span class="muted small">{t('opened')}</span>
                    : <Button size="sm" variant="ghost" onClick={() => void openVersion(v.formId, v.version)}>{t('open')}</Button>}
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </div>
  );
}
