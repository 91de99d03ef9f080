import type { Config } from './config/config.js';
import type { Database } from './db/orm.js';
import { KeyService } from './modules/keys/key.service.js';
import type { Logger } from './observability/logger.js';
import type { Metrics } from './observability/metrics.js';

/** The domain services of one app instance, handed to resolvers through the context. */
export interface Services {
  config: Config;
  db: Database;
  keys: KeyService;
  metrics: Metrics;
  logger: Logger;
}

export function createServices(config: Config, db: Database, metrics: Metrics, logger: Logger): Services {
  return { config, db, keys: new KeyService(db.orm), metrics, logger };
}
