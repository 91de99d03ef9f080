import { z } from 'zod/v4';
import { connectionArgs, integerQuery } from '../octomind/paging.js';

/** Mindra's `page` (default 1) and `limit` (default 20, max 100). */
export const pageQuery = {
  page: integerQuery('page', 1, 1, 1_000_000).describe('Page number (default 1)'),
  limit: integerQuery('limit', 20, 1, 100).describe('Items per page, 1 to 100 (default 20)'),
};

/** The connection arguments a page and limit become. */
export const pageArgs = ({ page, limit }: { page: number; limit: number }) => connectionArgs({ limit, offset: (page - 1) * limit });

export const PaginationSchema = z.object({
  page: z.number().int(),
  limit: z.number().int(),
  total: z.number().int(),
  pages: z.number().int(),
  hasNext: z.boolean(),
  hasPrev: z.boolean(),
});

/** `{data, pagination}`, as every Mindra list answers. */
export function paginated<T>(data: T[], total: number, { page, limit }: { page: number; limit: number }) {
  const pages = Math.ceil(total / limit);
  return { data, pagination: { page, limit, total, pages, hasNext: page < pages, hasPrev: page > 1 } };
}

/** One page of a list held whole (a tenant's keys, the roster in memory), as `paginated` answers it. */
export function pageOfList<T, U>(all: readonly T[], query: { page: number; limit: number }, map: (item: T) => U) {
  return paginated(all.slice((query.page - 1) * query.limit, query.page * query.limit).map(map), all.length, query);
}

export const listOf = <S extends z.ZodType>(item: S) => z.object({ data: z.array(item), pagination: PaginationSchema });
