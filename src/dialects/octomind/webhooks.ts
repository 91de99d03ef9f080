import { createHmac } from 'node:crypto';
import { RestIntentDocument } from '../../generated/graphql.js';
import type { WebhookPayload } from '../kit/index.js';
import { receipt } from './receipt.js';

/**
 * OctoMind's `webhook_url`: the receipt itself, once the intent is final. Its
 * `X-OctoMind-Signature` is the hex HMAC-SHA256 of the body with the secret as given,
 * which is what OctoMind's verifier (`createHmac('sha256', secret).update(JSON.stringify(req.body))`)
 * computes: the body is plain `JSON.stringify` output and re-serialises to itself.
 */
export const octomindReceiptWebhook: WebhookPayload = {
  events: ['receipt'],
  async render({ intentId }, read) {
    return receipt((await read(RestIntentDocument, intentId)).intent);
  },
  signatureHeaders: (secret, body) => ({ 'x-octomind-signature': createHmac('sha256', secret).update(body).digest('hex') }),
};
