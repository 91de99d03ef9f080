import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config/config.js';
import { migrate, openDatabase, withStartupLock, type Database } from './db/orm.js';
import { dialects, webhookPayloads } from './dialects/index.js';
import { createGateway, type Gateway } from './http/gateway.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import { createServices, type Services } from './services.js';
import { parseBearer } from './modules/keys/key-format.js';
import { attachGraphqlWs } from './ws/graphql-ws.js';

export interface App {
  services: Services;
  yoga: Gateway;
  /** Listens on config.port (0 = any free port); resolves with the base URL. */
  start(): Promise<string>;
  /** Graceful: stops accepting, lets in-flight requests finish (up to the grace period), closes the database. */
  stop(): Promise<void>;
  url(): string;
  /** A key generated on the very first start, to print once; null otherwise. */
  firstKey: string | null;
}

export interface AppOverrides {
  logger?: Logger;
}

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const metrics = createMetrics();
  const db: Database = await openDatabase(config);
  let server: Server | null = null;
  let ws: ReturnType<typeof attachGraphqlWs> | null = null;
  try {
    const applied = await migrate(db);
    if (applied.length) logger.info({ migrations: applied }, 'applied migrations');
    // Webhook bodies are rendered by the dialects' documents on this very gateway.
    let gateway: Gateway | null = null;
    const payloads = webhookPayloads(dialects, () => {
      if (!gateway) throw new Error('the gateway is not built yet; the webhook sweep announces it later');
      return gateway;
    });
    const services = await createServices(config, db, metrics, logger, payloads);
    const firstKey = await withStartupLock(db, () => services.keys.ensureBootstrapKey(config.bootstrapKey));
    const yoga = createGateway(services);
    gateway = yoga;

    const app: App = {
      services,
      yoga,
      firstKey,
      async start() {
        server = createServer(yoga);
        // Keep-alive sockets would hold shutdown open for their whole idle timeout.
        server.keepAliveTimeout = 5_000;
        ws = attachGraphqlWs(server, yoga, config.wsPingMs, async (authorization) => {
          const token = parseBearer(authorization);
          if (token === null) return true; // anonymous: public operations only
          return token !== 'malformed' && (await services.keys.authenticate(token)) !== null;
        });
        await new Promise<void>((resolve, reject) => {
          server!.once('error', reject);
          server!.listen(config.port, config.host, () => resolve());
        });
        const url = app.url();
        logger.info({ url, database: config.database.kind }, 'gavel listening');
        return url;
      },
      url() {
        const address = server?.address() as AddressInfo | null;
        if (!address) throw new Error('not started');
        const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
      },
      async stop() {
        const s = server;
        server = null;
        if (s) {
          const closed = new Promise<void>((resolve) => s.close(() => resolve()));
          s.closeIdleConnections();
          await ws?.close();
          const grace = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownGraceMs).unref());
          await Promise.race([closed, grace]);
          s.closeAllConnections();
        }
        await services.stop();
        await db.close();
        logger.info('gavel stopped');
      },
    };
    return app;
  } catch (error) {
    await db.close();
    throw error;
  }
}
