import type { z } from 'zod/v4';
import { AppError, invalid } from '../../errors/app-error.js';

/** Room for the largest body a route takes: a 10 MB file as base64 (~13.4 MB) and its JSON. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Checks one part of a request against its route's schema: the one place REST input is
 * validated. The first problem becomes the dialect's 400, naming the field as a path
 * (`intents[1].text`) so a caller can find it.
 */
export function parsePart<S extends z.ZodType>(schema: S | undefined, value: unknown): z.output<S> | undefined {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = fieldPath(issue.path);
  // Messages written for a field already name it ("limit must be …"); zod's own do not.
  const named = !field || issue.message.toLowerCase().includes(field.toLowerCase());
  throw invalid(named ? issue.message : `${field}: ${issue.message}`, field || undefined);
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');
}

/** The query string as an object of its first values, for the route's query schema. */
export function queryObject(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of query) if (!(key in out)) out[key] = value;
  return out;
}

/** The JSON body, or undefined when there is none; too large or not JSON is the caller's error. */
export async function readJsonBody(request: Request): Promise<unknown> {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  const tooLarge = () => new AppError('PAYLOAD_TOO_LARGE', `Request bodies may be at most ${MAX_BODY_BYTES / 1024 / 1024} MB`);
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw tooLarge();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw invalid('Request body must be valid JSON');
  }
}
