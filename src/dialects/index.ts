import type { Dialect } from './kit/index.js';
import { mindra } from './mindra/index.js';
import { octavus } from './octavus/index.js';
import { octomind } from './octomind/index.js';

/** Every reference API Gavel speaks, one line each; a path goes to the longest base path it falls under. */
export const dialects: Dialect[] = [
  octomind, // /api: intents, me, usage, routing stats, batch, webhooks, files, cost summary, wallet
  octavus, // /api: agents
  mindra, // /v1: orchestrate, executions; its error body and webhook events
];

export type { Dialect } from './kit/index.js';
export { octomind };
export { useDialects } from './kit/plugin.js';
export { createRouteLabeler, createRouter } from './kit/router.js';
export { errorResponse } from './kit/respond.js';
export { webhookPayloads } from './kit/webhook-payloads.js';
