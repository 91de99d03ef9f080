import { mkdtemp, rm } from 'node:fs/promises';
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
 * TEST_DATABASE_URL is set, otherwise a fresh embedded data directory. Never a mock.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const dir = await mkdtemp(join(tmpdir(), 'gavel-test-'));
    return { kind: 'embedded', env: { DATA_DIR: dir }, drop: () => rm(dir, { recursive: true, force: true }) };
  }
  const name = `gavel_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await adminQuery(serverUrl, `create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const dir = await mkdtemp(join(tmpdir(), 'gavel-test-'));
  return {
    kind: 'postgres',
    env: { DATABASE_URL: url.toString(), DATA_DIR: dir },
    async drop() {
      await adminQuery(serverUrl, `drop database if exists "${name}" with (force)`);
      await rm(dir, { recursive: true, force: true });
    },
  };
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
