// The HTTP client of the app: JSON in and out, the session's CSRF token on unsafe requests,
// problem+json answers as ApiError (status, machine-readable code, detail, extensions).
import { getLocale } from './i18n.ts';

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  [extension: string]: unknown;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
  get code(): string | undefined {
    return typeof this.problem.code === 'string' ? this.problem.code : typeof this.problem.title === 'string' ? this.problem.title : undefined;
  }
}

let csrfToken: string | undefined;
export const setCsrfToken = (token: string | undefined): void => { csrfToken = token; };

const unauthorizedListeners = new Set<() => void>();
/** Called when a request answers 401 (the session ended): the shell shows the sign-in page. */
export const onUnauthorized = (fn: () => void): (() => void) => {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
};

export async function request<T = unknown>(method: string, path: string, body?: unknown, opts: { signal?: AbortSignal } = {}): Promise<T> {
  // The server words its validation errors in the app's language.
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': getLocale() === 'zh' ? 'zh-CN, zh, en;q=0.5' : 'en, zh;q=0.5' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (!['GET', 'HEAD'].includes(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, {
    method, headers, credentials: 'same-origin', signal: opts.signal,
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: unknown;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  if (!res.ok) {
    const problem: Problem = json && typeof json === 'object' ? { status: res.status, ...(json as object) } : { status: res.status, detail: res.statusText };
    if (res.status === 401 && path !== '/api/login') for (const fn of unauthorizedListeners) fn();
    throw new ApiError(res.status, problem);
  }
  return json as T;
}

/** A text answer (e.g. BPMN XML). */
async function text(path: string, opts: { signal?: AbortSignal } = {}): Promise<string> {
  const res = await fetch(path, { credentials: 'same-origin', signal: opts.signal, headers: { accept: 'text/xml, text/plain, application/problem+json' } });
  const body = await res.text();
  if (!res.ok) {
    let problem: Problem = { status: res.status, detail: res.statusText };
    try { problem = { status: res.status, ...(JSON.parse(body) as object) }; } catch { /* not JSON */ }
    if (res.status === 401) for (const fn of unauthorizedListeners) fn();
    throw new ApiError(res.status, problem);
  }
  return body;
}

export const api = {
  text,
  get: <T = unknown>(path: string, opts?: { signal?: AbortSignal }) => request<T>('GET', path, undefined, opts),
  post: <T = unknown>(path: string, body?: unknown, opts?: { signal?: AbortSignal }) => request<T>('POST', path, body ?? {}, opts),
  patch: <T = unknown>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T = unknown>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T = unknown>(path: string) => request<T>('DELETE', path),
};

/** Builds a query string, leaving out empty values. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
