import { offsetToCursor } from '@pothos/plugin-relay';
import { z } from 'zod/v4';

/** A whole number from the query string, within bounds; the message names the range. */
export function integerQuery(name: string, fallback: number, min: number, max: number) {
  const message = `${name} must be an integer from ${min} to ${max}`;
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return fallback;
      const n = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (n >= min && n <= max) return n;
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    });
}

/** OctoMind's `limit` (1..100, default 20) and `offset`. */
export const pageQuery = {
  limit: integerQuery('limit', 20, 1, 100).describe('Items per page, 1 to 100 (default 20)'),
  offset: integerQuery('offset', 0, 0, 1_000_000).describe('Items to skip (default 0)'),
};

/** The connection arguments a limit and offset become. */
export function connectionArgs({ limit, offset }: { limit: number; offset: number }): { first: number; after: string | null } {
  return { first: limit, after: offset > 0 ? offsetToCursor(offset - 1) : null };
}

/** The paging members of a list body. */
export const pageMembers = { total: z.number().int(), limit: z.number().int(), offset: z.number().int() };

export const intentIdParam = z.string().regex(/^\d{1,15}$/, 'Intent id must be a positive integer');
