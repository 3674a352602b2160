// A process's start form: filled in, checked in the browser, validated on the server, started.
import './start.css';
import { useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../../core/api.ts';
import type { PageProps } from '../../page.ts';
import { Button, ErrorMessage, Loading, PageHeader, errorText } from '../../ui/components.tsx';
import type { FieldError, FormHandle } from '../../ui/form-view.tsx';
import { LazyFormView } from '../../ui/lazy-form-view.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { t } from './messages.ts';

interface StartForm { processDefinitionKey: string; processDefinitionId: string; name: string | null; version: number; form: { formId: string; schema: unknown } }

export default function StartFormPage({ params }: PageProps) {
  const key = params.processDefinitionKey!;
  const loaded = useLoad((signal) => api.get<StartForm>(`/api/start-forms/${encodeURIComponent(key)}`, { signal }), [key]);
  const form = useRef<FormHandle>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [fieldErrors, setFieldErrors] = useState<FieldError[]>([]);
  const [started, setStarted] = useState<string | undefined>();
  const [round, setRound] = useState(0);

  if (loaded.error !== undefined) return <ErrorMessage error={loaded.error} onRetry={loaded.reload} />;
  if (!loaded.data) return <Loading />;
  const def = loaded.data;
  const name = def.name || def.processDefinitionId;

  async function submit() {
    setError(undefined); setFieldErrors([]);
    const data = form.current?.submit();
    if (!data) return;
    setBusy(true);
    try {
      const r = await api.post<{ processInstanceKey: string }>(`/api/start-forms/${encodeURIComponent(key)}`, { variables: data });
      setStarted(r.processInstanceKey);
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && Array.isArray(err.problem.errors)) {
        const errors = err.problem.errors as FieldError[];
        form.current?.showErrors(errors);
        setFieldErrors(errors);
      } else setError(err);
    } finally { setBusy(false); }
  }

  return (
    <div class="start-form">
      <a class="small" href="/start">← {t('back')}</a>
      <PageHeader title={name} subtitle={t('version', { n: def.version })} />
      {started ? (
        <div class="card card-body stack" data-started={started}>
          <div class="alert alert-success" role="status">{t('started')}</div>
          <div class="row">
            <a class="btn btn-primary" href="/tasks">{t('toTasks')}</a>
            <a class="btn" href={`/instances/${started}`}>{t('openInstance')}</a>
            <Button variant="ghost" onClick={() => { setStarted(undefined); setRound((n) => n + 1); }}>{t('again')}</Button>
          </div>
        </div>
      ) : (
        <div class="card card-body stack">
          {error !== undefined && <div class="alert alert-error" role="alert">{errorText(error)}</div>}
          {fieldErrors.length > 0 && (
            <div class="alert alert-error" role="alert" id="form-errors">
              <p>{t('fixErrors')}</p>
              <ul>{fieldErrors.map((e, i) => <li key={i}>{e.label ? <strong>{e.label}：</strong> : null}{e.message}</li>)}</ul>
            </div>
          )}
          <LazyFormView key={round} ref={form} schema={def.form.schema} label={t('formOf', { name })} />
          <div class="form-actions">
            <Button variant="primary" busy={busy} onClick={() => void submit()} data-action="start">{busy ? t('submitting') : t('submit')}</Button>
          </div>
        </div>
      )}
    </div>
  );
}
