/**
 * `npm run gavel -- <command>`: operator tasks on the same database the server uses, found
 * as the server finds it (DATABASE_URL, else DATA_DIR, from the environment and .env).
 * In embedded mode, a running server lends its database over its local socket (the
 * embedded database admits one process), so the CLI works with or without it.
 */
import { ConfigError, loadConfig, loadDotEnv } from '../config/config.js';
import { migrate, type Database } from '../db/orm.js';
import { AppError } from '../errors/app-error.js';
import { commandHelp, overview, resolve, UsageError } from './args.js';
import type { CliCommand } from './context.js';
import { CliFailure, openServerDatabase } from './database.js';
import { doctorCommand } from './doctor.js';
import { keyCommands } from './keys.js';
import { migrateCommands } from './migrate.js';
import { agentCommands, intentCommands, tenantCommands } from './operator.js';
import { gavelVersion } from './version.js';

const COMMANDS: readonly CliCommand[] = [...keyCommands, ...tenantCommands, ...agentCommands, ...intentCommands, doctorCommand, ...migrateCommands];

async function main(argv: string[]): Promise<number> {
  if (argv.length === 1 && argv[0] === '--version') {
    console.log(gavelVersion());
    return 0;
  }
  const found = resolve(COMMANDS, argv);
  if ('group' in found) {
    // `gavel`, `gavel --help`, `gavel keys`: the commands there are.
    const text = overview(COMMANDS, found.group);
    if (found.help) console.log(text);
    else console.error(text);
    return found.help ? 0 : 2;
  }
  const { command, call, help } = found;
  if (help) {
    console.log(commandHelp(command));
    return 0;
  }
  loadDotEnv();
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  command.check?.(call);
  let db: Database | null = null;
  try {
    if (command.database) {
      db = await openServerDatabase(config, call.values.init === true);
      if (command.database.migrate) await migrate(db);
    }
    return await command.run(call, { config, db });
  } finally {
    await db?.close();
  }
}

/** Every failure is one line on stderr; usage mistakes and refused values exit 2, the rest 1. */
function report(error: unknown): number {
  if (error instanceof UsageError) {
    console.error(`error: ${error.message}`);
    return 2;
  }
  if (error instanceof ConfigError) {
    console.error(`error: invalid configuration: ${error.problems.join('; ')}`);
    return 1;
  }
  if (error instanceof AppError) {
    console.error(`error: ${error.message}`);
    return error.extensions.code === 'INVALID_REQUEST' ? 2 : 1;
  }
  if (error instanceof CliFailure) {
    console.error(`error: ${error.message}`);
    return 1;
  }
  const e = error as Error & { code?: string };
  console.error(`error: ${(e?.message || e?.code || String(error)).split('\n')[0]}`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => process.exit(report(error)),
);
