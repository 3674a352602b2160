// Search requests, 8.8 shape: { filter, sort: [{ field, order }], page: { from, limit } } →
// { items, page: { totalItems } }.
//
// Gridflow narrows Camunda's search contract to what the Runtime seam can honour exactly:
// - filter fields are the ones the seam's *Filter types carry, as exact values; any other
//   field is a 400 ("not a supported filter field") rather than a silently ignored condition;
// - keys starting with `$` are refused anywhere in filter/sort/page. That includes Camunda's own
//   advanced operators ($eq, $in, $like, $or, ...), which the seam has no way to express, and,
//   above all, MongoDB query operators smuggled towards the database;
// - pagination is offset-based only (from/limit); cursor paging (after/before) is a 400.

import type { RequestHandler } from 'express';
import type { SearchQuery } from '../runtime.ts';
import { invalidArgument } from './problem.ts';
import { closedObject, type JsonSchema } from './validation.ts';

export const MAX_PAGE_LIMIT = 10_000;
export const MAX_PAGE_FROM = 2_147_483_647;
export const MAX_SORT_CRITERIA = 10;

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

/** First `$`-prefixed key inside filter/sort/page, as a body path; iterative, depth-bounded by the JSON guard. */
export function findOperatorKey(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const stack: Array<{ v: unknown; path: string }> = [];
  for (const part of ['filter', 'sort', 'page']) {
    if (Object.hasOwn(body, part)) stack.push({ v: (body as Record<string, unknown>)[part], path: `body/${part}` });
  }
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ v: item, path: `${path}/${i}` }));
      continue;
    }
    for (const k of Object.keys(v)) {
      if (k.startsWith('$')) return `${path}/${k}`;
      stack.push({ v: (v as Record<string, unknown>)[k], path: `${path}/${k}` });
    }
  }
  return undefined;
}

/** Runs before the route schema so the client learns exactly why its operator was refused. */
export const operatorKeyGuard: RequestHandler = (req, _res, next) => {
  const at = findOperatorKey(req.body);
  if (at !== undefined) {
    throw invalidArgument(`${at} is not allowed: query operators (keys starting with '$') are not supported, filter by exact values`);
  }
  next();
};

/** The validated body as the seam's SearchQuery. */
export function toSearchQuery<F>(body: Record<string, unknown>): SearchQuery<F> {
  const q: SearchQuery<F> = {};
  if (body.filter !== undefined) q.filter = body.filter as F;
  if (body.sort !== undefined) q.sort = body.sort as SearchQuery<F>['sort'];
  if (body.page !== undefined) q.page = body.page as SearchQuery<F>['page'];
  return q;
}
