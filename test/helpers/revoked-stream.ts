import { expect } from 'vitest';
import { readSse } from '../../src/lib/sse.js';
import { gql } from './http.js';

/**
 * Reads a REST event stream to its end, revoking `key` (on `revokeAt`, any instance) as
 * soon as the stream says the intent was created, and checks that it ended the way a
 * revoked key's stream must: an `error` event with OctoMind's unauthorized body, never
 * the completion. Returns that body for further checks.
 */
export async function expectStreamEndsOnRevoke(
  res: Response,
  key: { key: string; id: string },
  revokeAt: string,
): Promise<{ error: { code: string; message: string; request_id?: string } }> {
  expect(res.status).toBe(200);
  const seen: Array<{ event?: string; data: string }> = [];
  for await (const e of readSse(res.body!)) {
    seen.push({ event: e.event, data: e.data });
    if (e.event === 'created') await gql(revokeAt, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: key.id }, key.key);
  }
  const last = seen.at(-1)!;
  expect(last.event).toBe('error');
  expect(seen.map((e) => e.event)).not.toContain('completed');
  const body = JSON.parse(last.data) as { error: { code: string; message: string; request_id?: string } };
  expect(body.error.code).toBe('unauthorized');
  return body;
}
