/**
 * Run as a child process by `openEmbeddedDatabase`: creates a new embedded database in
 * the directory it is given, then exits. initdb grows PGlite's WASM heap to ~700 MB, and
 * WASM memory is never given back: done in the server's own process, the first start
 * idled at 470 MB, a restart at 350 MB. A process of its own takes that memory with it.
 */
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_START_PARAMS } from './start-params.js';

const [pgdata] = process.argv.slice(2);
if (!pgdata) throw new Error('usage: initdb.js <pgdata directory>');
const db = await PGlite.create({ dataDir: pgdata, startParams: PGLITE_START_PARAMS });
await db.close();
