import { createHmac, timingSafeEqual } from 'node:crypto';

/** Signed URLs are valid this long (OctoMind: "30-day signed URL"). */
export const URL_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

/** `sig` = hex HMAC-SHA256 over the file id and the expiry, so neither can be changed. */
export function signFile(secret: string, fileId: string, expiresSeconds: number): string {
  return createHmac('sha256', secret).update(`${fileId}.${expiresSeconds}`).digest('hex');
}

export function fileUrl(origin: string, secret: string, file: { id: string; filename: string }, now = Date.now()): { url: string; expiresAt: Date } {
  const expires = Math.floor((now + URL_LIFETIME_MS) / 1000);
  const url = `${origin}/files/${file.id}/${encodeURIComponent(file.filename)}?expires=${expires}&sig=${signFile(secret, file.id, expires)}`;
  return { url, expiresAt: new Date(expires * 1000) };
}

/** Whether a URL's expiry and signature hold for this file id. */
export function verifyFileSignature(secret: string, fileId: string, expires: string | null, sig: string | null, now = Date.now()): boolean {
  if (!expires || !sig || !/^\d{1,12}$/.test(expires) || !/^[0-9a-f]{64}$/.test(sig)) return false;
  if (Number(expires) * 1000 < now) return false;
  return timingSafeEqual(Buffer.from(signFile(secret, fileId, Number(expires)), 'hex'), Buffer.from(sig, 'hex'));
}
