import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { gql } from '../helpers/http.js';
import { runCli, spawnGateway } from '../helpers/process.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

const lastLine = (s: string) => s.trim().split('\n').at(-1)!.trim();

describe('the key CLI and restarts', () => {
  it('creates keys with the server stopped and running; keys and records survive a restart', async () => {
    const offline = await runCli(['keys', 'create', '--init', '--tenant', 'cli-co', '--tier', 'pro', '--scopes', 'intent_submit,intent_read'], db.env);
    expect(offline.code, offline.stderr).toBe(0);
    const offlineKey = lastLine(offline.stdout);
    expect(offlineKey).toMatch(/^gvl_live_[A-Za-z0-9]{32}$/);

    // First start without GAVEL_BOOTSTRAP_KEY: keys exist already, so none is printed.
    const first = await spawnGateway(db.env);
    try {
      expect(first.output()).not.toContain('First API key');
      expect((await gql(first.url, '{ me { tenant tier } }', {}, offlineKey)).body.data.me).toEqual({ tenant: 'cli-co', tier: 'pro' });

      const online = await runCli(['keys', 'create', '--tenant', 'cli-co', '--tier', 'pro', '--scopes', 'intent_read', '--test'], db.env);
      expect(online.code, online.stderr).toBe(0);
      const sandboxKey = lastLine(online.stdout);
      expect(sandboxKey).toMatch(/^gvl_test_/);
      expect((await gql(first.url, '{ me { sandbox scopes } }', {}, sandboxKey)).body.data.me).toEqual({ sandbox: true, scopes: ['intent_read'] });
    } finally {
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
    }

    const second = await spawnGateway(db.env);
    try {
      expect((await gql(second.url, '{ me { tenant } }', {}, offlineKey)).body.data.me.tenant).toBe('cli-co');
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 120_000);

  it('rejects bad CLI input with a clear message', async () => {
    const bad = await runCli(['keys', 'create', '--init', '--tenant', 'x', '--tier', 'gold', '--scopes', 'intent_read'], db.env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/tier must be one of free, pro, enterprise; got "gold"/);
    expect(bad.code).toBe(2);
    const scopes = await runCli(['keys', 'create', '--init', '--tenant', 'x', '--tier', 'free', '--scopes', 'read_all'], db.env);
    expect(scopes.code).not.toBe(0);
    expect(scopes.stderr).toContain('unknown scope');
    const beyondTier = await runCli(['keys', 'create', '--init', '--tenant', 'x', '--tier', 'free', '--scopes', 'intent_read,full_access'], db.env);
    expect(beyondTier.code).not.toBe(0);
    expect(lastLine(beyondTier.stderr)).toBe('error: full_access needs the enterprise tier; tenant x is on free');
    expect(beyondTier.stdout).not.toMatch(/gvl_/);
  }, 60_000);

  it('prints a generated first key once on a fresh database, and stops on a bad setting naming the variable', async () => {
    const fresh = await createTestDatabase();
    try {
      const g = await spawnGateway(fresh.env);
      onTestFinished(() => {
        g.child.kill('SIGKILL');
      });
      const key = /First API key[^\n]*\n\s*\n\s*(gvl_live_\S+)/.exec(g.output())?.[1];
      expect(key).toBeTruthy();
      const id = /Its id \(for npm run gavel -- keys list\|rotate\|revoke\): (\S+)/.exec(g.output())?.[1];
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect((await gql(g.url, '{ me { tenant scopes } }', {}, key)).body.data.me).toEqual({ tenant: 'operator', scopes: ['full_access'] });
      g.child.kill('SIGTERM');
      await g.exited;
      const bad = await spawnGateway({ ...fresh.env, PORT: 'eighty' }).catch((e: Error) => e.message);
      expect(bad).toContain('PORT');
    } finally {
      await fresh.drop();
    }
  }, 120_000);
});
