// The contract between Gridflow and a plugin's job handlers, runtime-neutral: a handler sees a
// job (its variables after input mapping, custom headers, retries) and a small context, and
// returns the variables to complete the job with, throws a BpmnError (caught by an error boundary
// event), throws a JobFailure (retries and back-off of its choosing) or throws anything else (the
// job fails with one retry less and the job type's back-off). The embedded runtime and Zeebe job
// workers both call handlers through Runtime.registerJobHandler, so nothing here knows which runs.
// Handlers run in worker threads: a handler module must not rely on the platform's memory.

/** What a handler receives: `{{secrets.NAME}}` in variables and headers is already resolved. */
export interface PluginJob {
  key: string;
  type: string;
  processInstanceKey: string;
  processDefinitionId: string;
  elementId: string;
  retries: number;
  variables: Record<string, unknown>;
  customHeaders: Record<string, string>;
}

export interface PluginLogger {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export interface JobContext {
  /** Lines go to the platform's log, prefixed with the plugin and job; secrets are masked. */
  logger: PluginLogger;
  /** This plugin's settings (validated by its settings schema; placeholders resolved). */
  settings: Record<string, unknown>;
  /** The secrets this plugin's manifest declares, by name. */
  secrets: Record<string, string>;
  /** Aborted when the job's time is up; the thread is stopped shortly after. */
  signal: AbortSignal;
}

/** The variables to complete the job with, or nothing. */
export type PluginHandler = (job: PluginJob, ctx: JobContext) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

/** Throw to raise a BPMN error (errorCode matches an error boundary event's zeebe error code). */
export class BpmnError extends Error {
  override readonly name = 'BpmnError';
  constructor(readonly errorCode: string, message?: string, readonly variables?: Record<string, unknown>) {
    super(message ?? errorCode);
  }
}

/** Throw to fail the job with chosen retries (default: one less) and back-off in milliseconds. */
export class JobFailure extends Error {
  override readonly name = 'JobFailure';
  constructor(message: string, readonly options: { retries?: number; retryBackOffMs?: number } = {}) {
    super(message);
  }
}
