// The one error type FEEL evaluation throws. Messages follow Zeebe's incident wording where Zeebe
// has one, so operators see familiar text.

export interface FeelWarning {
  /** feelin's warning type, e.g. NO_VARIABLE_FOUND, INVALID_TYPE, NO_FUNCTION_FOUND. */
  type: string;
  message: string;
}

export type FeelErrorKind = 'SYNTAX' | 'TYPE' | 'LIMIT' | 'FUNCTION';

export class FeelError extends Error {
  constructor(
    readonly kind: FeelErrorKind,
    message: string,
    readonly expression: string,
    readonly warnings: FeelWarning[] = [],
  ) {
    super(message);
    this.name = 'FeelError';
  }
}

/** Zeebe appends evaluation warnings to failure messages in this form. */
export function describeWarnings(warnings: FeelWarning[]): string {
  if (warnings.length === 0) return '';
  return ` The evaluation reported the following warnings:\n${warnings.map((w) => `[${w.type}] ${w.message}`).join('\n')}`;
}
