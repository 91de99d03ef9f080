import { AppError, invalid } from '../../errors/app-error.js';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/**
 * Strict base64 (RFC 4648 §4, padded, no whitespace or line breaks): anything a decoder
 * would have to guess about is refused, and the size is checked before decoding.
 */
export function decodeBase64Strictly(content: unknown): Buffer {
  if (typeof content !== 'string' || content.length === 0) throw invalid('content must be a non-empty base64 string', 'content');
  if (Math.floor(content.length / 4) * 3 > MAX_FILE_BYTES + 2) throw tooLarge();
  if (content.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(content)) {
    throw invalid('content must be standard base64 (A-Z, a-z, 0-9, +, /, = padding; no whitespace)', 'content');
  }
  const data = Buffer.from(content, 'base64');
  // Non-canonical encodings (stray bits in the last character) do not round-trip.
  if (data.toString('base64') !== content) throw invalid('content is not canonical base64', 'content');
  if (data.length > MAX_FILE_BYTES) throw tooLarge();
  return data;
}

const tooLarge = () => new AppError('PAYLOAD_TOO_LARGE', `A file may be at most ${MAX_FILE_BYTES / 1024 / 1024} MB once decoded`, { field: 'content' });

/**
 * A file name safe to store, show and put in a URL or a Content-Disposition: the last
 * path segment, Unicode-normalised, without control or reserved characters, not hidden
 * and not empty, at most 255 bytes.
 */
export function sanitizeFilename(raw: unknown): string {
  if (typeof raw !== 'string') throw invalid('filename is required', 'filename');
  let name = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  name = name
    // Control characters (C0, DEL, C1): \p{Cc} says it without spelling them out.
    .replace(/\p{Cc}/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  while (Buffer.byteLength(name) > 255) name = shorten(name);
  if (name === '') throw invalid('filename has no usable characters', 'filename');
  return name;
}

/** Drops characters from the stem, keeping the extension. */
function shorten(name: string): string {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  const stem = [...name.slice(0, name.length - ext.length)];
  stem.pop();
  return stem.join('') + ext;
}

const MIME_PATTERN = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

export function validMimeType(raw: unknown): string | null {
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw !== 'string' || !MIME_PATTERN.test(raw.trim().toLowerCase())) throw invalid('mime_type must look like type/subtype', 'mime_type');
  return raw.trim().toLowerCase();
}
