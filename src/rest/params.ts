import { offsetToCursor } from '@pothos/plugin-relay';
import { invalid } from '../errors/app-error.js';
import type { RestRequest } from './route.js';

export function integerHeader(value: string | null): number | null {
  return value !== null && /^\d{1,10}$/.test(value.trim()) ? Number(value.trim()) : null;
}

export function intentId(raw: string | undefined): string {
  if (!raw || !/^\d{1,15}$/.test(raw)) throw invalid('Intent id must be a positive integer', 'id');
  return raw;
}

export function integerParam(req: RestRequest, name: string, fallback: number, min: number, max: number): number {
  const raw = req.query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw invalid(`${name} must be an integer from ${min} to ${max}`, name);
  const n = Number(raw);
  if (n < min || n > max) throw invalid(`${name} must be an integer from ${min} to ${max}`, name);
  return n;
}

/** OctoMind's `limit` (1..100, default 20) and `offset`, and the connection arguments they become. */
/** The paging fields of a list body: the total, and the limit and offset it was read with. */
export function pageFields(req: RestRequest, total: number): { total: number; limit: number; offset: number } {
  const { limit, offset } = pageParams(req);
  return { total, limit, offset };
}

export function pageParams(req: RestRequest): { limit: number; offset: number; first: number; after: string | null } {
  const limit = integerParam(req, 'limit', 20, 1, 100);
  const offset = integerParam(req, 'offset', 0, 0, 1_000_000);
  return { limit, offset, first: limit, after: offset > 0 ? offsetToCursor(offset - 1) : null };
}
