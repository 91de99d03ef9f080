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
