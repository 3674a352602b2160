// How a handler answers: input the job cannot be run with is a failure without retries (an
// incident whose message names the field: retrying cannot help, fixing the variables and resolving
// the incident can), or, when the task has the header `inputErrorCode`, a BPMN error with that
// code and `inputError` = { field, message }, for a diagram that decides itself (an error boundary
// event sending the case back to a person). Anything else (the database unreachable…) is thrown,
// and the worker retries with the job's retries.
import type { ActivatedJob, JobOutcome } from '../../engine/runtime.ts';
import { CaseInputError } from '../cases/service.ts';
import { WorkingDayError } from '../working-days.ts';

export function refused(job: ActivatedJob, err: unknown): JobOutcome {
  if (!(err instanceof CaseInputError || err instanceof WorkingDayError)) throw err;
  const code = job.customHeaders.inputErrorCode;
  if (code) {
    const field = err instanceof CaseInputError ? err.field : 'date';
    return { error: { errorCode: code, errorMessage: err.message, variables: { inputError: { field, message: err.message } } } };
  }
  return { fail: { retries: 0, errorMessage: err.message } };
}

export async function guarded(job: ActivatedJob, run: () => Promise<JobOutcome>): Promise<JobOutcome> {
  try {
    return await run();
  } catch (err) {
    return refused(job, err);
  }
}
