// Errors from the cluster, as the seam's RuntimeError. The SDKs retry what is worth retrying
// (gRPC UNAVAILABLE and RESOURCE_EXHAUSTED, HTTP 429/503) before an error reaches here; what
// arrives is final, so back-pressure surfaces as 429 and an unreachable cluster as 503.
import { RuntimeError } from '../runtime.ts';

// gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html) → seam status and code.
const GRPC: Record<number, [RuntimeError['status'], string]> = {
  3: [400, 'INVALID_ARGUMENT'],
  4: [503, 'DEADLINE_EXCEEDED'],
  5: [404, 'NOT_FOUND'],
  6: [409, 'ALREADY_EXISTS'],
  7: [503, 'PERMISSION_DENIED'],
  8: [429, 'RESOURCE_EXHAUSTED'],
  9: [409, 'INVALID_STATE'],
  14: [503, 'UNAVAILABLE'],
  16: [503, 'UNAUTHENTICATED'],
};

const HTTP: Record<number, [RuntimeError['status'], string]> = {
  400: [400, 'INVALID_ARGUMENT'],
  404: [404, 'NOT_FOUND'],
  409: [409, 'INVALID_STATE'],
  422: [422, 'INVALID_ARGUMENT'],
  429: [429, 'RESOURCE_EXHAUSTED'],
  401: [503, 'UNAUTHENTICATED'],
  403: [503, 'PERMISSION_DENIED'],
  503: [503, 'UNAVAILABLE'],
  504: [503, 'DEADLINE_EXCEEDED'],
};

/** A gRPC error (code, details) as a RuntimeError; anything else passes through. */
export function fromGrpc(err: unknown): unknown {
  const e = err as { code?: unknown; details?: unknown; message?: unknown };
  if (err instanceof RuntimeError || typeof e?.code !== 'number') return err;
  const [status, code] = GRPC[e.code] ?? [503, 'UNAVAILABLE'];
  const detail = typeof e.details === 'string' && e.details ? e.details : String(e.message ?? '');
  return new RuntimeError(status, code, `Zeebe gateway: ${detail}`);
}

/** An HTTP error of the Orchestration Cluster REST client as a RuntimeError. */
export function fromRest(err: unknown): unknown {
  const e = err as { status?: unknown; title?: unknown; detail?: unknown; message?: unknown; name?: unknown };
  if (err instanceof RuntimeError) return err;
  // With CAMUNDA_SDK_VALIDATION on, the client checks requests and answers against Camunda's spec.
  const v = err as { name?: unknown; side?: unknown; summary?: unknown; issues?: unknown };
  const failed = /^Invalid \w+ (request|response): validation failed/.exec(String(e?.message ?? ''));
  if (v?.name === 'CamundaValidationError' || v?.name === 'ValidationSdkError' || failed) {
    const issues = Array.isArray(v.issues) ? ` (${v.issues.map((i) => (typeof i === 'string' ? i : JSON.stringify(i))).join('; ')})` : '';
    const what = `${String(e.message ?? '')}${typeof v.summary === 'string' ? `: ${v.summary}` : ''}${issues}`;
    return (v.side ?? failed?.[1]) === 'response'
      ? new RuntimeError(503, 'INVALID_RESPONSE', `Camunda REST API answered outside its specification: ${what}`)
      : new RuntimeError(400, 'INVALID_ARGUMENT', `Camunda REST API request refused by the client: ${what}`);
  }
  if (typeof e?.status !== 'number') {
    if (e?.name === 'NetworkSdkError') return new RuntimeError(503, 'UNAVAILABLE', `Camunda REST API unreachable: ${String(e.message ?? '')}`);
    return err;
  }
  const [status, code] = HTTP[e.status] ?? [503, 'UNAVAILABLE'];
  const detail = [e.title, e.detail].filter((s) => typeof s === 'string' && s).join(': ') || String(e.message ?? `HTTP ${e.status}`);
  return new RuntimeError(status, code, `Camunda REST API: ${detail}`);
}

export async function grpcCall<T>(fn: () => Promise<T>): Promise<T> {
  try { return await fn(); } catch (err) { throw fromGrpc(err); }
}

export async function restCall<T>(fn: () => Promise<T>): Promise<T> {
  try { return await fn(); } catch (err) { throw fromRest(err); }
}
