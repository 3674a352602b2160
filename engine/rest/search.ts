// Search requests, 8.8 shape: { filter, sort: [{ field, order }], page: { from, limit } } →
// { items, page: { totalItems } }.
//
// Gridflow narrows Camunda's search contract to what the Runtime can honour exactly:
// - filter fields are the ones the runtime can query; any other field is a 400 ("not a supported
//   filter field") rather than a silently ignored condition;
// - a field's value is an exact value or, as in Camunda 8.8, an advanced filter object whose keys
//   are Camunda's operators ($eq, $neq, $exists, $in, $notIn, $gt, $gte, $lt, $lte), each checked
//   against the field's type. Which operators a field takes follows Camunda: ranges only on
//   numbers and dates, $notIn not on booleans, none at all on booleans;
// - `$like` is refused with its own 400: the runtime cannot match wildcards yet;
// - every other key starting with `$`, anywhere in filter/sort/page ($or, $where, $regex, $ne,
//   operators nested inside operators...), is a 400: above all, nothing that looks like a MongoDB
//   query operator travels towards the database;
// - pagination is offset-based only (from/limit); cursor paging (after/before) is a 400.

import type { RequestHandler } from 'express';
import type { SearchQuery } from '../runtime.ts';
import { invalidArgument } from './problem.ts';
import { closedObject, findDollarKey, MESSAGE_KEYWORD, type JsonSchema } from './validation.ts';

export const MAX_PAGE_LIMIT = 10_000;
export const MAX_PAGE_FROM = 2_147_483_647;
export const MAX_SORT_CRITERIA = 10;
/** Most values an `$in` / `$notIn` list may carry. */
export const MAX_IN_VALUES = 1_000;

/** Camunda 8.8's advanced filter operators: the only `$` keys a request may contain. */
export const FILTER_OPERATORS = ['$eq', '$neq', '$exists', '$in', '$notIn', '$gt', '$gte', '$lt', '$lte', '$like'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];
const KNOWN_OPERATORS = new Set<string>(FILTER_OPERATORS);

/** Operators the runtime translates; `$like` is recognised but refused (see operatorKeyGuard). */
type Operator = Exclude<FilterOperator, '$like'>;

const EQUALITY: readonly Operator[] = ['$eq', '$neq', '$exists', '$in', '$notIn'];
const ORDERED: readonly Operator[] = [...EQUALITY, '$gt', '$gte', '$lt', '$lte'];

/** A filter field: exact value (`schema`) or an advanced filter object with `ops`. */
function field(schema: JsonSchema, ops: readonly Operator[]): JsonSchema {
  if (ops.length === 0) return schema;
  const properties: Record<string, unknown> = {};
  for (const op of ops) {
    if (op === '$exists') properties[op] = { type: 'boolean' };
    else if (op === '$in' || op === '$notIn') properties[op] = { type: 'array', maxItems: MAX_IN_VALUES, items: schema };
    else properties[op] = schema;
  }
  return {
    if: { type: 'object' },
    then: { ...closedObject(properties), minProperties: 1, [MESSAGE_KEYWORD]: `must name at least one operator of: ${ops.join(', ')}` },
    else: schema,
  };
}

/** Filter field builders, by the field's type. */
export const filterField = {
  /** Engine keys (numeric strings). */
  key: (schema: JsonSchema) => field(schema, EQUALITY),
  /** Strings and ids. */
  string: (schema: JsonSchema) => field(schema, EQUALITY),
  /** Enumerations (states, types). */
  enum: (values: readonly string[]) => field({ enum: [...values] }, EQUALITY),
  integer: (min: number, max: number) => field({ type: 'integer', minimum: min, maximum: max }, ORDERED),
  dateTime: () => field(dateTimeSchema, ORDERED),
  /** Booleans take exact values only, as in Camunda. */
  boolean: () => ({ type: 'boolean' }) as JsonSchema,
};

/** RFC 3339 date-time, as Camunda sends and accepts it. */
export const dateTimeSchema: JsonSchema = {
  type: 'string',
  maxLength: 64,
  pattern: '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]{1,9})?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$',
  [MESSAGE_KEYWORD]: 'must be an RFC 3339 date-time, e.g. 2025-01-31T12:00:00Z',
};

export function searchBodySchema(filterProperties: Record<string, unknown>, sortFields: readonly string[]): JsonSchema {
  return closedObject({
    filter: closedObject(filterProperties),
    sort: {
      type: 'array',
      maxItems: MAX_SORT_CRITERIA,
      items: closedObject({ field: { enum: [...sortFields] }, order: { enum: ['ASC', 'DESC'] } }, ['field']),
    },
    page: closedObject({
      from: { type: 'integer', minimum: 0, maximum: MAX_PAGE_FROM },
      limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_LIMIT },
    }),
  });
}

export interface OperatorKeyProblem {
  /** Where, as a body path. */
  at: string;
  /** `$like`: a Camunda operator Gridflow cannot evaluate yet; otherwise a key that is no operator here. */
  kind: 'like' | 'forbidden';
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The first `$` key in a search body that is not a Camunda operator in operator position
 * (`filter.<field>.<operator>`). Iterative; depth is bounded by the JSON shape guard.
 */
export function findOperatorKey(body: unknown): OperatorKeyProblem | undefined {
  if (!isPlainObject(body)) return undefined;
  const forbidden = (at: string | undefined): OperatorKeyProblem | undefined => (at === undefined ? undefined : { at, kind: 'forbidden' });
  for (const k of Object.keys(body)) if (k.startsWith('$')) return { at: `body/${k}`, kind: 'forbidden' };
  for (const part of ['sort', 'page']) {
    const found = Object.hasOwn(body, part) ? forbidden(findDollarKey(body[part], `body/${part}`)) : undefined;
    if (found) return found;
  }
  if (!Object.hasOwn(body, 'filter')) return undefined;
  const filter = body.filter;
  if (!isPlainObject(filter)) return forbidden(findDollarKey(filter, 'body/filter'));
  for (const name of Object.keys(filter)) {
    const at = `body/filter/${name}`;
    if (name.startsWith('$')) return { at, kind: 'forbidden' };
    const value = filter[name];
    if (!isPlainObject(value)) {
      const found = forbidden(findDollarKey(value, at));
      if (found) return found;
      continue;
    }
    // The field's advanced filter object: its own keys may be operators, nothing below them.
    for (const op of Object.keys(value)) {
      if (op === '$like') return { at: `${at}/${op}`, kind: 'like' };
      if (op.startsWith('$') && !KNOWN_OPERATORS.has(op)) return { at: `${at}/${op}`, kind: 'forbidden' };
      const found = forbidden(findDollarKey(value[op], `${at}/${op}`));
      if (found) return found;
    }
  }
  return undefined;
}

/** Runs before the route schema so the client learns exactly why its key was refused. */
export const operatorKeyGuard: RequestHandler = (req, _res, next) => {
  const problem = findOperatorKey(req.body);
  if (problem?.kind === 'like') {
    throw invalidArgument(`${problem.at} is not supported by Gridflow yet: wildcard matching is not available; use $eq or $in`);
  }
  if (problem !== undefined) {
    throw invalidArgument(`${problem.at} is not allowed: keys starting with '$' are only Camunda's filter operators (${FILTER_OPERATORS.filter((o) => o !== '$like').join(', ')}), used as keys of a filter field's value`);
  }
  next();
};

/** The validated body as the seam's SearchQuery (filter values may be advanced filter objects). */
export function toSearchQuery<F>(body: Record<string, unknown>): SearchQuery<F> {
  const q: SearchQuery<F> = {};
  if (body.filter !== undefined) q.filter = body.filter as F;
  if (body.sort !== undefined) q.sort = body.sort as SearchQuery<F>['sort'];
  if (body.page !== undefined) q.page = body.page as SearchQuery<F>['page'];
  return q;
}
