import { PGlite } from '@electric-sql/pglite';

/**
 * PostgreSQL's 128 MB of shared buffers, which PGlite's initdb writes, lives in the WASM
 * heap of this very process. The data files are ordinary files, so the OS page cache
 * still holds what smaller buffers drop. Measured on a reopened database (PGlite alone,
 * RSS): 293 MB at 128 MB of buffers, 199 MB at 32 MB, 170 MB at 16 MB.
 */
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];
