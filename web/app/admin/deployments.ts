// Sending files from the browser: POST /v2/deployments is multipart (Camunda's shape) and the org
// import takes the file as it is, neither of which the JSON client sends, so the session's CSRF
// token is read from GET /api/session for them.
import { ApiError, api, type Problem } from '../core/api.ts';

export interface DeployedProcess { processDefinitionId: string; processDefinitionVersion: number; processDefinitionKey: string; resourceName: string }
export interface DeploymentAnswer { deploymentKey: string; deployments: Array<{ processDefinition?: DeployedProcess; form?: { formId: string; version: number; formKey: string } }>; warnings?: string[] }

export async function deployResource(name: string, content: string, type = 'application/xml'): Promise<DeploymentAnswer> {
  const body = new FormData();
  body.append('resources', new Blob([content], { type }), name);
  return send<DeploymentAnswer>('/v2/deployments', body);
}

/** POSTs a body as it is (a file, a FormData), JSON back; failures as ApiError. */
export async function send<T>(path: string, body: BodyInit, contentType?: string): Promise<T> {
  const { csrfToken } = await api.get<{ csrfToken?: string }>('/api/session');
  const res = await fetch(path, {
    method: 'POST', body, credentials: 'same-origin',
    headers: { accept: 'application/json', ...(contentType && { 'content-type': contentType }), ...(csrfToken && { 'x-csrf-token': csrfToken }) },
  });
  const text = await res.text();
  let json: unknown;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  if (!res.ok) {
    const problem: Problem = json && typeof json === 'object' ? { status: res.status, ...(json as object) } : { status: res.status, detail: res.statusText };
    throw new ApiError(res.status, problem);
  }
  return json as T;
}

/** Offers text as a file download. */
export function download(name: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
