import { onTestFinished } from 'vitest';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { TEST_BID_WINDOW_MS } from './test-env.js';

export const BOOTSTRAP_KEY = 'gvl_live_test_bootstrap_key_0123456789abcdef';

export interface TestApp {
  app: App;
  url: string;
  db: TestDatabase;
  /** The operator's full-access key. */
  rootKey: string;
  env: Record<string, string>;
  stop(): Promise<void>;
  /** Restarts the app on the same database (same data directory). */
  restart(): Promise<void>;
}

/** Builds and starts a real, listening Gavel on a fresh database of its own. */
export async function startTestApp(env: Record<string, string> = {}, existing?: TestDatabase): Promise<TestApp> {
  const db = existing ?? (await createTestDatabase());
  const fullEnv = {
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    GAVEL_BOOTSTRAP_KEY: BOOTSTRAP_KEY,
    GAVEL_WEBHOOK_ALLOW_PRIVATE: 'true',
    // Test agents listen on 127.0.0.1.
    GAVEL_AGENT_ALLOW_PRIVATE: 'true',
    GAVEL_BID_WINDOW_MS: TEST_BID_WINDOW_MS,
    ...db.env,
    ...env,
  };
  const config = loadConfig(fullEnv);
  let app = await buildApp(config);
  const handle: TestApp = {
    app,
    url: await app.start(),
    db,
    rootKey: fullEnv.GAVEL_BOOTSTRAP_KEY,
    env: fullEnv,
    async stop() {
      await app.stop();
      if (!existing) await db.drop();
    },
    async restart() {
      await app.stop();
      app = await buildApp(config);
      handle.app = app;
      handle.url = await app.start();
    },
  };
  return handle;
}

/** A test-scoped app, stopped when the test ends. */
export async function useTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const t = await startTestApp(env);
  onTestFinished(() => t.stop());
  return t;
}
