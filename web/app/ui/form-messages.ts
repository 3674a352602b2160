// form-js checks fields in the browser with English messages of its own; they are reworded here
// with the server's messages (forms/messages.ts) in the user's language, so a field reads the
// same whether the browser or the server found the problem.
import { message } from '../../../forms/messages.ts';
import type { ErrorCode } from '../../../forms/types.ts';
import { getLocale } from '../core/i18n.ts';

const RULES: Array<[RegExp, ErrorCode, (m: RegExpExecArray) => Record<string, unknown>]> = [
  [/^Field is required\.$/, 'REQUIRED', () => ({})],
  [/^Field must have minimum length of (\d+)\.$/, 'MIN_LENGTH', (m) => ({ limit: Number(m[1]) })],
  [/^Field must have maximum length of (\d+)\.$/, 'MAX_LENGTH', (m) => ({ limit: Number(m[1]) })],
  [/^Field must have minimum value of (.+)\.$/, 'MIN', (m) => ({ limit: m[1] })],
  [/^Field must have maximum value of (.+)\.$/, 'MAX', (m) => ({ limit: m[1] })],
  [/^Field must be a valid email\.$/, 'EMAIL', () => ({})],
  [/^Field must be a valid\s+international phone number/, 'PHONE', () => ({})],
  [/^Field must match pattern (.*)\.$/, 'PATTERN', (m) => ({ pattern: m[1] })],
  [/^Value is not a number\.$/, 'TYPE', () => ({ type: 'number' })],
  [/^Value is expected to be an integer\.$/, 'DECIMAL_DIGITS', () => ({ limit: 0 })],
  [/^Value is expected to have at most (\d+) decimal digits?\.$/, 'DECIMAL_DIGITS', (m) => ({ limit: Number(m[1]) })],
];

export function localizeFormMessage(text: string): string {
  for (const [re, code, params] of RULES) {
    const m = re.exec(text);
    if (m) return message(code, getLocale(), params(m));
  }
  // An increment: the step is not in form-js's text, so the server's wording cannot be used.
  const step = /^Please select a valid value, the two nearest valid values are (\S+) and (\S+)\.$/.exec(text);
  if (step && getLocale() === 'zh') return `请输入有效的值，最接近的有效值为 ${step[1]} 和 ${step[2]}。`;
  return text;
}

/** Rewords the messages of a form-js Form's validator from now on. */
export function localizeValidator(form: { get(name: string): unknown }): void {
  const validator = form.get('validator') as { validateFieldInstance(i: unknown, v: unknown): string[] };
  const check = validator.validateFieldInstance.bind(validator);
  validator.validateFieldInstance = (instance, value) => check(instance, value).map(localizeFormMessage);
}
