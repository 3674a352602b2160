// The JSON Schema vocabulary of compiled forms: standard draft 2020-12 keywords where they mean
// exactly what form-js checks, and `gridflow*` keywords where form-js's rule is its own:
//
//   gridflowRequired        not null, '', false, [] (form-js's "Field is required")
//   gridflowMinLength/Max…  length of the trimmed text in UTF-16 units, only for non-empty text
//   gridflowPattern         a JavaScript regular expression without flags, not anchored, run
//                           on text of at most MAX_PATTERN_SUBJECT_LENGTH characters
//   gridflowValidationType  'email', 'phone', 'uscc', 'cnMobile' (only for non-empty text)
//   gridflowSingleLine      no line breaks or tabs (a text field cannot hold them)
//   gridflowNumeric         a decimal number written as text (serializeToString)
//   gridflowMinimum/Max…    exact decimal bound (text); { notANumber }: the form's bound is not a
//                           number, so every non-empty value fails (as in form-js)
//   gridflowDecimalDigits   at most that many digits after the point
//   gridflowIncrement       a whole multiple of the step (exact decimals)
//   gridflowDateTime        { subtype, format }: the shape a datetime field writes
//   gridflowTimeInterval    { subtype, format, step }: minutes on the time picker's grid
//   gridflowNotBefore       'YYYY-MM-DD': the date part is not earlier
//   gridflowDocuments       a list of document references ({ documentId, ... })
import { Ajv2020, type ErrorObject, type JSONType, type SchemaObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { DataValidateFunction } from 'ajv/dist/types/index.js';
import { createHash } from 'node:crypto';
import { checkDateTimeShape, onTimeGrid } from './datetime.ts';
import { compareDecimal, decimalPlaces, isMultiple, nearestMultiples, parseDecimal } from './decimal.ts';
import { isEmail } from './email.ts';
import { MAX_PATTERN_SUBJECT_LENGTH, VALIDATOR_CACHE_SIZE } from './limits.ts';
import { Lru } from './lru.ts';
import { isPlainObject } from './paths.ts';
import { isCnMobile, isInternationalPhone } from './phone.ts';
import { isValidUscc } from './uscc.ts';

export const NUMERIC_TEXT = /^-?(\d+\.?\d*|\.\d+)$/;

type Check = (value: unknown) => Record<string, unknown> | null;

const ajv = new Ajv2020({ allErrors: true, strict: true, strictTuples: false, allowUnionTypes: true });

/** Register a keyword whose schema value compiles to a check; the check returns error params or null. */
function keyword(name: string, schemaType: JSONType | JSONType[], compile: (schema: any) => Check): void {
  ajv.addKeyword({
    keyword: name,
    schemaType,
    errors: true,
    compile(schema: unknown) {
      const check = compile(schema);
      const validate: DataValidateFunction = (value: unknown): boolean => {
        const params = check(value);
        if (params === null) return true;
        validate.errors = [{ keyword: name, message: name, params }];
        return false;
      };
      return validate;
    },
  });
}

const nonEmptyText = (value: unknown): value is string => typeof value === 'string' && value !== '';

keyword('gridflowRequired', 'boolean', (on: boolean) => (value) => {
  if (!on) return null;
  const empty = value === null || value === undefined || value === '' || value === false || (Array.isArray(value) && value.length === 0);
  return empty ? {} : null;
});
keyword('gridflowMinLength', 'number', (limit: number) => (value) => (nonEmptyText(value) && value.trim().length < limit ? { limit } : null));
keyword('gridflowMaxLength', 'number', (limit: number) => (value) => (nonEmptyText(value) && value.trim().length > limit ? { limit } : null));
keyword('gridflowPattern', 'object', (schema: { pattern: string; message?: string }) => {
  const re = new RegExp(schema.pattern);
  return (value) => {
    if (!nonEmptyText(value)) return null;
    if (value.length > MAX_PATTERN_SUBJECT_LENGTH) return { ...schema, tooLong: MAX_PATTERN_SUBJECT_LENGTH };
    return re.test(value) ? null : { ...schema };
  };
});
keyword('gridflowValidationType', 'string', (type: string) => {
  const valid: (s: string) => boolean = type === 'email' ? isEmail : type === 'phone' ? isInternationalPhone : type === 'uscc' ? isValidUscc : isCnMobile;
  return (value) => (nonEmptyText(value) && !valid(value) ? { type } : null);
});
keyword('gridflowSingleLine', 'boolean', (on: boolean) => (value) => (on && typeof value === 'string' && /[\r\n\t]/.test(value) ? {} : null));
keyword('gridflowNumeric', 'boolean', (on: boolean) => (value) => (on && typeof value === 'string' && !NUMERIC_TEXT.test(value) ? {} : null));

function bound(direction: 'min' | 'max') {
  return (limit: string | { notANumber: unknown }): Check => {
    const decimal = typeof limit === 'string' ? parseDecimal(limit) : null;
    return (value) => {
      if (!(value || value === 0) || (typeof value !== 'number' && typeof value !== 'string')) return null;
      if (decimal === null) return { limit: null };
      const v = parseDecimal(value);
      if (v === null) return null; // not a number: reported as TYPE
      const c = compareDecimal(v, decimal);
      return (direction === 'min' ? c < 0 : c > 0) ? { limit } : null;
    };
  };
}
keyword('gridflowMinimum', ['string', 'object'], bound('min'));
keyword('gridflowMaximum', ['string', 'object'], bound('max'));
keyword('gridflowDecimalDigits', 'number', (limit: number) => (value) => {
  const v = value ? parseDecimal(value) : null;
  return v && decimalPlaces(v) > limit ? { limit } : null;
});
keyword('gridflowIncrement', 'string', (step: string) => {
  const s = parseDecimal(step)!;
  return (value) => {
    const v = value ? parseDecimal(value) : null;
    if (!v || isMultiple(v, s)) return null;
    const [previous, next] = nearestMultiples(v, s);
    return { step, previous, next };
  };
});
keyword('gridflowDateTime', 'object', (schema: { subtype: string; format?: string }) => (value) =>
  typeof value === 'string' && !checkDateTimeShape(value, schema.subtype, schema.format) ? { ...schema } : null,
);
keyword('gridflowTimeInterval', 'object', (schema: { subtype: string; format?: string; step: number }) => (value) =>
  typeof value === 'string' && checkDateTimeShape(value, schema.subtype, schema.format) && !onTimeGrid(value, schema.subtype, schema.format, schema.step)
    ? { step: schema.step }
    : null,
);
keyword('gridflowNotBefore', 'string', (date: string) => (value) => (typeof value === 'string' && value.slice(0, 10) < date ? { date } : null));
keyword('gridflowDocuments', 'boolean', (on: boolean) => (value) => {
  if (!on || !Array.isArray(value)) return null;
  const ok = value.every((d) => isPlainObject(d) && typeof d.documentId === 'string' && d.documentId !== '');
  return ok ? null : {};
});

interface Compiled {
  validate: ValidateFunction;
  schema: SchemaObject;
}

const validators = new Lru<string, Compiled>(VALIDATOR_CACHE_SIZE, (_, compiled) => ajv.removeSchema(compiled.schema));

/** The compiled validator of a JSON Schema, shared by every schema with the same text. */
export function validatorFor(schema: SchemaObject): ValidateFunction {
  const key = createHash('sha256').update(JSON.stringify(schema)).digest('base64');
  const cached = validators.get(key);
  if (cached) return cached.validate;
  const validate = ajv.compile(schema);
  validators.set(key, { validate, schema });
  return validate;
}

export function cachedValidatorCount(): number {
  return validators.size;
}

export type { ErrorObject };
