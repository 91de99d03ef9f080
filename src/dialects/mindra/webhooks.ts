import { createHmac } from 'node:crypto';
import { RestIntentDocument } from '../../generated/graphql.js';
import type { WebhookPayload } from '../kit/index.js';
import { receipt } from '../octomind/receipt.js';

const hmacHex = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('hex');

/**
 * Mindra's webhook events: `{event, executionId, timestamp, signature, data}`, with the
 * receipt as `data` for `execution.*` and the agent's attempt for `agent.*` (which
 * agent, which attempt from 1, and for `agent.completed` its outcome and error). The
 * `signature` member signs the `data` member's JSON (a member cannot sign the body that
 * holds it); `X-Mindra-Signature` signs the exact body.
 */
export const mindraExecutionWebhook: WebhookPayload = {
  events: ['execution.started', 'execution.completed', 'execution.failed', 'agent.started', 'agent.completed'],
  async render({ event, intentId, secret, agent }, read) {
    const data = agent ? { executionId: String(intentId), ...agent } : receipt((await read(RestIntentDocument, intentId)).intent);
    return { event, executionId: String(intentId), timestamp: new Date().toISOString(), signature: `sha256=${hmacHex(secret, JSON.stringify(data))}`, data };
  },
  signatureHeaders: (secret, body) => ({ 'x-mindra-signature': `sha256=${hmacHex(secret, body)}` }),
};
