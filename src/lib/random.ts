import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` unbiased random base62 characters (about 5.95 bits each). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    // 256 % 62 leaves a small bias; rejecting bytes >= 248 removes it.
    for (const b of randomBytes(length)) if (b < 248 && out.length < length) out += ALPHABET[b % 62];
  }
  return out;
}
