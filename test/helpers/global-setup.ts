import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILD_STAMP = join(ROOT, 'dist/.tsbuildinfo');

/**
 * Says once, up front, which database and Redis the suite runs against, brings the build
 * up to date, and on the embedded database makes the template every test database copies.
 */
export default function setup(): () => void {
  const db = process.env.TEST_DATABASE_URL ? `PostgreSQL (${redact(process.env.TEST_DATABASE_URL)})` : 'embedded PGlite';
  const redis = process.env.TEST_REDIS_URL ? `Redis (${redact(process.env.TEST_REDIS_URL)})` : 'none: Redis tests are skipped';
  console.log(`[gavel tests] database: ${db}; redis: ${redis}`);
  ensureBuild();
  if (process.env.TEST_DATABASE_URL) return () => {};
  const template = makeEmbeddedTemplate();
  return () => rmSync(template, { recursive: true, force: true });
}

/**
 * A new embedded database, made once by the server's own initdb step (the same child
 * process the server runs on a first start) and never opened since. Test databases are
 * copies (test/helpers/database.ts); workers inherit the variable naming it.
 */
function makeEmbeddedTemplate(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gavel-template-'));
  const pgdata = join(dir, 'pgdata');
  execFileSync(process.execPath, [join(ROOT, 'dist/src/db/pglite/initdb.js'), pgdata], { stdio: 'inherit' });
  process.env.GAVEL_TEST_EMBEDDED_TEMPLATE = pgdata;
  return dir;
}

/**
 * Spawned gateways and CLI runs use `dist/` as `npm start` does (test/helpers/process.ts).
 * It is rebuilt here, once per run, when any source file (the console's included) is newer than the last build;
 * a watch-mode run does not rebuild it between reruns.
 */
function ensureBuild(): void {
  const built = mtime(BUILD_STAMP);
  const sources = ['src', 'migrations', 'console'].map((dir) => newest(join(ROOT, dir)));
  if (built > 0 && sources.every((m) => m <= built)) return;
  console.log('[gavel tests] building dist/ (npm run build) for the tests that spawn the gateway');
  execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const now = new Date();
  utimesSync(BUILD_STAMP, now, now); // an incremental build with nothing to emit leaves the stamp as it was
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, mtime(join(entry.parentPath, entry.name)));
  }
  return latest;
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
