import type { Dialect } from '../kit/index.js';
import { MindraErrorSchema, mindraErrorBody } from './errors.js';
import { mindraExecutionWebhook } from './webhooks.js';

export { MindraWebhookSchema, webhookVariables } from './webhook-input.js';
export { walletRoutes } from './wallet.js';

/**
 * Mindra: orchestration with executions, its webhook events and signatures, the wallet.
 * Its `/v1` routes come with the Mindra dialect issue; what exists today is its error
 * body (every `/v1` answer, 404 and 405 included), its webhook events, the `webhook`
 * object of a submit and the wallet routes OctoMind's base path serves.
 */
export const mindra: Dialect = {
  name: 'mindra',
  title: 'Mindra',
  description: "Gavel's Mindra-compatible API: a client written for Mindra works by changing its base URL and key.",
  basePath: '/v1',
  routes: [],
  errorBody: mindraErrorBody,
  errorSchema: MindraErrorSchema,
  webhooks: [mindraExecutionWebhook],
};
