// Small shared components of the design system (styles/components.css).
import type { ButtonHTMLAttributes, ComponentChildren } from 'preact';
import { ApiError } from '../core/api.ts';
import { t } from '../core/messages.ts';

type ButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'size' | 'type'> & {
  variant?: 'primary' | 'danger' | 'ghost' | 'default';
  size?: 'sm' | 'md';
  block?: boolean;
  busy?: boolean;
  disabled?: boolean;
  type?: 'button' | 'submit' | 'reset';
};

export function Button({ variant = 'default', size = 'md', block, busy, class: cls, className, children, disabled, type, ...rest }: ButtonProps) {
  const classes = ['btn', variant !== 'default' && `btn-${variant}`, size === 'sm' && 'btn-sm', block && 'btn-block', cls, className].filter(Boolean).join(' ');
  return (
    <button type={type ?? 'button'} class={classes} disabled={disabled || busy} aria-busy={busy ? 'true' : undefined} {...rest}>
      {busy && <span class="spinner" aria-hidden="true" />}
      {children}
    </button>
  );
}

export type Tone = 'neutral' | 'info' | 'danger' | 'warning' | 'success';

export function Badge({ tone = 'neutral', children, title }: { tone?: Tone; children: ComponentChildren; title?: string }) {
  return <span class={`badge${tone === 'neutral' ? '' : ` badge-${tone}`}`} title={title}>{children}</span>;
}

export function Loading({ label }: { label?: string }) {
  return <div class="loading" role="status"><span class="spinner" aria-hidden="true" />{label ?? t('loading')}</div>;
}

/** A request's failure in the user's language (the server's detail for problems the user can fix). */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 401) return t('errorSession');
    if (err.status === 403) return t('errorForbidden');
    if (err.status === 404) return t('errorNotFound');
    return t('errorGeneric', { detail: err.problem.detail ?? err.problem.title ?? String(err.status) });
  }
  if (err instanceof TypeError) return t('errorNetwork');
  return t('errorGeneric', { detail: err instanceof Error ? err.message : String(err) });
}

export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div class="alert alert-error row" role="alert">
      <span class="grow">{errorText(error)}</span>
      {onRetry && <Button size="sm" onClick={onRetry}>{t('retry')}</Button>}
    </div>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}

export function PageHeader({ title, subtitle, actions }: { title: ComponentChildren; subtitle?: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <div class="page-header">
      <div><h1>{title}</h1>{subtitle && <p>{subtitle}</p>}</div>
      {actions && <div class="row">{actions}</div>}
    </div>
  );
}

export function Card({ title, actions, children, class: cls }: { title?: ComponentChildren; actions?: ComponentChildren; children: ComponentChildren; class?: string }) {
  return (
    <section class={`card${cls ? ` ${cls}` : ''}`}>
      {(title || actions) && <div class="card-header">{title && <h2 class="card-title">{title}</h2>}{actions && <div class="row">{actions}</div>}</div>}
      <div class="card-body">{children}</div>
    </section>
  );
}
