import { resolveOffsetConnection } from '@pothos/plugin-relay';

interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/**
 * A Relay connection over an offset-paged list that also knows its total: `load` gets
 * the page's limit and offset and answers the page with the count of all items.
 */
export async function countedConnection<T>(
  args: ConnectionArgs,
  load: (page: { limit: number; offset: number }) => Promise<{ items: T[]; total: number }>,
  sizes: { defaultSize: number; maxSize: number } = { defaultSize: 20, maxSize: 100 },
) {
  let total = 0;
  const connection = await resolveOffsetConnection({ args, ...sizes }, async (page) => {
    const result = await load(page);
    total = result.total;
    return result.items;
  });
  return Object.assign(connection, { totalCount: total });
}

/** The `totalCount` field every counted connection exposes (pass as the connection's options). */
export function totalCountField(name?: string) {
  return {
    ...(name ? { name } : {}),
    fields: <R>(c: { int: (options: { resolve: (conn: object) => number }) => R }) => ({
      totalCount: c.int({ resolve: (conn) => (conn as { totalCount: number }).totalCount }),
    }),
  };
}
