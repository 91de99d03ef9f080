import type pg from 'pg';
import sql, { empty, join, raw, Sql } from 'sql-template-tag';
import { queryPrepared } from './prepared.js';

/**
 * The one way SQL is written in src: the `sql` template tag (sql-template-tag). Values are
 * always interpolated as values (`${value}`, placeholders `$1`, `$2`, … in order, cast
 * in the text where the type matters: `${id}::int`), never concatenated into the text;
 * `raw` is only for names and types the code itself chooses (never input). Statements
 * are `Sql` values end to end: a store that contributes part of another module's
 * statement returns an `Sql` part, which nests (and is renumbered) in the statement
 * that uses it. Each module's SQL lives in its `<module>.store.ts`.
 */
export { sql, empty, join, raw, Sql };

/** A pool, or a client in a transaction. */
export type Db = pg.Pool | pg.PoolClient;

/** Runs a statement. */
export function run<R extends pg.QueryResultRow = any>(db: Db, statement: Sql): Promise<pg.QueryResult<R>> {
  return db.query<R>(statement.text, statement.values);
}

/** Runs a hot statement as a named prepared statement (see `queryPrepared`: its name comes from its text). */
export function runPrepared<R extends pg.QueryResultRow = any>(db: Db, statement: Sql): Promise<pg.QueryResult<R>> {
  return queryPrepared<R>(db, statement.text, statement.values);
}

/** `${value}::type` for a type named by the code (checked: a name, maybe an array of it). */
export function typed(value: unknown, type: string): Sql {
  return sql`${value}::${raw(checkedName(type, /^[a-z_][a-z0-9_ ]*(\[\])?$/))}`;
}

/** A column (or other) name chosen by the code, as SQL text (checked: a plain lower-case identifier). */
export function identifier(text: string): Sql {
  return raw(checkedName(text, /^[a-z_][a-z0-9_]*$/));
}

function checkedName(text: string, shape: RegExp): string {
  if (!shape.test(text)) throw new Error(`not a SQL name: ${JSON.stringify(text)}`);
  return text;
}
