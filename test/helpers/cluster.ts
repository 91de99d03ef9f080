import { BOOTSTRAP_KEY } from './app.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { spawnGateway, type GatewayProcess } from './process.js';

export interface Cluster {
  a: GatewayProcess;
  b: GatewayProcess;
  db: TestDatabase;
  stop(): Promise<void>;
}

/** Two gateway processes on one fresh PostgreSQL database and the test Redis. */
export async function startCluster(extraForB: Record<string, string> = {}): Promise<Cluster> {
  const db = await createTestDatabase();
  const env = { ...db.env, REDIS_URL: process.env.TEST_REDIS_URL!, GAVEL_BOOTSTRAP_KEY: BOOTSTRAP_KEY };
  const started = await Promise.allSettled([spawnGateway(env), spawnGateway({ ...env, ...extraForB })]);
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
