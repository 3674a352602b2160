// How a handler answers: input the job cannot be run with is a failure without retries (an
// incident whose message names the field: retrying cannot help, fixing the variables and resolving
// the incident can); anything else (the database unreachable…) is thrown, and the worker retries
// with the job's retries.
import type { JobOutcome } from '../../engine/runtime.ts';
import { CaseInputError } from '../cases/service.ts';
import { WorkingDayError } from '../working-days.ts';

export function refused(err: unknown): JobOutcome {
  if (err instanceof CaseInputError || err instanceof WorkingDayError) return { fail: { retries: 0, errorMessage: err.message } };
  throw err;
}

export async function guarded(run: () => Promise<JobOutcome>): Promise<JobOutcome> {
  try {
    return await run();
  } catch (err) {
    return refused(err);
  }
}
