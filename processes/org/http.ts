// Shared pieces of the zone's /api routes: paging, free-text search, the caller's grid scope.
import type { Response } from 'express';
import { principalOf, type Principal } from '../../engine/rest/access.ts';

export const pageQuery = {
  page: { type: 'string', pattern: '^[1-9][0-9]{0,5}$', 'x-message': 'must be a page number (1 or more)' },
  pageSize: { type: 'string', pattern: '^([1-9]|[1-9][0-9]|1[0-9][0-9]|200)$', 'x-message': 'must be a number from 1 to 200' },
} as const;

export const gridIdQuery = { type: 'string', pattern: '^[1-9][0-9]{0,3}$', 'x-message': 'must be a grid number such as 3' } as const;
export const searchQuery = { type: 'string', minLength: 1, maxLength: 100 } as const;

/** A date or date-time in a query; an offset's '+' that arrived unencoded (as a space) is accepted. */
export const isoDateQuery = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}([T ][0-9:.]+(Z|[+\\- ]\\d{2}:?\\d{2})?)?$', 'x-message': 'must be an ISO 8601 date or date-time' } as const;

/** The instant of a query date: a date alone is the zone's midnight (UTC+8); null when invalid. */
export function queryInstant(s: string): Date | null {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00+08:00` : s.replace(/ (\d{2}:?\d{2})$/, '+$1');
  const [y, m, day] = s.slice(0, 10).split('-').map(Number) as [number, number, number];
  const calendar = new Date(Date.UTC(y, m - 1, day));
  if (calendar.getUTCMonth() !== m - 1 || calendar.getUTCDate() !== day) return null; // 2026-02-30
  const d = new Date(text);
  return Number.isNaN(+d) ? null : d;
}

export function paging(q: Record<string, unknown>): { page: number; pageSize: number; skip: number } {
  const page = q.page === undefined ? 1 : Number(q.page);
  const pageSize = q.pageSize === undefined ? 20 : Number(q.pageSize);
  return { page, pageSize, skip: (page - 1) * pageSize };
}

/** A case-insensitive "contains" regular expression of user text (its metacharacters escaped). */
export const contains = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');

export function callerOf(res: Response): Principal {
  return principalOf(res);
}

/** The grids a caller's lists are limited to: null for zone-wide callers (everything). */
export function gridScope(p: Principal): string[] | null {
  return p.zoneWide ? null : [...p.grids];
}
