// Deploying from the browser: POST /v2/deployments is multipart (Camunda's shape), which the JSON
// client does not send, so the session's CSRF token is read from GET /api/session for it.
import { ApiError, api, type Problem } from '../core/api.ts';

export interface DeployedProcess { processDefinitionId: string; processDefinitionVersion: number; processDefinitionKey: string; resourceName: string }
export interface DeploymentAnswer { deploymentKey: string; deployments: Array<{ processDefinition?: DeployedProcess; form?: { formId: string; version: number; formKey: string } }> }

export async function deployResource(name: string, content: string, type = 'application/xml'): Promise<DeploymentAnswer> {
  const { csrfToken } = await api.get<{ csrfToken?: string }>('/api/session');
  const body = new FormData();
  body.append('resources', new Blob([content], { type }), name);
  const res = await fetch('/v2/deployments', {
    method: 'POST', body, credentials: 'same-origin',
    headers: { accept: 'application/json', ...(csrfToken && { 'x-csrf-token': csrfToken }) },
  });
  const text = await res.text();
  let json: unknown;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  if (!res.ok) {
    const problem: Problem = json && typeof json === 'object' ? { status: res.status, ...(json as object) } : { status: res.status, detail: res.statusText };
    throw new ApiError(res.status, problem);
  }
  return json as DeploymentAnswer;
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
