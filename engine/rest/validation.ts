// Request validation for /v2: one Ajv instance, the schema building blocks the route files share
// (keys, tenant ids, variables, int64 values) and the middleware that rejects bad input with a
// 400 problem naming the offending field before anything reaches the Runtime.

import { Ajv, type AnySchemaObject, type ErrorObject, type SchemaObject, type ValidateFunction } from 'ajv';
import type { Request, RequestHandler } from 'express';
import { HttpProblem, invalidArgument } from './problem.ts';

export type JsonSchema = SchemaObject;

// ---------------------------------------------------------------------------------------------
// Ajv setup

const INT64_KEYWORD = 'x-int64';
export const MESSAGE_KEYWORD = 'x-message';

export const ajv = new Ajv({
  allErrors: false, // stop at the first error: one clear message, bounded work on hostile input
  strict: true,
  allowUnionTypes: true,
  coerceTypes: false,
  useDefaults: false,
  verbose: true, // gives errors their parentSchema, for x-message
});

// Human wording for an otherwise cryptic `pattern` or `minProperties` failure, e.g. "must be a numeric key of 1 to 19 digits".
ajv.addVocabulary([MESSAGE_KEYWORD]);

/**
 * Camunda's spec types some int64 fields (timeout, requestTimeout, retryBackOff, timeToLive) as
 * numbers, but its own client serialises them as decimal strings (BigInt → "60000"). Accept both,
 * check the range, and normalise the value to a JS number in place.
 */
ajv.addKeyword({
  keyword: INT64_KEYWORD,
  type: ['integer', 'string'],
  schemaType: 'array',
  modifying: true,
  errors: true,
  validate: function int64(schema: [number, number], data: unknown, _parent?: AnySchemaObject, cxt?: { parentData: unknown; parentDataProperty: string | number }): boolean {
    const [min, max] = schema;
    const self = int64 as unknown as { errors?: Partial<ErrorObject>[] };
    let n: number;
    if (typeof data === 'string') {
      n = /^-?[0-9]{1,16}$/.test(data) ? Number(data) : Number.NaN;
    } else {
      n = data as number;
    }
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      self.errors = [{ keyword: INT64_KEYWORD, message: `must be an integer between ${min} and ${max}`, params: { min, max } }];
      return false;
    }
    if (typeof data === 'string' && cxt?.parentData !== undefined) {
      (cxt.parentData as Record<string | number, unknown>)[cxt.parentDataProperty] = n;
    }
    return true;
  },
});

// ---------------------------------------------------------------------------------------------
// Shared schema pieces (8.8 spec shapes, Gridflow's bounds)

/** Engine keys: numeric strings of at most 19 digits (a Java long, as Camunda sends it). */
export const keySchema = { type: 'string', pattern: '^[0-9]{1,19}$', [MESSAGE_KEYWORD]: 'must be a numeric key of 1 to 19 digits' } as const;

/** Camunda's TenantId: `<default>` or [A-Za-z0-9_@.+-]+, 1..256 characters. */
export const tenantIdSchema = {
  type: 'string', minLength: 1, maxLength: 256, pattern: '^(<default>|[A-Za-z0-9_@.+-]+)$',
  [MESSAGE_KEYWORD]: "must be '<default>' or consist of letters, digits and _@.+-",
} as const;

/** Camunda's ProcessDefinitionId (the BPMN process id). */
export const processDefinitionIdSchema = {
  type: 'string', minLength: 1, maxLength: 256, pattern: '^[a-zA-Z_][a-zA-Z0-9_\\-\\.]*$',
  [MESSAGE_KEYWORD]: 'must be a BPMN id: a letter or _ followed by letters, digits, _, - or .',
} as const;

export const nonEmptyString = (maxLength = 1024) => ({ type: 'string', minLength: 1, maxLength }) as const;
export const boundedString = (maxLength = 1024) => ({ type: 'string', maxLength }) as const;

/** `variables`: a JSON object (never an array, string or number). */
export const variablesSchema = { type: 'object' } as const;
/** Where the 8.8 spec allows `variables: null` explicitly. */
export const nullableVariablesSchema = { type: ['object', 'null'] } as const;

/** An int64 that may arrive as a JSON number or a decimal string; normalised to a number. */
export const int64 = (min: number, max: number) => ({ type: ['integer', 'string'], [INT64_KEYWORD]: [min, max] }) as const;

/** Closed object schema (additionalProperties: false). */
export function closedObject(properties: Record<string, unknown>, required: string[] = []): JsonSchema {
  return { type: 'object', additionalProperties: false, properties, ...(required.length > 0 ? { required } : {}) };
}

/** Path params: every listed param is a required engine key. */
export function keyParams(...names: string[]): JsonSchema {
  return closedObject(Object.fromEntries(names.map((n) => [n, keySchema])), names);
}

/** No query parameters accepted. */
export const noQuery: JsonSchema = closedObject({});

// ---------------------------------------------------------------------------------------------
// Messages

type Location = 'body' | 'query' | 'path';

function formatError(loc: Location, e: ErrorObject): string {
  const at = `${loc}${e.instancePath}`;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${at}/${String(params.missingProperty)} is required`;
    case 'additionalProperties': {
      const prop = String(params.additionalProperty);
      if (/\/filter$/.test(e.instancePath)) return `${at}/${prop} is not a supported filter field`;
      if (/\/filter\/[^/]+$/.test(e.instancePath)) {
        const ops = Object.keys(((e.parentSchema as Record<string, unknown> | undefined)?.properties ?? {}) as object);
        return `${at}/${prop} is not a supported operator for this field; use one of: ${ops.join(', ')}`;
      }
      return `${at}/${prop} is not allowed`;
    }
    case 'enum':
      return `${at} must be one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'type': {
      const range = (e.parentSchema as Record<string, unknown> | undefined)?.[INT64_KEYWORD];
      if (Array.isArray(range)) return `${at} must be an integer between ${String(range[0])} and ${String(range[1])}`;
      return `${at} must be ${Array.isArray(params.type) ? (params.type as string[]).join(' or ') : String(params.type)}`;
    }
    case 'minProperties':
    case 'pattern': {
      const custom = (e.parentSchema as Record<string, unknown> | undefined)?.[MESSAGE_KEYWORD];
      if (typeof custom === 'string') return `${at} ${custom}`;
      return `${at} ${e.keyword === 'pattern' ? 'has an invalid format' : e.message ?? 'is invalid'}`;
    }
    default:
      return `${at} ${e.message ?? 'is invalid'}`;
  }
}

function firstError(loc: Location, fn: ValidateFunction): string {
  const e = fn.errors?.[0];
  return e === undefined ? `${loc} is invalid` : formatError(loc, e);
}

// ---------------------------------------------------------------------------------------------
// Middleware

export interface RouteSchemas {
  /** Path parameters (required when the route path has any). */
  params?: JsonSchema;
  /** Query string; defaults to "no query parameters". */
  query?: JsonSchema;
  /** JSON body. Omit for routes that take none (then only an absent or empty-object body passes). */
  body?: JsonSchema;
  /** Body must be present. When false, an absent or `null` body is validated as `{}`. */
  bodyRequired?: boolean;
  /** Cross-field rules JSON Schema expresses badly; return a detail message to reject. */
  refine?: (req: Request) => string | undefined;
}

const emptyBody: JsonSchema = closedObject({});

/** The schemas each validate() middleware enforces: what the validation coverage report reads off the routes. */
const declared = new WeakMap<RequestHandler, RouteSchemas>();
export const declaredSchemas = (handler: unknown): RouteSchemas | undefined =>
  (typeof handler === 'function' ? declared.get(handler as RequestHandler) : undefined);

/** Compiles the route's schemas once and returns the middleware that enforces them. */
export function validate(s: RouteSchemas): RequestHandler {
  const middleware = validator(s);
  declared.set(middleware, s);
  return middleware;
}

function validator(s: RouteSchemas): RequestHandler {
  const params = ajv.compile(s.params ?? closedObject({}));
  const query = ajv.compile(s.query ?? noQuery);
  const body = ajv.compile(s.body ?? emptyBody);
  const bodyRequired = s.body !== undefined && s.bodyRequired === true;
  return (req, _res, next) => {
    if (!params(req.params ?? {})) throw invalidArgument(firstError('path', params));
    if (!query(req.query ?? {})) throw invalidArgument(firstError('query', query));
    if (req.body === undefined || req.body === null) {
      if (bodyRequired) throw invalidArgument('body is required');
      req.body = {};
    }
    if (!body(req.body)) throw invalidArgument(firstError('body', body));
    const refined = s.refine?.(req);
    if (refined !== undefined) throw invalidArgument(refined);
    next();
  };
}

// ---------------------------------------------------------------------------------------------
// Whole-body guards, applied to every parsed JSON body before any route schema

export const MAX_JSON_DEPTH = 64;

/**
 * Walks the parsed body iteratively (so hostile nesting cannot blow the stack here, nor later in
 * the runtime or the database driver): rejects nesting deeper than MAX_JSON_DEPTH and `__proto__`
 * keys anywhere.
 */
export function checkJsonShape(value: unknown): string | undefined {
  const stack: Array<{ v: unknown; depth: number; path: string }> = [{ v: value, depth: 0, path: 'body' }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return `${path} is nested deeper than ${MAX_JSON_DEPTH} levels`;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], depth: depth + 1, path: `${path}/${i}` });
    } else {
      for (const k of Object.keys(v)) {
        if (k === '__proto__') return `${path}/__proto__ is not allowed`;
        stack.push({ v: (v as Record<string, unknown>)[k], depth: depth + 1, path: `${path}/${k}` });
      }
    }
  }
  return undefined;
}

/**
 * The first key starting with `$` anywhere in a body, as a body path. Outside the filters of
 * search requests (see search.ts) no such key is accepted: not in variables either, where the
 * database cannot store it and where it could only ever be mistaken for a query operator.
 */
export function findDollarKey(value: unknown, root = 'body'): string | undefined {
  const stack: Array<{ v: unknown; path: string }> = [{ v: value, path: root }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], path: `${path}/${i}` });
      continue;
    }
    for (const k of Object.keys(v)) {
      if (k.startsWith('$')) return `${path}/${k}`;
      stack.push({ v: (v as Record<string, unknown>)[k], path: `${path}/${k}` });
    }
  }
  return undefined;
}

/** For every route but searches: no `$` keys anywhere in the body. */
export const dollarKeyGuard: RequestHandler = (req, _res, next) => {
  const at = findDollarKey(req.body);
  if (at !== undefined) throw invalidArgument(`${at} is not allowed: keys starting with '$' are not supported`);
  next();
};

export const jsonShapeGuard: RequestHandler = (req, _res, next) => {
  if (req.body !== undefined) {
    const problem = checkJsonShape(req.body);
    if (problem !== undefined) throw invalidArgument(problem);
  }
  next();
};

function hasBody(req: Request): boolean {
  const te = req.headers['transfer-encoding'];
  const cl = req.headers['content-length'];
  return te !== undefined || (cl !== undefined && cl !== '0');
}

/** For JSON routes: a body sent with another media type is refused rather than silently ignored. */
export const requireJsonContentType: RequestHandler = (req, _res, next) => {
  if (hasBody(req) && req.is(['application/json', 'application/*+json']) === false) {
    throw new HttpProblem(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type '${String(req.headers['content-type'] ?? '').slice(0, 100)}' is not supported; send application/json`);
  }
  next();
};
