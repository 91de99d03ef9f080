import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { InProcessSocket } from './in-process-socket.js';
import type { Notification } from './notification-scanner.js';
import { PGLITE_START_PARAMS } from './start-params.js';
import { PgliteWireServer } from './wire-server.js';

export interface EmbeddedDatabase {
  /** A `pg` connection string reaching the database (ours, or the running server's). */
  connectionString: string;
  /**
   * The same target as discrete options. MikroORM parses a URL into host and port
   * itself and would drop a `?host=/socket/dir` parameter, so it gets these instead.
   */
  connection: { host: string; port: number; user: string; database: string };
  /** True when this process opened PGlite; false when it borrows a running server's. */
  owned: boolean;
  /** For the owner: a connection that stays inside this process (a `pg` client's `stream`). */
  connectInProcess?: () => InProcessSocket;
  /** For the owner: every notification the one session sends (LISTEN/NOTIFY, see PgliteWireServer). */
  onNotification?: (listener: (notification: Notification) => void) => void;
  close(): Promise<void>;
}

interface LockFile {
  pid: number;
  connectionString: string;
}

/** Unix socket paths are limited to ~107 bytes; past that we listen on loopback TCP. */
const MAX_SOCKET_PATH = 100;
const SOCKET_PORT = 5432;
const execFileAsync = promisify(execFile);

/**
 * Opens the embedded database in `dataDir`. PGlite admits one process per data
 * directory, so the process that opens it serves it on a local socket and records
 * where in `embedded.json`; another process (the CLI while the server runs) finds
 * that file and connects there instead of opening the files itself.
 */
export async function openEmbeddedDatabase(opts: { dataDir: string; log?: (msg: string, extra?: Record<string, unknown>) => void }): Promise<EmbeddedDatabase> {
  const { dataDir } = opts;
  mkdirSync(dataDir, { recursive: true });
  const lockPath = join(dataDir, 'embedded.json');
  const borrowed = await borrowRunning(lockPath);
  if (borrowed) return { connectionString: borrowed, connection: connectionOf(borrowed), owned: false, close: async () => {} };

  const pgdata = join(dataDir, 'pgdata');
  if (!existsSync(join(pgdata, 'PG_VERSION'))) await initInChildProcess(pgdata);
  const db = await PGlite.create({ dataDir: pgdata, startParams: PGLITE_START_PARAMS });
  const server = new PgliteWireServer(db, opts.log);
  let connectionString: string;
  const socketPath = join(dataDir, `.s.PGSQL.${SOCKET_PORT}`);
  if (Buffer.byteLength(socketPath) <= MAX_SOCKET_PATH) {
    rmSync(socketPath, { force: true }); // left by a process that was killed
    await server.listen({ path: socketPath });
    connectionString = `postgresql://postgres@localhost:${SOCKET_PORT}/postgres?host=${encodeURIComponent(dataDir)}`;
  } else {
    await server.listen({ host: '127.0.0.1', port: 0 });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    connectionString = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  }
  const lock: LockFile = { pid: process.pid, connectionString };
  writeFileSync(lockPath, JSON.stringify(lock));
  return {
    connectionString,
    connection: connectionOf(connectionString),
    owned: true,
    connectInProcess: () => server.connectInProcess(),
    onNotification: (listener) => server.onNotification(listener),
    async close() {
      await server.close();
      await db.close();
      rmSync(lockPath, { force: true });
      rmSync(socketPath, { force: true });
    },
  };
}

function connectionOf(connectionString: string): EmbeddedDatabase['connection'] {
  const url = new URL(connectionString);
  const socketDir = url.searchParams.get('host');
  return { host: socketDir ?? url.hostname, port: Number(url.port || SOCKET_PORT), user: 'postgres', database: 'postgres' };
}

/** The running owner's connection string, when its process is alive and answers. */
async function borrowRunning(lockPath: string): Promise<string | null> {
  if (!existsSync(lockPath)) return null;
  let lock: LockFile;
  try {
    lock = JSON.parse(readFileSync(lockPath, 'utf8')) as LockFile;
  } catch {
    return null;
  }
  if (!isAlive(lock.pid)) return null;
  const client = new pg.Client({ connectionString: lock.connectionString, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return lock.connectionString;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates a new database in `pgdata` in a process of its own (initdb.ts says why). */
async function initInChildProcess(pgdata: string): Promise<void> {
  const source = import.meta.url.endsWith('.ts'); // run from source (tsx, vitest): the child needs the loader too
  const script = fileURLToPath(new URL(source ? './initdb.ts' : './initdb.js', import.meta.url));
  await execFileAsync(process.execPath, [...(source ? ['--import', 'tsx'] : []), script, pgdata], { maxBuffer: 16 * 1024 * 1024 }).catch(
    (error: Error & { stderr?: string }) => {
      throw new Error(`could not create the embedded database in ${pgdata}: ${error.stderr?.trim() || error.message}`);
    },
  );
}
