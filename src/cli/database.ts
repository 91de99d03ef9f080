import type { Config } from '../config/config.js';
import { hasEmbeddedDatabase } from '../db/pglite/layout.js';
import { openDatabase, type Database } from '../db/orm.js';

/** A refusal that is not a usage mistake (exit code 1), said in one line. */
export class CliFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliFailure';
  }
}

/** Which database the config names, said without a password: what every command tells stderr. */
export function describeDatabase(database: Config['database']): string {
  if (database.kind === 'embedded') return `embedded at ${database.dataDir}`;
  const url = new URL(database.url);
  const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
  return `PostgreSQL ${user}${url.hostname}:${url.port || 5432}${url.pathname}`;
}

/**
 * Opens the server's database. An embedded one must exist already (the server made it,
 * or `--init`): a CLI run from the wrong directory or without the server's DATA_DIR
 * would otherwise make a second database whose keys the server never sees.
 */
export async function openServerDatabase(config: Config, init: boolean): Promise<Database> {
  const { database } = config;
  const fresh = database.kind === 'embedded' && !hasEmbeddedDatabase(database.dataDir);
  if (fresh && !init) {
    throw new CliFailure(
      `no embedded database at ${database.dataDir}: set DATA_DIR (or DATABASE_URL) as the server has it, or pass --init to create a new one there`,
    );
  }
  console.error(`gavel: database ${describeDatabase(database)}${fresh ? ' (new, --init)' : ''}`);
  return openDatabase(config);
}
