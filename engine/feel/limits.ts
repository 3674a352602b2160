// Bounds on FEEL evaluation. Expressions come from deployed diagrams and results end up in process
// variables, so both are capped to keep one bad diagram from exhausting the engine.
//
// - MAX_EXPRESSION_LENGTH: longest expression text accepted (after the leading '='), checked at
//   deploy time by parseFeel and again before every evaluation.
// - MAX_RESULT_CHARS: largest result accepted, measured as the length of its JSON text. A result
//   over the limit is an evaluation error (an incident for the engine), never a truncated value.
// - MAX_RESULT_DEPTH: deepest nesting of lists/contexts in a result.
//
// - Evaluation time: expressions that iterate run on a worker thread with a time limit
//   (sandbox.ts, MAX_EVALUATION_MS); the rest cannot run long and run in place.

export const MAX_EXPRESSION_LENGTH = 10_000;
export const MAX_RESULT_CHARS = 1_048_576;
export const MAX_RESULT_DEPTH = 64;
