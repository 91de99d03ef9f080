import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestDatabase {
  /** Environment entries that point the app at this database. */
  env: Record<string, string>;
  kind: 'postgres' | 'embedded';
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file: a fresh database on the real server when
 * TEST_DATABASE_URL is set, otherwise a fresh embedded data directory (holding a new,
 * empty database when the suite made a template). Never a mock.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const dir = await mkdtemp(join(tmpdir(), 'gavel-test-'));
    // A copy of the suite's freshly made, never-opened database (global-setup.ts): 0.5 s
    // where initdb takes about 3 s of CPU, for every one of the suite's databases.
    const template = process.env.GAVEL_TEST_EMBEDDED_TEMPLATE;
    if (template) await cp(template, join(dir, 'pgdata'), { recursive: true });
    return { kind: 'embedded', env: { DATA_DIR: dir }, drop: () => rm(dir, { recursive: true, force: true }) };
  }
  const scratch = await createScratchDatabase(serverUrl, 'gavel_t');
  const dir = await mkdtemp(join(tmpdir(), 'gavel-test-'));
  return {
    kind: 'postgres',
    env: { DATABASE_URL: scratch.url, DATA_DIR: dir },
    async drop() {
      await scratch.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A database of its own on the PostgreSQL at `serverUrl` (tests, benches), so a run
 * never touches data it did not make; `drop` removes it, connections and all.
 */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await adminQuery(serverUrl, `create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(serverUrl, `drop database if exists "${name}" with (force)`) };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
