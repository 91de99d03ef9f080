import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { eventually, gql, rest } from '../helpers/http.js';
import { runCli, spawnGateway, type GatewayProcess } from '../helpers/process.js';

let db: TestDatabase;
let gateway: GatewayProcess | null = null;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  if (gateway) {
    gateway.child.kill('SIGTERM');
    await gateway.exited;
  }
  await db?.drop();
});

const lastLine = (s: string) => s.trim().split('\n').at(-1)!.trim();
const ok = async (args: string[], env: Record<string, string> = db.env) => {
  const r = await runCli(args, env);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
};
const whoAmI = async (url: string, key: string) => (await gql(url, '{ me { tenant tier } }', {}, key)).body.data?.me ?? null;

describe('the operator CLI, as a process', () => {
  it('refuses usage mistakes in one line with exit code 2, and prints help and version', async () => {
    const unknownFlag = await runCli(['keys', 'list', '--bogus'], db.env);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknownFlag.stderr).toContain("Unknown option '--bogus'");
    const unknownCommand = await runCli(['keys', 'frobnicate'], db.env);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr.trim()).toBe('error: unknown command "keys frobnicate"; see npm run gavel -- --help');
    const missing = await runCli(['tenants', 'set-tier', 'acme'], db.env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('needs TIER');
    const badTier = await runCli(['tenants', 'set-tier', 'acme', 'gold'], db.env);
    expect(badTier.code).toBe(2);
    expect(badTier.stderr.trim()).toBe('error: tier must be one of free, pro, enterprise; got "gold"');
    const help = await ok(['--help']);
    for (const c of [
      'keys list',
      'keys rotate ID',
      'tenants set-tier TENANT TIER',
      'wallet top-up TENANT AMOUNT',
      'agents disable SLUG',
      'intents show ID',
      'doctor',
    ])
      expect(help.stdout).toContain(c);
    expect((await ok(['keys', 'create', '--help'])).stdout).toContain('--tenant NAME');
    expect((await ok(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  }, 240_000);

  it('refuses to make a new embedded database without --init', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gavel-cli-'));
    try {
      const refused = await runCli(['keys', 'create', '--tenant', 'acme', '--scopes', 'intent_read'], { DATA_DIR: join(dir, 'data') });
      expect(refused.code).toBe(1);
      expect(refused.stderr.trim()).toBe(
        `error: no embedded database at ${join(dir, 'data')}: set DATA_DIR (or DATABASE_URL) as the server has it, or pass --init to create a new one there`,
      );
      expect(refused.stdout).not.toMatch(/gvl_/);
      const doctor = await runCli(['doctor'], { DATA_DIR: join(dir, 'data') });
      expect(doctor.code).toBe(1);
      expect(doctor.stdout).toMatch(/FAIL\s+database\s+no embedded database/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 240_000);

  it('runs every command against the server database, while the server runs', async () => {
    // Created before any server: the embedded case needs --init (PostgreSQL ignores it).
    const created = await ok(['keys', 'create', '--init', '--tenant', 'acme', '--tier', 'free', '--scopes', 'intent_submit,intent_read']);
    expect(created.stderr).toContain(`gavel: database ${db.kind === 'embedded' ? `embedded at ${db.env.DATA_DIR}` : 'PostgreSQL postgres@'}`);
    const firstKey = lastLine(created.stdout);
    const firstId = /Created key (\S+)/.exec(created.stdout)![1]!;

    const retier = await runCli(['keys', 'create', '--tenant', 'acme', '--tier', 'pro', '--scopes', 'intent_read'], db.env);
    expect(retier.code).toBe(1);
    expect(lastLine(retier.stderr)).toContain('tenants set-tier acme pro');
    expect((await ok(['tenants', 'set-tier', 'acme', 'pro'])).stdout).toContain('Moved tenant acme from free to pro');

    gateway = await spawnGateway(db.env);
    const url = gateway.url;
    expect(await whoAmI(url, firstKey)).toEqual({ tenant: 'acme', tier: 'pro' });

    const tenants = (await ok(['tenants', 'list'])).stdout;
    expect(tenants).toMatch(/^acme\s+\S+\s+pro\s+postpaid/m);
    const keys = (await ok(['keys', 'list'])).stdout;
    expect(keys.split('\n')[0]).toMatch(/^ID\s+PREFIX\s+TENANT\s+TIER\s+SCOPES\s+CREATED\s+LAST USED\s+REVOKED$/);
    // Used once (whoAmI above): LAST USED is that moment, to the second.
    expect(keys).toMatch(
      new RegExp(`^${firstId}\\s+gvl_live_\\S+\\s+acme\\s+pro\\s+intent_submit,intent_read\\s+\\S+\\s+\\d{4}-\\d\\d-\\d\\dT[\\d:]{8}Z\\s+no$`, 'm'),
    );

    // intents show: a tool-answered intent, submitted over REST, read back by id.
    const submitted = await rest(url, 'POST', '/api/intents', { key: firstKey, body: { text: 'What is 17% of 2,340?' } });
    const intentId = String(submitted.body.id);
    const shown = await eventually(
      () => ok(['intents', 'show', intentId]),
      (r) => /completed/.test(r.stdout.split('\n')[0]!),
    );
    expect(shown.stdout).toMatch(/^\s+winner\s+\S+/m);
    expect(shown.stdout).toMatch(/^RANK\s+AGENT\s+OUTCOME/m);
    expect(shown.stdout).toMatch(/\byes$/m);
    expect(shown.stdout).toContain('397.8');
    const noIntent = await runCli(['intents', 'show', '999999'], db.env);
    expect(noIntent.code).toBe(1);
    expect(lastLine(noIntent.stderr)).toBe('error: Intent not found');

    const rotated = await ok(['keys', 'rotate', firstId]);
    const newKey = lastLine(rotated.stdout);
    expect(newKey).toMatch(/^gvl_live_/);
    expect(
      await eventually(
        () => whoAmI(url, firstKey),
        (me) => me === null,
        10_000,
      ),
    ).toBeNull();
    expect(await whoAmI(url, newKey)).toEqual({ tenant: 'acme', tier: 'pro' });
    const newId = /replacement is key (\S+)/.exec(rotated.stdout)![1]!;
    await ok(['keys', 'revoke', newId]);
    expect(
      await eventually(
        () => whoAmI(url, newKey),
        (me) => me === null,
        10_000,
      ),
    ).toBeNull();
    expect((await ok(['keys', 'list', '--tenant', 'acme'])).stdout).not.toMatch(/\s+no$/m);

    expect((await ok(['wallet', 'top-up', 'acme', '12.50'])).stdout).toContain('balance $12.500000');
    expect((await ok(['tenants', 'list'])).stdout).toMatch(/^acme\s+\S+\s+pro\s+prepaid\s+\$12\.500000/m);
    const badAmount = await runCli(['wallet', 'top-up', 'acme', 'ten'], db.env);
    expect(badAmount.code).toBe(2);

    const agents = (await ok(['agents', 'list'])).stdout;
    const slug = agents.split('\n')[1]!.split(/\s+/)[0]!;
    expect(agents).toMatch(new RegExp(`^${slug}\\s+\\S+\\s+\\S+\\s+enabled`, 'm'));
    expect((await ok(['agents', 'disable', slug])).stdout).toBe(`Agent ${slug} is disabled\n`);
    expect((await ok(['agents', 'list'])).stdout).toMatch(new RegExp(`^${slug}\\s+\\S+\\s+\\S+\\s+disabled`, 'm'));
    expect((await ok(['agents', 'enable', slug])).stdout).toBe(`Agent ${slug} is enabled\n`);

    const doctor = await ok(['doctor']);
    expect(doctor.stdout).toMatch(/^ok\s+database\s+/m);
    expect(doctor.stdout).toMatch(/^ok\s+migrations\s+\d+ applied, none pending/m);
    expect(doctor.stdout).toMatch(/^ok\s+versions\s+Node v\d+/m);
    expect(doctor.stdout).toContain('All checks passed');
  }, 600_000);

  it('doctor fails on an unreachable database and names it without its password', async () => {
    const bad = await runCli(['doctor'], { DATABASE_URL: 'postgres://gavel:s3cret-pw@127.0.0.1:1/nowhere' });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^FAIL\s+database\s+PostgreSQL gavel@127\.0\.0\.1:1\/nowhere: .*ECONNREFUSED/m);
    expect(bad.stdout + bad.stderr).not.toContain('s3cret-pw');
  }, 240_000);
});
