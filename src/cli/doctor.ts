import { Redis } from 'ioredis';
import type { Config } from '../config/config.js';
import { hasEmbeddedDatabase } from '../db/pglite/layout.js';
import { openDatabase } from '../db/orm.js';
import type { CliCommand } from './context.js';
import { describeDatabase } from './database.js';
import { gavelVersion, nodeSatisfies } from './version.js';

type Outcome = { ok: true; detail: string } | { ok: false; detail: string } | { ok: null; detail: string };

/** How long one check may take: an unreachable host fails the check, not the whole run. */
const CHECK_TIMEOUT_MS = 8_000;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const reason = (error: unknown) => {
  const e = error as Error & { code?: string; cause?: { code?: string; message?: string } };
  const parts = [e.message || e.code || String(error), e.cause?.message ?? e.cause?.code].filter(Boolean);
  return parts.join(': ').split('\n')[0]!;
};

/** Reachable, with migrations applied; never creates an embedded database. */
async function checkDatabase(config: Config): Promise<{ database: Outcome; migrations: Outcome }> {
  const where = describeDatabase(config.database);
  if (config.database.kind === 'embedded' && !hasEmbeddedDatabase(config.database.dataDir)) {
    const missing = { ok: false as const, detail: `no embedded database at ${config.database.dataDir} (set DATA_DIR as the server has it)` };
    return { database: missing, migrations: { ok: null, detail: 'not checked' } };
  }
  let db;
  try {
    db = await withTimeout(openDatabase(config), where);
    await withTimeout(db.ping(), where);
  } catch (error) {
    await db?.close().catch(() => {});
    return { database: { ok: false, detail: `${where}: ${reason(error)}` }, migrations: { ok: null, detail: 'not checked' } };
  }
  try {
    const migrator = db.orm.getMigrator();
    const [executed, pending] = await Promise.all([migrator.getExecutedMigrations(), migrator.getPendingMigrations()]);
    const borrowed = config.database.kind === 'embedded' ? (db.embeddedOwner ? ' (no server running on it)' : ' (through the running server)') : '';
    const migrations: Outcome = pending.length
      ? { ok: false, detail: `${pending.length} pending (${pending.map((m) => m.name).join(', ')}): npm run migrate, or start the server` }
      : { ok: true, detail: `${executed.length} applied, none pending` };
    return { database: { ok: true, detail: `${where} answers${borrowed}` }, migrations };
  } catch (error) {
    return { database: { ok: true, detail: `${where} answers` }, migrations: { ok: false, detail: reason(error) } };
  } finally {
    await db.close();
  }
}

async function checkRedis(url: string | undefined): Promise<Outcome> {
  if (!url) return { ok: null, detail: 'not configured (REDIS_URL): events and counters go through PostgreSQL' };
  const where = new URL(url).host;
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3_000, retryStrategy: () => null });
  redis.on('error', () => {}); // reported below, once
  try {
    await withTimeout(redis.connect(), `Redis at ${where}`);
    const pong = await withTimeout(redis.ping(), `Redis at ${where}`);
    return { ok: true, detail: `${where} answers ${pong}` };
  } catch (error) {
    return { ok: false, detail: `${where}: ${reason(error)}` };
  } finally {
    redis.disconnect();
  }
}

/** The OpenAI-compatible provider answers its model list (any answer but a refused key counts as reachable). */
async function checkProvider(llm: Config['llm']): Promise<Outcome> {
  if (!llm) return { ok: null, detail: 'not configured (OPENAI_BASE_URL): LLM agents cannot bid' };
  const url = `${llm.baseUrl.replace(/\/+$/, '')}/models`;
  try {
    const response = await fetch(url, {
      headers: llm.apiKey ? { authorization: `Bearer ${llm.apiKey}` } : {},
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (response.status === 401 || response.status === 403) return { ok: false, detail: `${url} refuses the API key (HTTP ${response.status})` };
    if (response.status >= 500) return { ok: false, detail: `${url} answers HTTP ${response.status}` };
    return { ok: true, detail: `${url} answers HTTP ${response.status}${llm.model ? `; model ${llm.model}` : ''}` };
  } catch (error) {
    return { ok: false, detail: `${url}: ${reason(error)}` };
  }
}

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'check the config, database, migrations, Redis, LLM provider and versions; exit 1 on a failure',
  async run(_call, { config }) {
    const { database, migrations } = await checkDatabase(config);
    const checks: Array<[string, Outcome]> = [
      [
        'config',
        {
          ok: true,
          detail: `NODE_ENV=${config.env}, port ${config.port}, database ${describeDatabase(config.database)}, Redis ${config.redisUrl ? 'set' : 'unset'}, LLM ${config.llm ? 'set' : 'unset'}`,
        },
      ],
      ['database', database],
      ['migrations', migrations],
      ['redis', await checkRedis(config.redisUrl)],
      ['llm', await checkProvider(config.llm)],
      [
        'versions',
        nodeSatisfies(process.version)
          ? { ok: true, detail: `Node ${process.version}, Gavel ${gavelVersion()}` }
          : { ok: false, detail: `Node ${process.version} is older than the 20.19 Gavel needs; Gavel ${gavelVersion()}` },
      ],
    ];
    for (const [name, outcome] of checks) console.log(`${outcome.ok ? 'ok  ' : outcome.ok === false ? 'FAIL' : '-   '}  ${name.padEnd(10)}  ${outcome.detail}`);
    const failed = checks.filter(([, o]) => o.ok === false).length;
    console.log(failed ? `${failed} check${failed === 1 ? '' : 's'} failed` : 'All checks passed');
    return failed ? 1 : 0;
  },
};
