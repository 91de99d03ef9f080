import type pg from 'pg';

/**
 * One multi-row INSERT with bound parameters on the plain `pg` pool. The ORM builds an
 * entity (or a query-builder row) per row; an auction writes 201 bids and 201 events,
 * and this keeps that within a few milliseconds.
 */
export async function insertRows(pool: pg.Pool, table: string, columns: readonly string[], rows: ReadonlyArray<readonly unknown[]>): Promise<void> {
  if (rows.length === 0) return;
  const width = columns.length;
  const tuples = rows.map((_, r) => `(${columns.map((__, c) => `$${r * width + c + 1}`).join(', ')})`);
  await pool.query(`insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${tuples.join(', ')}`, rows.flat());
}
