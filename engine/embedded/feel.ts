// The runtime's single door to FEEL: `=` expressions are FEEL, anything else a literal.
import { evaluate } from '../feel/index.ts';

export class ExpressionError extends Error {
  constructor(readonly elementId: string | null, message: string) { super(message); this.name = 'ExpressionError'; }
}

/** `clock` is the runtime's: what `now()` and `today()` read. */
export function evaluateFeel(expr: string, ctx: Record<string, unknown>, elementId: string | null, clock?: () => number): unknown {
  if (typeof expr !== 'string' || !expr.startsWith('=')) return expr;
  try {
    return evaluate(expr, ctx, { clock }).value;
  } catch (err) {
    throw new ExpressionError(elementId, `failed to evaluate expression '${expr.slice(1)}' on element '${elementId}': ${(err as Error).message}`);
  }
}
