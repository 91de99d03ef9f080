import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError, forbidden, unauthorized } from '../../errors/app-error.js';
import type { AuthInfo } from './auth-info.js';
import type { KeyService } from './key.service.js';

/** What a stream token says: whose key, which intent's events, until when (epoch seconds). */
export interface StreamTokenClaims {
  keyId: string;
  intentId: string;
  expires: number;
}

const PREFIX = 'gst_';
const SHAPE = /^gst_([A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{43})$/;
const CLAIMS = /^([0-9a-f-]{36})\.(\d{1,15})\.(\d{1,12})$/;

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(`gavel-stream-token.v1.${payload}`).digest();

/**
 * `gst_<claims>.<hmac>`, both base64url: stateless, so any instance sharing the secret
 * (kept in `gateway_settings`) checks it without a lookup, the way signed file URLs work.
 */
export function signStreamToken(secret: string, claims: StreamTokenClaims): string {
  const payload = `${claims.keyId}.${claims.intentId}.${claims.expires}`;
  return `${PREFIX}${Buffer.from(payload).toString('base64url')}.${mac(secret, payload).toString('base64url')}`;
}

/** The claims of a token signed with `secret`, 'expired' past its expiry, 'forged' for anything else. */
export function readStreamToken(secret: string, token: string, now = Date.now()): StreamTokenClaims | 'forged' | 'expired' {
  const shape = SHAPE.exec(token);
  if (!shape) return 'forged';
  const payload = Buffer.from(shape[1]!, 'base64url').toString();
  const claims = CLAIMS.exec(payload);
  const given = Buffer.from(shape[2]!, 'base64url');
  const expected = mac(secret, payload);
  if (!claims || given.length !== expected.length || !timingSafeEqual(expected, given)) return 'forged';
  const expires = Number(claims[3]);
  if (expires * 1000 <= now) return 'expired';
  return { keyId: claims[1]!, intentId: claims[2]!, expires };
}

/** A token minted for a caller: what it opens and until when. */
export interface MintedStreamToken {
  token: string;
  intentId: string;
  expiresAt: Date;
}

/**
 * Short-lived credentials for one intent's event stream, for clients that cannot send an
 * `Authorization` header (a browser's `EventSource`). A token acts for the key that minted
 * it, read-only, and only while that key is valid: revoking the key kills its tokens.
 * It may open its stream any number of times until it expires, since an EventSource
 * reconnects to the very same URL; a stream it opened is not cut when it expires.
 */
export class StreamTokens {
  constructor(
    private readonly keys: KeyService,
    private readonly secret: string,
    private readonly ttlSeconds: number,
  ) {}

  mint(auth: AuthInfo, intentId: string, now = Date.now()): MintedStreamToken {
    // A token's holder may not extend its own life: only a key mints.
    if (auth.viaStreamToken) throw forbidden('A stream token cannot mint another; use the API key');
    // Rounded up to the second: a token lives at least its whole lifetime.
    const expires = Math.ceil(now / 1000) + this.ttlSeconds;
    return { token: signStreamToken(this.secret, { keyId: auth.keyId, intentId, expires }), intentId, expiresAt: new Date(expires * 1000) };
  }

  /** Who may open `intentId`'s stream with this token: its key, read-only; refusals are 401 (403 for another intent). */
  async authenticate(token: string, intentId: string, now = Date.now()): Promise<AuthInfo> {
    const claims = readStreamToken(this.secret, token, now);
    if (claims === 'forged') throw unauthorized('The stream token is not valid');
    if (claims === 'expired') throw unauthorized('The stream token has expired; mint a new one');
    if (claims.intentId !== intentId) throw forbidden(`This stream token opens the events of intent ${claims.intentId} only`);
    const auth = await this.keys.authenticateKeyId(claims.keyId, now);
    if (!auth) throw unauthorized('The API key of this stream token was revoked or has expired');
    return { ...auth, scopes: new Set(['intent_read']), viaStreamToken: true };
  }
}

/** An API key in a URL ends up in logs, browser history and Referer headers: it is refused, never used. */
export function keyInUrl(): AppError {
  return unauthorized(
    'An API key is never accepted in a URL (URLs end up in logs and browser history): send it as Authorization: Bearer, or mint a stream token for an EventSource',
  );
}
