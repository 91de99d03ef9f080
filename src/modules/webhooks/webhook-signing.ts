import { createHmac } from 'node:crypto';

/**
 * The Standard Webhooks headers every delivery carries (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`): `v1,` and base64 HMAC-SHA256 of `id.timestamp.body`. The key is
 * the secret's UTF-8 bytes, or for a `whsec_…` secret the bytes its base64 tail decodes
 * to, as the spec's libraries do. Each dialect adds its own header (X-OctoMind-Signature,
 * X-Mindra-Signature) with its payload.
 */
export function standardSignatureHeaders(secret: string, id: string, timestampSeconds: number, body: string): Record<string, string> {
  const standardKey = secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret, 'utf8');
  const standard = createHmac('sha256', standardKey).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${standard}`,
  };
}
