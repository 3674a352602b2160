// Deploy-time syntax check of FEEL expressions. feelin's parser is a lezer grammar that recovers
// from errors by inserting error nodes (`type.isError`) instead of throwing, so the check walks
// the tree for the first error node and describes it.
import { parseExpression } from 'feelin';
import { functionContext } from './functions.ts';
import { MAX_EXPRESSION_LENGTH } from './limits.ts';

/** The FEEL dialect Zeebe speaks (backtick names such as `a b`, etc.). */
export const FEEL_DIALECT = 'camunda';

/** True when a BPMN attribute value is a FEEL expression (Camunda: it starts with '='). */
export function isExpression(value: string | null | undefined): boolean {
  return typeof value === 'string' && value.trimStart().startsWith('=');
}

/** The FEEL text of an attribute value: everything after the leading '='. */
export function stripExpressionMarker(value: string): string {
  const trimmed = value.trimStart();
  return trimmed.startsWith('=') ? trimmed.slice(1) : value;
}

/**
 * Syntax-check a FEEL expression. Accepts the expression with or without its leading '='.
 * Returns a human readable problem, or null when the expression parses.
 */
export function parseFeel(expression: string, context: Record<string, unknown> = {}): string | null {
  const text = stripExpressionMarker(expression);
  if (text.length > MAX_EXPRESSION_LENGTH) {
    return `expression is too long (${text.length} characters, limit ${MAX_EXPRESSION_LENGTH})`;
  }
  if (text.trim().length === 0) return 'expression is empty';
  let tree;
  try {
    tree = parseExpression(text, { ...functionContext(), ...context }, FEEL_DIALECT);
  } catch (err) {
    return `failed to parse expression: ${(err as Error).message}`;
  }
  let problem: string | null = null;
  tree.iterate({
    enter(node) {
      if (problem !== null) return false;
      if (!node.type.isError) return undefined;
      problem = describeError(text, node.from, node.to);
      return false;
    },
  });
  return problem;
}

function describeError(text: string, from: number, to: number): string {
  if (from < to) return `unexpected '${snippet(text.slice(from, to))}' at position ${from + 1}`;
  const rest = text.slice(from).trimStart();
  if (rest.length === 0) return 'incomplete expression: unexpected end of input';
  const at = text.length - rest.length;
  return `unexpected '${snippet(rest.split(/\s/)[0] ?? rest)}' at position ${at + 1}`;
}

function snippet(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
