import { createKeys } from '../modules/keys/index.js';
import { TIERS, type Tier } from '../modules/tenants/index.js';
import { UsageError, type Call } from './args.js';
import { dbOf, type CliCommand, type Context } from './context.js';
import { table, when } from './format.js';

const keysOf = (context: Context) => createKeys({ orm: dbOf(context).orm });

export function tierOf(value: string): Tier {
  if (!(TIERS as readonly string[]).includes(value)) throw new UsageError(`tier must be one of ${TIERS.join(', ')}; got "${value}"`);
  return value as Tier;
}

const str = (call: Call, name: string) => call.values[name] as string | undefined;

export const keyCommands: CliCommand[] = [
  {
    name: 'keys list',
    summary: "every tenant's API keys, newest first",
    options: { tenant: { type: 'string', value: 'NAME', description: "only this tenant's keys" } },
    database: { migrate: true },
    async run(call, context) {
      const tenant = str(call, 'tenant');
      const keys = (await keysOf(context).listAll()).filter((k) => !tenant || k.tenant.name === tenant);
      const rows = keys.map((k) => [
        k.id,
        `${k.prefix}…`,
        k.tenant.name,
        k.tenant.tier,
        k.scopes.join(','),
        when(k.createdAt),
        k.lastUsedAt ? when(k.lastUsedAt) : 'never',
        k.revokedAt ? when(k.revokedAt) : 'no',
      ]);
      console.log(table(['ID', 'PREFIX', 'TENANT', 'TIER', 'SCOPES', 'CREATED', 'LAST USED', 'REVOKED'], rows));
      return 0;
    },
  },
  {
    name: 'keys create',
    summary: 'a new key (and its tenant, if new); the key alone on the last line',
    options: {
      tenant: { type: 'string', value: 'NAME', description: 'the tenant (created if new)' },
      scopes: { type: 'string', value: 'A,B', description: 'comma-separated scopes' },
      tier: { type: 'string', value: 'TIER', description: `a new tenant's tier (${TIERS.join('|')}, default free); an existing tenant's must match` },
      test: { type: 'boolean', description: 'a sandbox key (gvl_test_…): simulated agents, never charged' },
      name: { type: 'string', value: 'LABEL', description: "the key's label" },
      expires: { type: 'string', value: 'ISO-DATE', description: 'when the key stops working' },
    },
    database: { migrate: true },
    check(call) {
      if (!str(call, 'tenant')) throw new UsageError('keys create needs --tenant NAME');
      if (!str(call, 'scopes')) throw new UsageError('keys create needs --scopes a,b (comma-separated)');
      const tierValue = str(call, 'tier');
      if (tierValue !== undefined) tierOf(tierValue);
      const expiresValue = str(call, 'expires');
      if (expiresValue && Number.isNaN(new Date(expiresValue).getTime())) throw new UsageError(`--expires must be an ISO date; got "${expiresValue}"`);
    },
    async run(call, context) {
      const tenant = str(call, 'tenant')!;
      const scopes = str(call, 'scopes')!;
      const tierValue = str(call, 'tier');
      const tier = tierValue === undefined ? undefined : tierOf(tierValue);
      const expiresValue = str(call, 'expires');
      const expiresAt = expiresValue ? new Date(expiresValue) : null;
      const { key, apiKey } = await keysOf(context).create({
        tenantName: tenant,
        tier,
        keepTier: true,
        scopes: scopes
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        sandbox: call.values.test === true,
        name: str(call, 'name'),
        expiresAt,
      });
      console.log(
        `Created ${apiKey.sandbox ? 'sandbox ' : ''}key ${apiKey.id} (${apiKey.prefix}…) for tenant ${apiKey.tenant.name} [${apiKey.tenant.tier}] with scopes ${apiKey.scopes.join(',')}`,
      );
      console.log(key);
      return 0;
    },
  },
  {
    name: 'keys rotate',
    args: ['ID'],
    summary: 'a new key with the same tenant, scopes and limits; the old one is revoked at once',
    database: { migrate: true },
    async run(call, context) {
      const { key, apiKey, replaced } = await keysOf(context).rotate(call.args[0]!);
      console.log(`Revoked key ${replaced.id} (${replaced.prefix}…); its replacement is key ${apiKey.id} (${apiKey.prefix}…) for tenant ${apiKey.tenant.name}`);
      console.log(key);
      return 0;
    },
  },
  {
    name: 'keys revoke',
    args: ['ID'],
    summary: 'revoke a key (within 2 seconds on a running server)',
    database: { migrate: true },
    async run(call, context) {
      const revoked = await keysOf(context).revokeById(call.args[0]!);
      console.log(`Revoked key ${revoked.id} (${revoked.prefix}…) of tenant ${revoked.tenant.name} at ${when(revoked.revokedAt)}`);
      return 0;
    },
  },
];
