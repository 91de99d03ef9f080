import { z } from 'zod/v4';
import { RestCreateStreamTokenDocument } from '../../../generated/graphql.js';
import { defineRoute, idFromPath } from '../../kit/index.js';
import { intentIdParam } from '../paging.js';

/**
 * A Gavel extension to OctoMind: a browser's EventSource cannot send Authorization, so a
 * page mints a short-lived stream token with its key and opens the stream with the token.
 */
export const streamTokenRoutes = [
  defineRoute({
    method: 'POST',
    path: '/intents/:id/stream-token',
    summary: "Mints a short-lived token that opens this intent's event stream without the API key (for EventSource)",
    document: RestCreateStreamTokenDocument,
    params: z.object({ id: intentIdParam }),
    variables: idFromPath,
    result: ({ createStreamToken: t }) => ({
      status: 201,
      body: { token: t.token, expires_at: t.expiresAt, events_url: `/api/intents/${t.intentId}/events?stream_token=${encodeURIComponent(t.token)}` },
    }),
    responses: {
      201: {
        description: 'The token, and the stream URL to give an EventSource',
        schema: z.object({
          token: z.string().describe("Opens (and reopens) this intent's stream until expires_at, while the key stays valid"),
          expires_at: z.string(),
          events_url: z.string().describe('GET /api/intents/{id}/events?stream_token=…, relative to the server'),
        }),
      },
    },
  }),
];
