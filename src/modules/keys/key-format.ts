import { createHash } from 'node:crypto';
import { randomBase62 } from '../../lib/random.js';

/** `gvl_live_…` or, for sandbox keys, `gvl_test_…`, followed by 32 base62 characters (~190 bits). */
export function generateKey(sandbox: boolean): string {
  return `gvl_${sandbox ? 'test' : 'live'}_${randomBase62(32)}`;
}

/** Keys carry enough entropy that one SHA-256 is enough; no slow KDF needed for lookups. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** What may be shown of a key after creation: enough to tell keys apart, never enough to use one. */
export function displayPrefix(key: string): string {
  return key.slice(0, Math.min(13, Math.floor(key.length / 2)));
}

/** Extracts the token of an `Authorization: Bearer <token>` header; null when absent, 'malformed' when unusable. */
export function parseBearer(header: string | null | undefined): string | null | 'malformed' {
  if (header == null || header === '') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? 'malformed';
}
