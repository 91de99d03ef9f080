import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Signatures on the gateway's calls to HTTP agents (docs/agent-protocol.md), so an agent
 * can tell the gateway's calls from anyone else's. Used by the HTTP executor to sign and
 * by agents (examples/http-agent) to verify.
 */

/** How far a signed call's timestamp may be from the receiver's clock, either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export const AGENT_HEADERS = {
  timestamp: 'x-gavel-timestamp',
  signature: 'x-gavel-signature',
  deadline: 'x-gavel-deadline-ms',
  agent: 'x-gavel-agent',
} as const;

/** `v1=` + hex HMAC-SHA256 of `<timestamp>.<raw body>` with the shared secret. */
export function signAgentRequest(secret: string, body: string | Uint8Array, timestamp: number): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/**
 * Whether a call carries a valid signature made within the tolerance. `body` must be the
 * raw bytes as received (not re-serialised JSON). The header may list several
 * space- or comma-separated `v1=` values, so a secret can be rotated without downtime.
 */
export function verifyAgentSignature(
  secret: string,
  body: string | Uint8Array,
  timestampHeader: string | undefined,
  signatureHeader: string | undefined,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  if (!secret || !signatureHeader || !timestampHeader || !/^\d{1,15}$/.test(timestampHeader)) return false;
  const timestamp = Number(timestampHeader);
  if (Math.abs(nowSeconds - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signAgentRequest(secret, body, timestamp));
  return signatureHeader
    .split(/[\s,]+/)
    .map((given) => Buffer.from(given))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
}
