import type pg from 'pg';

/**
 * Runs `work` in one transaction on a client of its own: committed when it returns,
 * rolled back when it throws (and the error rethrown), the client released either way.
 * A checked-out client has no pool listener: a connection the server ends between two
 * statements (a restart) would be an unhandled 'error' that kills the process, so it is
 * caught here, and the broken client is destroyed rather than returned to the pool.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => (broken = error);
  client.on('error', onError);
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    if (!broken) await client.query('rollback').catch((e: Error) => (broken = e));
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
