import { builder } from '../../graphql/builder.js';
import type { MintedStreamToken } from './stream-token.js';

const StreamTokenRef = builder.objectRef<MintedStreamToken>('StreamToken').implement({
  description: "A short-lived credential for one intent's REST event stream, for clients that cannot send Authorization (a browser's EventSource)",
  fields: (t) => ({
    token: t.exposeString('token', { description: 'Pass as ?stream_token= on GET /api/intents/:id/events; never the API key itself' }),
    intentId: t.exposeID('intentId'),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: 'The stream can be opened (and reopened) until then; an open stream is not cut' }),
  }),
});

builder.mutationField('createStreamToken', (t) =>
  t.field({
    type: StreamTokenRef,
    description: "Mints a stream token for one of your intents' event streams. It acts for the calling key, read-only; revoking the key ends it",
    authScopes: { scope: 'intent_read' },
    args: { intentId: t.arg.id({ required: true }) },
    resolve: async (_root, { intentId }, ctx) => {
      const intent = await ctx.modules.intents.get(ctx.auth!, String(intentId)); // another tenant's id: NOT_FOUND
      return ctx.modules.streamTokens.mint(ctx.auth!, String(intent.id));
    },
  }),
);
