// feelin values -> JSON values, the way Zeebe writes FEEL results into variables:
//   date            -> "2020-01-01"
//   time (local)    -> "10:15" / "10:15:30" (java.time.LocalTime#toString drops zero seconds)
//   time (zoned)    -> "10:15:30+02:00", "10:15:30Z", "10:15:30@Europe/Paris"
//   date and time   -> "2020-01-01T10:15:30" (local), "2020-01-01T10:15:30+02:00",
//                      "2020-01-01T10:15:30Z", "2020-07-01T10:15:30+02:00[Europe/Paris]"
//   durations       -> ISO 8601, e.g. "P1DT2H", "P1Y2M"
//   context         -> plain object, list -> array
//   range, function -> null (Zeebe has no JSON form for them either)
//   NaN, +-Infinity -> null
import { FeelDate, FeelDateTime, FeelDuration, FeelTime, isFunction, isRange } from 'feelin';
import { FeelError } from './errors.ts';
import { MAX_RESULT_CHARS, MAX_RESULT_DEPTH } from './limits.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

function offsetText(offset: string): string {
  return offset === '+00:00' || offset === '-00:00' ? 'Z' : offset;
}

function isUtcZone(zone: string): boolean {
  return zone === 'UTC' || zone === 'Z';
}

function isOffsetZone(zone: string): boolean {
  return /^[+-]\d{2}:\d{2}(:\d{2})?$/.test(zone);
}

export function dateTimeToJson(value: FeelDateTime): string {
  const local = value.value.toString();
  const zone = value.zone;
  if (zone === null) return local;
  if (isUtcZone(zone)) return `${local}Z`;
  if (isOffsetZone(zone)) return `${local}${offsetText(zone)}`;
  const zoned = value.value.toZonedDateTime(zone);
  return `${local}${offsetText(zoned.offset)}[${zone}]`;
}

export function timeToJson(value: FeelTime): string {
  const zone = value.zone;
  if (zone === null) {
    const t = value.value;
    const hm = `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
    if (t.second === 0 && t.millisecond === 0 && t.microsecond === 0 && t.nanosecond === 0) return hm;
    return t.toString();
  }
  const local = value.value.toString();
  if (isUtcZone(zone)) return `${local}Z`;
  if (isOffsetZone(zone)) return `${local}${offsetText(zone)}`;
  return `${local}@${zone}`;
}

/** Convert a feelin result to a JSON value. Throws FeelError (LIMIT) on too deep nesting. */
export function toJson(value: unknown, expression = '', depth = 0): JsonValue {
  if (depth > MAX_RESULT_DEPTH) {
    throw new FeelError('LIMIT', `Result of the expression '${expression}' is nested deeper than ${MAX_RESULT_DEPTH} levels`, expression);
  }
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return Number(value);
    case 'function':
    case 'symbol':
      return null;
  }
  if (value instanceof FeelDate) return value.iso;
  if (value instanceof FeelDateTime) return dateTimeToJson(value);
  if (value instanceof FeelTime) return timeToJson(value);
  if (value instanceof FeelDuration) return value.iso;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (isFunction(value) || isRange(value)) return null;
  if (Array.isArray(value)) return value.map((item) => toJson(item, expression, depth + 1));
  const out: { [key: string]: JsonValue } = {};
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    out[key] = toJson(entry, expression, depth + 1);
  }
  return out;
}

/** Convert and enforce MAX_RESULT_CHARS. */
export function toBoundedJson(value: unknown, expression: string): JsonValue {
  const json = toJson(value, expression);
  if (typeof json === 'object' && json !== null) {
    const size = JSON.stringify(json).length;
    if (size > MAX_RESULT_CHARS) {
      throw new FeelError('LIMIT', `Result of the expression '${expression}' is too large (${size} characters of JSON, limit ${MAX_RESULT_CHARS})`, expression);
    }
  } else if (typeof json === 'string' && json.length > MAX_RESULT_CHARS) {
    throw new FeelError('LIMIT', `Result of the expression '${expression}' is too large (${json.length} characters, limit ${MAX_RESULT_CHARS})`, expression);
  }
  return json;
}
