// Exact decimal arithmetic for number fields, as form-js does it with big.js: a JS number is taken
// by its shortest string form (0.1 is exactly one tenth), so `decimalDigits`, `increment`, `min`
// and `max` never suffer binary rounding (0.3 is a multiple of 0.1 here).

/** value = units / 10^scale, scale >= 0. */
export interface Decimal {
  units: bigint;
  scale: number;
}

const DECIMAL = /^(-?)(\d+(?:\.\d*)?|\.\d+)(?:e([+-]?\d+))?$/i;
const MAX_EXPONENT = 1000;

/**
 * Parse what big.js parses: a finite number (by its string form) or a decimal string such as
 * "-1.5" or "2e3"; null for anything else.
 */
export function parseDecimal(value: unknown): Decimal | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    text = String(value);
  } else if (typeof value === 'string') {
    text = value;
  } else {
    return null;
  }
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const [, sign, mantissa, exponentText] = match;
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > MAX_EXPONENT) return null;
  const [intPart, fracPart = ''] = mantissa!.split('.');
  let digits = `${intPart}${fracPart}`.replace(/^0+(?=\d)/, '');
  let scale = fracPart.length - exponent;
  if (scale < 0) {
    digits += '0'.repeat(-scale);
    scale = 0;
  }
  let units = BigInt(digits === '' ? '0' : digits);
  if (sign === '-') units = -units;
  return normalize({ units, scale });
}

/** Strip trailing zeros of the fraction (1.50 → 1.5), as big.js keeps numbers. */
function normalize(d: Decimal): Decimal {
  let { units, scale } = d;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return { units, scale };
}

function align(a: Decimal, b: Decimal): [bigint, bigint] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * 10n ** BigInt(scale - a.scale), b.units * 10n ** BigInt(scale - b.scale)];
}

export function compareDecimal(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Digits after the decimal point, trailing zeros not counted (big.js `toFixed()`). */
export function decimalPlaces(d: Decimal): number {
  return normalize(d).scale;
}

/** True when `value` is a whole multiple of `step` (step must not be zero). */
export function isMultiple(value: Decimal, step: Decimal): boolean {
  const [x, y] = align(value, step);
  if (y === 0n) return false;
  return x % y === 0n;
}

/**
 * The valid values around `value` for the INCREMENT message, worked out as form-js does: the
 * remainder is dropped (towards zero), then one step is added.
 */
export function nearestMultiples(value: Decimal, step: Decimal): [string, string] {
  const scale = Math.max(value.scale, step.scale);
  const [x, y] = align(value, step);
  const positive = y < 0n ? -y : y;
  const previous = (x / positive) * positive;
  return [formatDecimal({ units: previous, scale }), formatDecimal({ units: previous + positive, scale })];
}

export function formatDecimal(d: Decimal): string {
  const { units, scale } = normalize(d);
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}
