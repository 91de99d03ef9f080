import type { Dialect } from '../kit/index.js';
import { walletRoutes } from './routes/wallet.js';
import { octomindErrorBody, OctoMindErrorSchema } from './errors.js';
import { accountRoutes } from './routes/account.js';
import { analyticsRoutes } from './routes/analytics.js';
import { batchRoutes } from './routes/batches.js';
import { fileRoutes } from './routes/files.js';
import { intentRoutes } from './routes/intents.js';
import { streamTokenRoutes } from './routes/stream-tokens.js';
import { webhookRoutes } from './routes/webhooks.js';
import { octomindReceiptWebhook } from './webhooks.js';

/** OctoMind: the primary REST surface (intents, me, usage, routing stats, batch, webhooks, files, cost aggregation). */
export const octomind: Dialect = {
  name: 'octomind',
  title: 'OctoMind',
  description: "Gavel's OctoMind-compatible API: submit an intent, agents bid, the winner executes, the answer is a cost receipt.",
  basePath: '/api',
  routes: [...intentRoutes, ...streamTokenRoutes, ...accountRoutes, ...batchRoutes, ...webhookRoutes, ...fileRoutes, ...analyticsRoutes, ...walletRoutes],
  errorBody: octomindErrorBody,
  errorSchema: OctoMindErrorSchema,
  webhooks: [octomindReceiptWebhook],
};
