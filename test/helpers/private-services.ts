import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Private PostgreSQL and Redis servers for fault tests: each on a free port in a temp
 * directory, so a test may stop and restart them without touching the machine's shared
 * ones. Each helper answers null (with the reason) when its binaries are absent.
 */
const run = promisify(execFile);

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'pg_ctl'))) return join(root, v, 'bin');
  return null;
}

export interface PrivatePostgres {
  url: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** PostgreSQL refuses to run as root: as root the server runs as the `postgres` user. */
export async function startPrivatePostgres(): Promise<PrivatePostgres | string> {
  const bin = postgresBin();
  if (!bin) return 'no PostgreSQL binaries under /usr/lib/postgresql/*/bin';
  const asRoot = userInfo().uid === 0;
  let uid = 0;
  let gid = 0;
  if (asRoot) {
    try {
      uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
      gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    } catch {
      return 'running as root and there is no postgres user to run PostgreSQL as';
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'gavel-pg-'));
  if (asRoot) await chown(dir, uid, gid);
  const port = await freePort();
  const data = join(dir, 'data');
  const pg = (tool: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args));
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  const ctl = (action: string, extra: string[] = []) => pg('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', opts, ...extra, action]);
  try {
    await pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    await ctl('start');
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    return `could not start a private PostgreSQL: ${(error as Error).message}`;
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: async () => void (await ctl('restart', ['-m', 'fast'])),
    stop: async () => void (await ctl('stop', ['-m', 'fast'])),
    start: async () => void (await ctl('start')),
    async destroy() {
      await ctl('stop', ['-m', 'immediate']).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivateRedis {
  url: string;
  /** SIGTERM by default; SIGKILL for a crash. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** On the same port, with the same directory. */
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * redis-server on a free port, its data in a temp directory. By default it keeps nothing
 * (no snapshot, no append-only file), so a restart comes back empty, as a cache would;
 * with `persist` it is append-only and a restart keeps what it had.
 */
export async function startPrivateRedis(options: { persist?: boolean } = {}): Promise<PrivateRedis | string> {
  try {
    await run('redis-server', ['--version']);
  } catch {
    return 'no redis-server on PATH';
  }
  const dir = await mkdtemp(join(tmpdir(), 'gavel-redis-'));
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    const c = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', options.persist ? 'yes' : 'no', '--save', ''],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = c;
    process.once('exit', () => c.kill('SIGKILL'));
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10_000);
      c.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      c.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}):\n${out}`));
      });
    });
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill(signal);
    });
  };
  try {
    await start();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    return (error as Error).message;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    async destroy() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
