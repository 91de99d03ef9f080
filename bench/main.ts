/**
 * `npm run bench`: Gavel's figures, each next to a baseline measured in the same run
 * on the same machine, reported as ratios (the machine is shared and noisy, so only
 * ratios compare across runs).
 *
 * BENCH_DATABASE_URL runs against a real PostgreSQL (a scratch database is created and
 * dropped); otherwise the embedded database in a temporary directory. BENCH_ONLY=intents
 * or BENCH_ONLY=fanout runs one half.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { benchAuctionCompute } from './auction-compute.js';
import { benchCorpus } from './corpus.js';
import { benchFanout } from './fanout.js';
import { benchSubmitLatency, benchThroughput } from './intents.js';
import { createScratchDatabase } from '../test/helpers/database.js';
import { printTable, type Row } from './stats.js';

const KEY = 'gvl_live_bench_bootstrap_key_0123456789abcdef';

const only = process.env.BENCH_ONLY ?? (process.env.BENCH_SKIP_FANOUT === 'true' ? 'intents' : 'all');

async function main(): Promise<void> {
  const rows: Row[] = [];
  if (only !== 'fanout') rows.push(...(await benchIntents()));
  // Subscriptions run against a gateway process of their own, so its memory is its own.
  if (only !== 'intents') rows.push(...(await benchFanout()));
  printTable(rows);
}

async function benchIntents(): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), 'gavel-bench-'));
  const server = process.env.BENCH_DATABASE_URL;
  const env: Record<string, string> = { DATA_DIR: dir, LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'production', GAVEL_BOOTSTRAP_KEY: KEY };
  const scratch = server ? await createScratchDatabase(server, 'gavel_bench') : null;
  if (scratch) env.DATABASE_URL = scratch.url;
  const app = await buildApp(loadConfig(env));
  const baseUrl = await app.start();
  const rows: Row[] = [];
  try {
    console.log(`database: ${server ? 'PostgreSQL' : 'embedded PGlite'}; roster: ${app.modules.agents.roster().length} agents\n`);
    rows.push(...(await benchAuctionCompute(app.modules.agents.roster())));
    rows.push(...(await benchCorpus(app.modules.agents.roster())));
    rows.push(...(await benchSubmitLatency(app, baseUrl, KEY)));
    rows.push(...(await benchThroughput(app, KEY)));
  } finally {
    await app.stop();
    await rm(dir, { recursive: true, force: true });
    await scratch?.drop();
  }
  return rows;
}

await main();
