import type { Dialect } from '../kit/index.js';
import { MindraErrorSchema, mindraErrorBody } from './errors.js';
import { accountRoutes } from './routes/account.js';
import { agentRoutes } from './routes/agents.js';
import { executionRoutes } from './routes/executions.js';
import { mindraExecutionWebhook } from './webhooks.js';

export { MindraWebhookSchema, webhookVariables } from './webhook-input.js';

/**
 * Mindra at `/v1`: orchestrate and executions (get, list, cancel, stream), agents, the wallet,
 * API keys and `auth/test`, its error body (every `/v1` answer, 404 and 405 included),
 * its webhook events and the `webhook` object of a submit.
 */
export const mindra: Dialect = {
  name: 'mindra',
  title: 'Mindra',
  description: "Gavel's Mindra-compatible API: a client written for Mindra works by changing its base URL and key.",
  basePath: '/v1',
  routes: [...executionRoutes, ...agentRoutes, ...accountRoutes],
  errorBody: mindraErrorBody,
  // Mindra documents eight codes and no 409 or 422: a reused idempotency key with another
  // body, and a cancel of a finished execution, are requests it cannot take.
  foreignCodes: {
    CONFLICT: { status: 400, code: 'INVALID_REQUEST' },
    IDEMPOTENCY_KEY_REUSED: { status: 400, code: 'INVALID_REQUEST' },
  },
  errorSchema: MindraErrorSchema,
  keyRequired: true,
  webhooks: [mindraExecutionWebhook],
};
