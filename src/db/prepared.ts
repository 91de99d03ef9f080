import type pg from 'pg';

/** Past this many distinct statements, further ones run unnamed (parsed every time). */
const MAX_NAMED = 500;

const names = new Map<string, string>();
let generation = 0;

/**
 * Runs a hot statement as a named prepared statement: each connection parses and
 * plans it once, then only binds and executes it. On the embedded database parsing a
 * statement costs about as much as running a small one, and the statements on an
 * intent's path (its insert, its auction, its receipt read) run for every intent.
 *
 * A prepared statement's result type is fixed when it is prepared, so a migration run
 * by another instance meanwhile (a rolling deploy adding a column) makes PostgreSQL
 * refuse it; outside a transaction the statement is then prepared again under a new
 * name, once.
 */
export async function queryPrepared<R extends pg.QueryResultRow = any>(
  db: pg.Pool | pg.PoolClient,
  text: string,
  values: unknown[],
): Promise<pg.QueryResult<R>> {
  try {
    return await db.query<R>({ name: nameOf(text), text, values });
  } catch (error) {
    if (!isStalePlan(error) || !('totalCount' in db)) throw error;
    names.delete(text);
    return db.query<R>({ name: nameOf(text), text, values });
  }
}

function nameOf(text: string): string | undefined {
  const known = names.get(text);
  if (known !== undefined || names.size >= MAX_NAMED) return known;
  const name = `gavel_${++generation}`;
  names.set(text, name);
  return name;
}

/** PostgreSQL's "cached plan must not change result type" (feature_not_supported). */
function isStalePlan(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e.code === '0A000' && /cached plan must not change result type/.test(e.message ?? '');
}
