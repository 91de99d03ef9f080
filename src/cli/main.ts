/**
 * `npm run gavel -- <command>`: operator tasks on the same database the server uses.
 * In embedded mode, a running server lends its database over its local socket
 * (the embedded database admits one process), so the CLI works with or without it.
 */
import { parseArgs } from 'node:util';
import { writeMigrationIndex } from '../../scripts/index-migrations.js';
import { ConfigError, loadConfig, loadDotEnv } from '../config/config.js';
import { openDatabase } from '../db/orm.js';
import { AppError } from '../errors/app-error.js';
import { createAgents } from '../modules/agents/index.js';
import { createKeys } from '../modules/keys/index.js';
import { TIERS, type Tier } from '../modules/tenants/index.js';

const USAGE = `Usage:
  npm run gavel -- keys create --tenant NAME --tier free|pro|enterprise --scopes a,b [--test] [--name LABEL] [--expires ISO-DATE]
  npm run gavel -- keys revoke --tenant NAME --id KEY_ID
  npm run gavel -- agents secret rotate SLUG [--grace-seconds N]   new signing secret for an HTTP agent (printed once, last line)
  npm run gavel -- migrate            apply pending migrations
  npm run gavel -- migrate create --name what_it_does   generate a migration from entity changes
  npm run gavel -- migrate check      exit 1 when entities and migrations disagree`;

async function main(argv: string[]): Promise<number> {
  loadDotEnv();
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      tenant: { type: 'string' },
      tier: { type: 'string' },
      scopes: { type: 'string' },
      test: { type: 'boolean', default: false },
      name: { type: 'string' },
      expires: { type: 'string' },
      id: { type: 'string' },
      'grace-seconds': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [group, action] = positionals;
  if (values.help || !group) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const db = await openDatabase(config);
  try {
    if (group === 'migrate') return await runMigrate(db.orm, action, values.name);
    if (group === 'agents' && action === 'secret' && positionals[2] === 'rotate') {
      const slug = positionals[3];
      if (!slug) return fail('agents secret rotate needs the agent slug');
      const grace = values['grace-seconds'];
      if (grace !== undefined && !/^\d+$/.test(grace)) return fail('--grace-seconds must be a whole number');
      const { migrate } = await import('../db/orm.js');
      await migrate(db);
      const agents = createAgents({ orm: db.orm, pool: db.pool, config });
      const rotated = await agents.admin.rotateSecret(slug, grace === undefined ? undefined : Number(grace));
      const until = rotated.previousSecretValidUntil;
      console.log(
        `New signing secret for ${rotated.agent.slug}; ${until ? `the old one also signs until ${until.toISOString()}` : 'the old one signs nothing more'}.`,
      );
      // The write notified every running gateway through the database (the agents table's trigger).
      console.log('Running gateways sign with it from their next call (they reload the roster within a second).');
      console.log(rotated.signingSecret);
      return 0;
    }
    if (group === 'keys') {
      const { migrate } = await import('../db/orm.js');
      await migrate(db);
      const keys = createKeys({ orm: db.orm });
      if (action === 'create') {
        const tier = values.tier ?? 'free';
        if (!(TIERS as readonly string[]).includes(tier)) return fail(`--tier must be one of ${TIERS.join(', ')}`);
        if (!values.tenant) return fail('--tenant is required');
        if (!values.scopes) return fail('--scopes is required (comma-separated)');
        const expiresAt = values.expires ? new Date(values.expires) : null;
        if (expiresAt && Number.isNaN(expiresAt.getTime())) return fail('--expires must be an ISO date');
        const { key, apiKey } = await keys.create({
          tenantName: values.tenant,
          tier: tier as Tier,
          scopes: values.scopes
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
          sandbox: values.test,
          name: values.name,
          expiresAt,
        });
        console.log(
          `Created ${apiKey.sandbox ? 'sandbox ' : ''}key ${apiKey.id} (${apiKey.prefix}…) for tenant ${values.tenant} [${tier}] with scopes ${apiKey.scopes.join(',')}`,
        );
        console.log(key);
        return 0;
      }
      if (action === 'revoke') {
        if (!values.tenant || !values.id) return fail('--tenant and --id are required');
        const { tenantByName } = await import('../modules/tenants/index.js');
        const tenant = await tenantByName(db.orm.em.fork(), values.tenant);
        if (!tenant) return fail(`no tenant named ${values.tenant}`);
        const revoked = await keys.revoke(tenant.id, values.id);
        console.log(`Revoked key ${revoked.id} (${revoked.prefix}…)`);
        return 0;
      }
    }
    console.error(USAGE);
    return 2;
  } finally {
    await db.close();
  }
}

async function runMigrate(orm: Awaited<ReturnType<typeof openDatabase>>['orm'], action: string | undefined, name: string | undefined): Promise<number> {
  const migrator = orm.getMigrator();
  if (action === undefined || action === 'up') {
    const applied = await migrator.up();
    console.log(applied.length ? `Applied ${applied.map((m) => m.name).join(', ')}` : 'Database is up to date');
    return 0;
  }
  if (action === 'create') {
    // A migration says what it does in its file name (Migration<timestamp>_<name>.ts).
    if (!name || !/^[a-z][a-z0-9_]{2,60}$/.test(name)) {
      console.error('migrate create needs --name what_it_does (lowercase letters, digits and _)');
      return 2;
    }
    await migrator.up();
    const result = await migrator.createMigration(undefined, false, false, name);
    if (result.fileName) writeMigrationIndex();
    console.log(result.fileName ? `Created migrations/${result.fileName}` : 'No changes: entities match the migrations');
    return 0;
  }
  if (action === 'check') {
    await migrator.up();
    const needed = await migrator.checkMigrationNeeded();
    console.log(needed ? 'Entities and migrations disagree: run `npm run migrate:create -- --name what_it_does`' : 'Migrations are up to date');
    return needed ? 1 : 0;
  }
  console.error(USAGE);
  return 2;
}

function fail(message: string): number {
  console.error(`error: ${message}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof AppError) console.error(`error: ${error.message}`);
    else console.error(error);
    process.exit(1);
  },
);
