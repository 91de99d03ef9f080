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
  const [a, b] = await Promise.all([spawnGateway(env), spawnGateway({ ...env, ...extraForB })]);
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
