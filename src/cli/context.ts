import type { Config } from '../config/config.js';
import type { Database } from '../db/orm.js';
import type { Command } from './args.js';

/** What a command runs with: the config as the server reads it, and the database when the command opens it. */
export interface Context {
  config: Config;
  db: Database | null;
}

export type CliCommand = Command<Context>;

export function dbOf(context: Context): Database {
  if (!context.db) throw new Error('this command opens no database');
  return context.db;
}
