import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Whether `dataDir` holds an embedded database already (its files, or a running server's
 * `embedded.json`). Apart from open.ts so that asking does not load the WASM database.
 */
export function hasEmbeddedDatabase(dataDir: string): boolean {
  return existsSync(join(dataDir, 'pgdata', 'PG_VERSION')) || existsSync(join(dataDir, 'embedded.json'));
}
