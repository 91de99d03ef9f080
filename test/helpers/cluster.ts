import pg from 'pg';
import { BOOTSTRAP_KEY } from './app.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { spawnGateway, type GatewayProcess } from './process.js';

export interface Cluster {
  a: GatewayProcess;
  b: GatewayProcess;
  db: TestDatabase;
  stop(): Promise<void>;
}

/**
 * Two gateway processes on one fresh PostgreSQL database and (unless `redis: false`,
 * which leaves PostgreSQL alone to carry what crosses instances) the test Redis.
 */
export async function startCluster(
  extraForB: Record<string, string> = {},
  options: { redis?: boolean; extraForA?: Record<string, string> } = {},
): Promise<Cluster> {
  const db = await createTestDatabase();
  const env = { ...db.env, ...(options.redis === false ? {} : { REDIS_URL: process.env.TEST_REDIS_URL! }), GAVEL_BOOTSTRAP_KEY: BOOTSTRAP_KEY };
  const started = await Promise.allSettled([spawnGateway({ ...env, ...options.extraForA }), spawnGateway({ ...env, ...extraForB })]);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    // Never leave the other one running.
    for (const s of started) if (s.status === 'fulfilled') s.value.child.kill('SIGKILL');
    await db.drop().catch(() => {});
    throw failed.reason;
  }
  const [a, b] = started.map((s) => (s as PromiseFulfilledResult<GatewayProcess>).value) as [GatewayProcess, GatewayProcess];
  return {
    a,
    b,
    db,
    async stop() {
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
      await Promise.all([a.exited, b.exited]);
      await db.drop();
    },
  };
}

/**
 * Ends the cluster's LISTEN connections from the server side (only this cluster's
 * database), as a failover or a network cut would; answers how many were ended.
 */
export async function dropListenConnections(db: TestDatabase): Promise<number> {
  const admin = new pg.Client({ connectionString: db.env.DATABASE_URL });
  await admin.connect();
  try {
    const killed = await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and query ilike 'listen %'`,
    );
    return killed.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}
