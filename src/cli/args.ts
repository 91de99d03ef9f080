import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in how the CLI was called: one line on stderr, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface OptionHelp {
  /** The value's placeholder (`NAME`); none for a boolean flag. */
  value?: string;
  description: string;
}

export interface Command<C> {
  /** The words that name it: `keys create`. */
  name: string;
  /** Positional arguments, in order, all required. */
  args?: string[];
  summary: string;
  options?: Record<string, OptionHelp & { type: 'string' | 'boolean'; short?: string }>;
  /** Opens the database (and applies pending migrations unless `migrate: false`). */
  database?: { migrate: boolean };
  /** Refuses bad values (a UsageError) before any database is opened, so a typo never meets `--init` or a connection. */
  check?(call: Call): void;
  run(call: Call, context: C): Promise<number>;
}

export interface Call {
  args: string[];
  values: Record<string, string | boolean | undefined>;
}

export const PROGRAM = 'npm run gavel --';

/** Options every command takes. */
const COMMON: Record<string, OptionHelp & { type: 'boolean'; short?: string }> = {
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};
/** Options of every command that opens the database. */
export const DATABASE_OPTIONS: Record<string, OptionHelp & { type: 'boolean' }> = {
  init: { type: 'boolean', description: 'create a new embedded database when DATA_DIR holds none' },
};

export function optionsOf<C>(command: Command<C>): Command<C>['options'] & object {
  return { ...command.options, ...(command.database ? DATABASE_OPTIONS : {}), ...COMMON };
}

/** Finds the command the leading words name (the longest match) and parses the rest strictly. */
export function resolve<C>(
  commands: readonly Command<C>[],
  argv: string[],
): { command: Command<C>; call: Call; help: boolean } | { group: string[]; help: boolean } {
  const words: string[] = [];
  for (const token of argv) {
    if (token.startsWith('-')) break;
    words.push(token);
  }
  let command: Command<C> | undefined;
  for (let n = words.length; n > 0 && !command; n--) command = commands.find((c) => c.name === words.slice(0, n).join(' '));
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  if (!command) {
    const prefix = words.join(' ');
    const known = commands.some((c) => c.name.startsWith(`${prefix} `)) || words.length === 0;
    if (!known) throw new UsageError(`unknown command "${prefix}"; see ${PROGRAM} --help`);
    return { group: words, help: wantsHelp };
  }
  const rest = argv.slice(command.name.split(' ').length);
  const options = optionsOf(command) as Options;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options, strict: true, allowPositionals: true });
  } catch (error) {
    // util.parseArgs's own errors (unknown option, missing value) are one line and say which.
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      throw new UsageError(`${firstSentence((error as Error).message)}; see ${PROGRAM} ${command.name} --help`);
    throw error;
  }
  const values = parsed.values as Call['values'];
  if (values.help) return { command, call: { args: [], values }, help: true };
  const expected = command.args ?? [];
  if (parsed.positionals.length !== expected.length) {
    const usage = [command.name, ...expected].join(' ');
    throw new UsageError(
      parsed.positionals.length < expected.length
        ? `${command.name} needs ${expected.slice(parsed.positionals.length).join(' ')} (${usage}); see ${PROGRAM} ${command.name} --help`
        : `${command.name} takes ${expected.length || 'no'} argument${expected.length === 1 ? '' : 's'} (${usage}); unexpected "${parsed.positionals[expected.length]}"`,
    );
  }
  return { command, call: { args: parsed.positionals, values }, help: false };
}

function firstSentence(message: string): string {
  return message.split(/\.\s/)[0]!.replace(/\.$/, '');
}

/** The whole CLI's help, or one group's (`keys`). */
export function overview<C>(commands: readonly Command<C>[], group: string[] = []): string {
  const prefix = group.join(' ');
  const shown = commands.filter((c) => !prefix || c.name === prefix || c.name.startsWith(`${prefix} `));
  const lines = shown.map((c) => `  ${[c.name, ...(c.args ?? [])].join(' ').padEnd(34)} ${c.summary}`);
  return [
    `Usage: ${PROGRAM} <command> [options]   (${PROGRAM} <command> --help for its options)`,
    '',
    'Commands:',
    ...lines,
    '',
    "Global: --help, --version. The database is the server's: DATABASE_URL, else the embedded one in DATA_DIR (default ./data), read from the environment and .env as the server reads them.",
  ].join('\n');
}

/** One command's help. */
export function commandHelp<C>(command: Command<C>): string {
  const options = Object.entries(optionsOf(command)).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.value ? ` ${o.value}` : ''}`;
    return `  ${flag.padEnd(30)} ${o.description}`;
  });
  return [`Usage: ${PROGRAM} ${[command.name, ...(command.args ?? [])].join(' ')} [options]`, '', command.summary, '', 'Options:', ...options].join('\n');
}
