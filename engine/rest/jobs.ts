// Jobs: activation (long polling), completion, failure, BPMN error.

import type { ActivateJobs, FailJob, Runtime, ThrowJobError } from '../runtime.ts';
import { noContent, ok, param, type Routes } from './routes.ts';
import { boundedString, closedObject, int64, keyParams, nonEmptyString, nullableVariablesSchema, tenantIdSchema, variablesSchema } from './validation.ts';
import * as wire from './wire.ts';

export const MAX_JOBS_TO_ACTIVATE = 10_000;
/** Longest a client may hold an activation request open (ms). */
export const MAX_REQUEST_TIMEOUT = 3_600_000;
/** Longest job lock a worker may ask for (ms): 30 days. */
export const MAX_JOB_TIMEOUT = 30 * 24 * 3_600_000;

const activationBody = closedObject({
  type: nonEmptyString(256),
  worker: boundedString(256),
  timeout: int64(1, MAX_JOB_TIMEOUT),
  maxJobsToActivate: { type: 'integer', minimum: 1, maximum: MAX_JOBS_TO_ACTIVATE },
  fetchVariable: { type: 'array', maxItems: 1000, items: nonEmptyString() },
  // 0: the server's default long-polling timeout; < 0: answer immediately (Camunda semantics).
  requestTimeout: int64(-MAX_REQUEST_TIMEOUT, MAX_REQUEST_TIMEOUT),
  tenantIds: { type: 'array', maxItems: 100, items: tenantIdSchema },
}, ['type', 'timeout', 'maxJobsToActivate']);

const params = keyParams('jobKey');

export function jobRoutes(r: Routes, runtime: Runtime): void {
  r.post('/jobs/activation', { access: 'jobs.work', schemas: { body: activationBody, bodyRequired: true } }, async (req, res) => {
    const b = req.body as ActivateJobs;
    const request: ActivateJobs = { type: b.type, timeout: b.timeout, maxJobsToActivate: b.maxJobsToActivate };
    if (b.worker !== undefined) request.worker = b.worker;
    if (b.fetchVariable !== undefined) request.fetchVariable = b.fetchVariable;
    if (b.requestTimeout !== undefined) request.requestTimeout = b.requestTimeout;
    if (b.tenantIds !== undefined) request.tenantIds = b.tenantIds;

    // Long polling: stop waiting as soon as the client goes away.
    const abort = new AbortController();
    const onClose = () => { if (!res.writableFinished) abort.abort(); };
    res.on('close', onClose);
    if (req.socket.destroyed) abort.abort(); // gone before we got here
    try {
      const jobs = await runtime.activateJobs(request, abort.signal);
      if (abort.signal.aborted) return; // nobody left to answer
      ok(res, { jobs: jobs.map(wire.omitNulls) });
    } catch (err) {
      if (abort.signal.aborted) return;
      throw err;
    } finally {
      res.off('close', onClose);
    }
  });

  // `result` (user task listener corrections, ad-hoc sub-process activation) is not supported by the seam.
  r.post('/jobs/:jobKey/completion', {
    access: 'jobs.work',
    schemas: {
      params,
      body: closedObject({ variables: nullableVariablesSchema, result: { type: ['object', 'null'] } }),
      refine: (req) => ((req.body as { result?: unknown }).result == null ? undefined : 'body/result is not supported by Gridflow yet'),
    },
  }, async (req, res) => {
    const b = req.body as { variables?: Record<string, unknown> | null };
    await runtime.completeJob(param(req, 'jobKey'), b.variables ?? undefined);
    noContent(res);
  });

  r.post('/jobs/:jobKey/failure', {
    access: 'jobs.work',
    schemas: {
      params,
      body: closedObject({
        retries: { type: 'integer', minimum: 0, maximum: 2_147_483_647 },
        errorMessage: { type: 'string' }, // bounded by the body size limit
        retryBackOff: int64(0, Number.MAX_SAFE_INTEGER),
        variables: variablesSchema,
      }),
    },
  }, async (req, res) => {
    const b = req.body as Partial<FailJob>;
    const fail: FailJob = { retries: b.retries ?? 0 };
    if (b.errorMessage !== undefined) fail.errorMessage = b.errorMessage;
    if (b.retryBackOff !== undefined) fail.retryBackOff = b.retryBackOff;
    if (b.variables !== undefined) fail.variables = b.variables;
    await runtime.failJob(param(req, 'jobKey'), fail);
    noContent(res);
  });

  r.post('/jobs/:jobKey/error', {
    access: 'jobs.work',
    schemas: {
      params,
      bodyRequired: true,
      body: closedObject({
        errorCode: nonEmptyString(256),
        errorMessage: { type: ['string', 'null'] },
        variables: nullableVariablesSchema,
      }, ['errorCode']),
    },
  }, async (req, res) => {
    const b = req.body as { errorCode: string; errorMessage?: string | null; variables?: Record<string, unknown> | null };
    const error: ThrowJobError = { errorCode: b.errorCode };
    if (typeof b.errorMessage === 'string') error.errorMessage = b.errorMessage;
    if (b.variables !== undefined && b.variables !== null) error.variables = b.variables;
    await runtime.throwJobError(param(req, 'jobKey'), error);
    noContent(res);
  });
}
