import { createHmac } from 'node:crypto';

/**
 * The headers that let a receiver trust a delivery, all over the exact body bytes:
 * - `X-OctoMind-Signature`: hex HMAC-SHA256 of the body with the secret as given, which
 *   is what OctoMind's verifier (`createHmac('sha256', secret).update(JSON.stringify(req.body))`)
 *   computes, because the body is plain `JSON.stringify` output and re-serialises to itself;
 * - `X-Mindra-Signature`: the same digest as `sha256=<hex>` (Mindra's format);
 * - Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`): `v1,` and
 *   base64 HMAC-SHA256 of `id.timestamp.body`. The key is the secret's UTF-8 bytes, or
 *   for a `whsec_…` secret the bytes its base64 tail decodes to, as the spec's libraries do.
 */
export function signatureHeaders(secret: string, id: string, timestampSeconds: number, body: string): Record<string, string> {
  const hex = createHmac('sha256', secret).update(body).digest('hex');
  const standardKey = secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret, 'utf8');
  const standard = createHmac('sha256', standardKey).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return {
    'x-octomind-signature': hex,
    'x-mindra-signature': `sha256=${hex}`,
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${standard}`,
  };
}
