// Bounds on FEEL evaluation. Expressions come from deployed diagrams and results end up in process
// variables, so both are capped to keep one bad diagram from exhausting the engine.
//
// - MAX_EXPRESSION_LENGTH: longest expression text accepted (after the leading '='), checked at
//   deploy time by parseFeel and again before every evaluation.
// - MAX_RESULT_CHARS: largest result accepted, measured as the length of its JSON text. A result
//   over the limit is an evaluation error (an incident for the engine), never a truncated value.
// - MAX_RESULT_DEPTH: deepest nesting of lists/contexts in a result.
//
// Not bounded yet: evaluation time. feelin evaluates synchronously on the calling thread, so a
// hard time limit (e.g. `for i in 1..100000000 return i`) needs evaluation in a worker thread that
// can be terminated; the result-size check only runs after evaluation has finished.

export const MAX_EXPRESSION_LENGTH = 10_000;
export const MAX_RESULT_CHARS = 1_048_576;
export const MAX_RESULT_DEPTH = 64;
