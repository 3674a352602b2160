// In-process job handlers as Zeebe job workers (the SDK's ZBWorker): the handler contract of
// the seam, unchanged. The SDK polls with long polling, keeps at most maxJobsActive jobs in
// hand, and backs off when the gateway answers RESOURCE_EXHAUSTED; its complete/fail/error
// calls are retried on UNAVAILABLE and back-pressure like every command.
import type { Camunda8 } from '@camunda8/sdk';
import type { ActivatedJob, JobHandler } from '../runtime.ts';
import { jobShape } from './wire.ts';

export type ZeebeGrpcClient = ReturnType<Camunda8['getZeebeGrpcApiClient']>;

export interface WorkerEvents {
  onOutcome?: (job: ActivatedJob, outcome: 'completed' | 'failed' | 'error', detail?: string) => void | Promise<void>;
}

export function startZeebeWorker(
  zeebe: ZeebeGrpcClient, type: string, handler: JobHandler,
  opts: { timeout?: number; maxJobsActive?: number; pollIntervalMs?: number } = {}, events: WorkerEvents = {},
): () => Promise<void> {
  const worker = zeebe.createWorker({
    taskType: type,
    id: `gridflow:${type}`,
    timeout: opts.timeout ?? 30_000,
    maxJobsToActivate: opts.maxJobsActive ?? 32,
    ...(opts.pollIntervalMs ? { pollInterval: opts.pollIntervalMs } : {}),
    taskHandler: async (job: any) => {
      const activated = jobShape(job);
      let outcome;
      try {
        outcome = await handler(activated);
      } catch (err) {
        // A handler that throws fails the job with one retry fewer, as on the embedded runtime.
        const errorMessage = (err as Error)?.message ?? String(err);
        const ack = await job.fail({ errorMessage, retries: Math.max(activated.retries - 1, 0) });
        await events.onOutcome?.(activated, 'failed', `${errorMessage} (retries left: ${Math.max(activated.retries - 1, 0)})`);
        return ack;
      }
      if ('complete' in outcome) {
        const ack = await job.complete(outcome.complete ?? {});
        await events.onOutcome?.(activated, 'completed');
        return ack;
      }
      if ('fail' in outcome) {
        const f = outcome.fail;
        const ack = await job.fail({ errorMessage: f.errorMessage ?? '', retries: f.retries, retryBackOff: f.retryBackOff ?? 0, ...(f.variables ? { variables: f.variables } : {}) });
        await events.onOutcome?.(activated, 'failed', `${f.errorMessage ?? ''} (retries left: ${f.retries})`);
        return ack;
      }
      const e = outcome.error;
      const ack = await job.error({ errorCode: e.errorCode, errorMessage: e.errorMessage ?? '', variables: e.variables ?? {} });
      await events.onOutcome?.(activated, 'error', `${e.errorCode}${e.errorMessage ? `: ${e.errorMessage}` : ''}`);
      return ack;
    },
  } as any);
  return async () => { await worker.close(); };
}
