import { fileURLToPath } from 'node:url';
import { MikroORM, PostgreSqlDriver, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import pg from 'pg';
import type { Config } from '../config/config.js';
import { migrationsList } from '../../migrations/index.js';
import { entities } from './entities.js';
import type { EmbeddedDatabase } from './pglite/open.js';
import { run, sql } from './sql.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

/** The ORM configuration shared by the app, the CLI and the tests (one place, one dialect). */
export function ormOptions(target: string | { host: string; port: number; user: string; database: string }, overrides: Partial<Options> = {}): Options {
  return {
    driver: PostgreSqlDriver,
    ...(typeof target === 'string' ? { clientUrl: target } : { host: target.host, port: target.port, user: target.user, dbName: target.database }),
    entities,
    extensions: [Migrator],
    // Unit of work is per request/job (em.fork()); a global one would leak state across tenants.
    allowGlobalContext: false,
    debug: false,
    pool: { min: 0, max: 10 },
    migrations: {
      path: MIGRATIONS_DIR,
      pathTs: MIGRATIONS_DIR,
      migrationsList,
      tableName: 'mikro_orm_migrations',
      silent: true,
      transactional: true,
      allOrNothing: true,
      snapshot: true,
      snapshotName: '.snapshot-gavel',
      emit: 'ts',
      fileName: (timestamp, name) => `Migration${timestamp}${name ? `_${name}` : ''}`,
    },
    ...overrides,
  };
}

export interface Database {
  orm: MikroORM;
  /**
   * A plain `pg` pool for the hot path's bulk writes (an auction's bids and events):
   * a 201-row INSERT costs a fraction of going through the ORM's query builder.
   */
  pool: pg.Pool;
  /** Usable by any `pg` client (the CLI, another process), embedded or not. */
  connectionString: string;
  /**
   * How this process's own `pg` clients connect (the pool, the job engine, the
   * benchmarks' baselines): the connection string, plus, for the embedded database this
   * process owns, an in-process transport instead of its socket.
   */
  clientConfig: pg.ClientConfig;
  /** Resolves once the database answers (the readiness check). */
  ping(): Promise<void>;
  /** True when this process owns the embedded database (false for a real server or a borrowed one). */
  embeddedOwner: boolean;
  /** The embedded database's notifications, for its owner (see notifications.ts); undefined on a real server. */
  embeddedNotifications?: EmbeddedDatabase['onNotification'];
  close(): Promise<void>;
}

/**
 * Opens the database the config names: a real PostgreSQL, or the embedded PGlite
 * served over the wire protocol so that every client speaks it: this process's own
 * clients (ORM, pool, job engine) over an in-process transport, others (the CLI) over a
 * local socket.
 */
export async function openDatabase(config: Pick<Config, 'database'>, overrides: Partial<Options> = {}): Promise<Database> {
  // Loaded lazily: a server on a real PostgreSQL never pays for the WASM database.
  const embedded =
    config.database.kind === 'embedded' ? await (await import('./pglite/open.js')).openEmbeddedDatabase({ dataDir: config.database.dataDir }) : null;
  const connectionString = embedded ? embedded.connectionString : (config.database as { url: string }).url;
  try {
    const clientConfig: pg.ClientConfig = { connectionString, ...(embedded?.connectInProcess ? { stream: embedded.connectInProcess } : {}) };
    // The ORM's knex hands `driverOptions.connection` to each `pg` client it makes.
    const inProcess: Partial<Options> = clientConfig.stream ? { driverOptions: { connection: { stream: clientConfig.stream } } } : {};
    const orm = await MikroORM.init(ormOptions(embedded ? embedded.connection : connectionString, { ...inProcess, ...overrides }));
    const pool = new pg.Pool({ ...clientConfig, max: 4 });
    pool.on('error', () => {}); // a broken idle client is replaced on next use
    // A client the server ends (a restart) can emit 'error' more than once, or while
    // checked out between statements; pg-pool's own listener is a `once`. An 'error'
    // with no listener kills the process, so every client keeps one for good. The
    // failure still reaches the statement that was running, and the pool drops the client.
    pool.on('connect', (client) => client.on('error', () => {}));
    return {
      orm,
      pool,
      connectionString,
      clientConfig,
      embeddedOwner: embedded?.owned ?? false,
      embeddedNotifications: embedded?.onNotification,
      async ping() {
        await run(pool, sql`select 1`);
      },
      async close() {
        await pool.end();
        await orm.close(true);
        await embedded?.close();
      },
    };
  } catch (error) {
    await embedded?.close();
    throw error;
  }
}

/** Applies pending migrations; returns the names applied. */
/** Any constant works; it names the lock that serialises start-up work across processes. */
const STARTUP_LOCK = 4_242_001;

/**
 * Runs `work` while holding a PostgreSQL advisory lock. Instances that start together
 * take turns: the first migrates and seeds, the others find it done.
 */
export async function withStartupLock<T>(db: Pick<Database, 'pool'>, work: () => Promise<T>): Promise<T> {
  const lock = await db.pool.connect();
  // Held while `work` runs: a connection lost meanwhile must not be an unhandled 'error'.
  let broken: Error | undefined;
  const onError = (error: Error) => (broken = error);
  lock.on('error', onError);
  try {
    await run(lock, sql`select pg_advisory_lock(${STARTUP_LOCK}::bigint)`);
    return await work();
  } finally {
    await run(lock, sql`select pg_advisory_unlock(${STARTUP_LOCK}::bigint)`).catch((e: Error) => (broken = e));
    lock.off('error', onError);
    lock.release(broken);
  }
}

/** Applies pending migrations (under the start-up lock); returns the names applied. */
export async function migrate(db: Pick<Database, 'orm' | 'pool'>): Promise<string[]> {
  return withStartupLock(db, async () => (await db.orm.getMigrator().up()).map((m) => m.name));
}
