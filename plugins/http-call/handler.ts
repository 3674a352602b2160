// gridflow.http.call: one HTTP request to a department's system, shaped like Camunda's REST
// connector. The template's FEEL fields (method, URL, headers, query, body) are evaluated by the
// engine's input mappings; the response is mapped here by the task header `resultExpression`
// (FEEL over `response`: { status, headers, body }) or stored whole in `resultVariable`.
// 5xx answers, time-outs and network errors fail the job for a retry; a status listed in
// `errorStatusCodes` raises the BPMN error `HTTP_<status>`; any other non-2xx fails without retry.
import { evaluate } from '../../engine/feel/index.ts';
import { BpmnError, JobFailure, type JobContext, type PluginJob } from '../host/contract.ts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
const MAX_RESPONSE_BYTES = 1024 * 1024;

interface Settings { defaultTimeoutMs?: number; allowedHosts?: string[]; retryBackOffMs?: number }
interface Auth { type?: string; token?: string; username?: string; password?: string; name?: string; value?: string }

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function statusCodes(v: unknown): number[] {
  const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(/[\s,]+/) : typeof v === 'number' ? [v] : [];
  return list.map(Number).filter((n) => Number.isInteger(n) && n >= 100 && n <= 599);
}

function requestUrl(job: PluginJob, settings: Settings): URL {
  const raw = job.variables.url;
  if (typeof raw !== 'string' || !raw) throw new JobFailure("input 'url' is missing: set the URL in the template", { retries: 0 });
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new JobFailure(`input 'url' is not a URL: '${raw.slice(0, 200)}'`, { retries: 0 });
  }
  if (!['http:', 'https:'].includes(url.protocol)) throw new JobFailure(`input 'url' must be http or https, not ${url.protocol}`, { retries: 0 });
  const allowed = settings.allowedHosts ?? [];
  if (allowed.length && !allowed.includes(url.hostname)) throw new JobFailure(`host '${url.hostname}' is not in the plugin's allowed hosts (${allowed.join(', ')})`, { retries: 0 });
  const query = job.variables.queryParameters;
  if (isObject(query)) for (const [k, v] of Object.entries(query)) if (v !== null && v !== undefined) url.searchParams.append(k, String(v));
  return url;
}

function requestHeaders(job: PluginJob): Record<string, string> {
  const headers: Record<string, string> = {};
  const given = job.variables.headers;
  if (given !== undefined && given !== null && !isObject(given)) throw new JobFailure("input 'headers' must be a context (an object) of header names to values", { retries: 0 });
  for (const [k, v] of Object.entries(given ?? {})) if (v !== null && v !== undefined) headers[k.toLowerCase()] = String(v);
  const v = job.variables;
  const auth = (isObject(v.authentication) ? v.authentication
    : { type: v.authType, token: v.authToken, username: v.authUsername, password: v.authPassword, name: v.authKeyName, value: v.authKeyValue }) as Auth;
  if (auth.type === 'bearer' && auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.type === 'basic' && auth.username) headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64')}`;
  if (auth.type === 'apiKey' && auth.name && auth.value) headers[auth.name.toLowerCase()] = auth.value;
  return headers;
}

async function readBody(res: Response): Promise<unknown> {
  const reader = res.body?.getReader();
  if (!reader) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw new JobFailure(`the response is larger than ${MAX_RESPONSE_BYTES} bytes`, { retries: 0 });
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return null;
  if (/json/i.test(res.headers.get('content-type') ?? '')) {
    try { return JSON.parse(text); } catch { return text; }
  }
  return text;
}

export default async function httpCall(job: PluginJob, ctx: JobContext): Promise<Record<string, unknown>> {
  const settings = ctx.settings as Settings;
  const method = String(job.variables.method ?? 'GET').toUpperCase();
  if (!(METHODS as readonly string[]).includes(method)) throw new JobFailure(`input 'method' must be one of ${METHODS.join(', ')}, not '${method}'`, { retries: 0 });
  const url = requestUrl(job, settings);
  const headers = requestHeaders(job);
  const timeoutMs = Number(job.variables.timeoutMs ?? settings.defaultTimeoutMs ?? 10_000);
  const backOff = settings.retryBackOffMs;
  let body: string | undefined;
  const payload = job.variables.body;
  if (payload !== undefined && payload !== null && method !== 'GET' && method !== 'HEAD') {
    body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    if (typeof payload !== 'string') headers['content-type'] ??= 'application/json';
  }

  let res: Response;
  try {
    res = await fetch(url, { method, headers, body, redirect: 'follow', signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]) });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `${e.cause?.code ?? e.name}: ${e.cause ? (e.cause as Error).message ?? '' : e.message}`;
    throw new JobFailure(`${method} ${url.origin}${url.pathname} failed: ${why}`, backOff === undefined ? {} : { retryBackOffMs: backOff });
  }
  const response = { status: res.status, headers: Object.fromEntries(res.headers.entries()), body: await readBody(res) };
  const where = `${method} ${url.origin}${url.pathname} answered ${res.status}`;
  ctx.logger.info(where);

  if (statusCodes(job.variables.errorStatusCodes).includes(res.status)) {
    throw new BpmnError(`HTTP_${res.status}`, where, { httpStatus: res.status, httpBody: response.body });
  }
  if (res.status >= 500) throw new JobFailure(where, backOff === undefined ? {} : { retryBackOffMs: backOff });
  if (res.status >= 300) throw new JobFailure(`${where}; not retried (list the status in errorStatusCodes to handle it in the diagram)`, { retries: 0 });

  const out: Record<string, unknown> = {};
  const resultVariable = job.customHeaders.resultVariable;
  if (resultVariable) out[resultVariable] = response;
  const resultExpression = job.customHeaders.resultExpression;
  if (resultExpression) {
    const expr = resultExpression.startsWith('=') ? resultExpression : `=${resultExpression}`;
    let mapped: unknown;
    try {
      mapped = evaluate(expr, { response }).value;
    } catch (err) {
      throw new JobFailure(`resultExpression failed: ${(err as Error).message}`, { retries: 0 });
    }
    if (!isObject(mapped)) throw new JobFailure(`resultExpression must give a context (an object of variables), but gave ${JSON.stringify(mapped)?.slice(0, 100)}`, { retries: 0 });
    Object.assign(out, mapped);
  }
  return out;
}
