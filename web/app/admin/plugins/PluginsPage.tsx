// Plugins (administrators, `plugins.manage`): what is installed, its job types, templates, forms
// and processes, its health; enable or disable it; its settings edited in a form generated from
// its JSON Schema (PUT /api/plugins/{id}/settings validates them against the same schema).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../core/api.ts';
import { pick, useLocale } from '../../core/i18n.ts';
import type { PageProps } from '../../page.ts';
import { Badge, Button, Card, Empty, ErrorMessage, Loading, PageHeader, errorText } from '../../ui/components.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { t } from './messages.ts';
import { SchemaForm, type JsonSchema } from './SchemaForm.tsx';
import '../admin.css';

type Text = { zh: string; en: string };
interface Plugin {
  id: string; version: string; name: Text; description: Text | null; status: 'running' | 'disabled' | 'failed'; enabled: boolean; error: string | null;
  jobTypes: Array<{ type: string; name: Text | null }>; templates: Array<{ id: string; name: string; version: number | null }>; forms: string[]; processes: string[];
}

function Settings({ id }: { id: string }) {
  const loaded = useLoad((signal) => api.get<{ settings: Record<string, unknown>; schema: JsonSchema | null }>(`/api/plugins/${id}/settings`, { signal }), [id]);
  const [value, setValue] = useState<Record<string, unknown> | null>(null);
  const [raw, setRaw] = useState(false);
  const [text, setText] = useState('');
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => { if (loaded.data) { setValue(loaded.data.settings); setText(JSON.stringify(loaded.data.settings, null, 2)); } }, [loaded.data]);
  if (loaded.error) return <ErrorMessage error={loaded.error} onRetry={loaded.reload} />;
  if (!loaded.data || value === null) return <Loading />;
  if (!loaded.data.schema) return <p class="muted">{t('noSettings')}</p>;
  const save = async () => {
    setBusy(true);
    setNotice(null);
    try {
      let body = value;
      if (raw) body = JSON.parse(text) as Record<string, unknown>;
      const r = await api.put<{ settings: Record<string, unknown> }>(`/api/plugins/${id}/settings`, body);
      setValue(r.settings);
      setText(JSON.stringify(r.settings, null, 2));
      setNotice({ ok: true, text: t('saved') });
    } catch (err) {
      setNotice({ ok: false, text: err instanceof SyntaxError ? t('badJson') : errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="stack" data-testid={`settings-${id}`} onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <div class="gf-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={!raw} onClick={() => { if (raw) { try { setValue(JSON.parse(text)); } catch { /* keep the form's value */ } } setRaw(false); }}>{t('formView')}</button>
        <button type="button" role="tab" aria-selected={raw} onClick={() => { setText(JSON.stringify(value, null, 2)); setRaw(true); }}>{t('jsonView')}</button>
      </div>
      {raw
        ? <textarea class="input gf-json" rows={14} spellcheck={false} aria-label={t('jsonView')} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
        : <SchemaForm schema={loaded.data.schema} value={value} onChange={setValue} />}
      {notice && <div class={`alert ${notice.ok ? 'alert-success' : 'alert-error'}`} role={notice.ok ? 'status' : 'alert'}>{notice.text}</div>}
      <div class="row"><Button type="submit" variant="primary" busy={busy}>{t('saveSettings')}</Button></div>
    </form>
  );
}

export default function PluginsPage(_props: PageProps) {
  useLocale();
  const list = useLoad((signal) => api.get<{ items: Plugin[]; failed: Array<{ source: string; error: string }> }>('/api/plugins', { signal }), []);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (list.error) return <ErrorMessage error={list.error} onRetry={list.reload} />;
  if (!list.data) return <Loading />;
  const toggle = async (p: Plugin) => {
    setError(null);
    try { await api.post(`/api/plugins/${p.id}/${p.enabled ? 'disable' : 'enable'}`, {}); list.reload(); } catch (err) { setError(err); }
  };
  const tone = (s: Plugin['status']) => (s === 'running' ? 'success' : s === 'failed' ? 'danger' : 'neutral');
  return (
    <div class="gf-admin">
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      {error !== null && <div class="alert alert-error" role="alert">{errorText(error)}</div>}
      {list.data.items.length === 0 && <Empty>{t('none')}</Empty>}
      {list.data.items.map((p) => (
        <Card key={p.id} title={<>{pick(p.name)} <Badge tone={tone(p.status)}>{t(p.status)}</Badge> <span class="muted small" translate={false}>{p.id} · v{p.version}</span></>}
          actions={<>
            <Button size="sm" onClick={() => void toggle(p)} disabled={p.status === 'failed'}>{p.enabled ? t('disable') : t('enable')}</Button>
            <Button size="sm" variant={open === p.id ? 'primary' : 'default'} onClick={() => setOpen(open === p.id ? null : p.id)} aria-expanded={open === p.id}>{t('settings')}</Button>
          </>}>
          <div class="stack" data-testid={`plugin-${p.id}`}>
            {p.description && <p class="muted">{pick(p.description)}</p>}
            {p.error && <div class="alert alert-error">{p.error}</div>}
            <dl class="dl">
              <dt>{t('jobTypes')}</dt><dd>{p.jobTypes.length ? p.jobTypes.map((j) => <span key={j.type} class="gf-chip"><code>{j.type}</code>{j.name ? ` ${pick(j.name)}` : ''}</span>) : '—'}</dd>
              <dt>{t('templates')}</dt><dd>{p.templates.length ? p.templates.map((x) => <span key={x.id} class="gf-chip">{x.name}{x.version !== null ? ` v${x.version}` : ''}</span>) : '—'}</dd>
              <dt>{t('forms')}</dt><dd>{p.forms.length ? p.forms.map((id) => <span key={id} class="gf-chip"><code>{id}</code></span>) : '—'}</dd>
              <dt>{t('processes')}</dt><dd>{p.processes.length ? p.processes.map((id) => <span key={id} class="gf-chip"><code>{id}</code></span>) : '—'}</dd>
            </dl>
            {open === p.id && <Settings id={p.id} />}
          </div>
        </Card>
      ))}
      {list.data.failed.length > 0 && (
        <Card title={t('failedToLoad')}>
          <ul class="gf-list">{list.data.failed.map((f) => <li key={f.source}><code>{f.source}</code> {f.error}</li>)}</ul>
        </Card>
      )}
    </div>
  );
}
