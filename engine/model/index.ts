// Deployed BPMN -> plain process models, deploy-time validation, timer definitions.
export { validateDeployment } from './validate.ts';
export type { ValidateOptions, ValidationResult } from './validate.ts';
export { readProcess } from './read.ts';
export type { ReadProcess } from './read.ts';
export { parseBpmn } from './moddle.ts';
export type * from './types.ts';
export { parseTimer, checkTimer, nextDue, TimerError } from './timer.ts';
export type { Timer, TimerDue, ParseTimerOptions } from './timer.ts';
export { parseIsoDuration, addIsoDuration, parseIsoDateTime, Iso8601Error } from './iso8601.ts';
export type { IsoDuration } from './iso8601.ts';
export { nextCronTime, checkCron, CronError } from './cron.ts';
