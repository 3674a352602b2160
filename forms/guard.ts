// The first look at a submission, before any of it is used: it must be plain JSON data (no
// functions, class instances, cycles, non-finite numbers) no larger than MAX_SUBMISSION_BYTES of
// JSON text and no deeper than MAX_SUBMISSION_DEPTH. The walk stops as soon as a limit is passed,
// so a huge submission costs no more than the limit.
import { MAX_SUBMISSION_BYTES, MAX_SUBMISSION_DEPTH } from './limits.ts';
import { isPlainObject } from './paths.ts';
import type { PathSegment } from './types.ts';

export type GuardProblem = { code: 'TOO_LARGE' | 'NOT_JSON'; segments: PathSegment[] } | null;

export function guardSubmission(submission: unknown): GuardProblem {
  let bytes = 0;
  const ancestors = new Set<object>();
  const walk = (value: unknown, segments: PathSegment[], depth: number): GuardProblem => {
    if (bytes > MAX_SUBMISSION_BYTES) return { code: 'TOO_LARGE', segments: [] };
    switch (typeof value) {
      case 'string':
        bytes += Buffer.byteLength(value, 'utf8') + 2;
        return bytes > MAX_SUBMISSION_BYTES ? { code: 'TOO_LARGE', segments: [] } : null;
      case 'number':
        if (!Number.isFinite(value)) return { code: 'NOT_JSON', segments };
        bytes += String(value).length;
        return null;
      case 'boolean':
        bytes += 5;
        return null;
      case 'object': {
        if (value === null) {
          bytes += 4;
          return null;
        }
        if (depth >= MAX_SUBMISSION_DEPTH) return { code: 'TOO_LARGE', segments: [] };
        if (ancestors.has(value)) return { code: 'NOT_JSON', segments };
        ancestors.add(value);
        try {
          bytes += 2;
          if (Array.isArray(value)) {
            for (let i = 0; i < value.length; i += 1) {
              bytes += 1;
              if (value[i] === undefined) return { code: 'NOT_JSON', segments: [...segments, i] };
              const problem = walk(value[i], [...segments, i], depth + 1);
              if (problem) return problem;
            }
            return null;
          }
          if (!isPlainObject(value)) return { code: 'NOT_JSON', segments };
          for (const key of Object.keys(value)) {
            if (value[key] === undefined) continue; // JSON leaves it out
            bytes += Buffer.byteLength(key, 'utf8') + 4;
            const problem = walk(value[key], [...segments, key], depth + 1);
            if (problem) return problem;
          }
          return null;
        } finally {
          ancestors.delete(value);
        }
      }
      default:
        return { code: 'NOT_JSON', segments };
    }
  };
  return walk(submission, [], 0);
}
