/** The files module: intents' files, stored locally, served by signed URL, counted against a quota. */
import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { Config } from '../../config/config.js';
import { localBlobStore } from './blob-store.js';
import { FileService } from './file.service.js';

export { FileService } from './file.service.js';
export { sharedSecret } from './file.store.js';

export function createFiles(deps: { orm: MikroORM; pool: pg.Pool; settings: Config['files'] }): FileService {
  return new FileService(deps.orm, deps.pool, localBlobStore(deps.settings.dir), deps.settings);
}
