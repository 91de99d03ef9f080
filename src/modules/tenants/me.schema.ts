import { builder } from '../../graphql/builder.js';
import type { AuthInfo } from '../keys/index.js';
import { ScopeEnum, TierEnum } from '../keys/keys.schema.js';

const Me = builder.objectRef<AuthInfo>('Me').implement({
  description: 'The caller, as its API key identifies it',
  fields: (t) => ({
    tenant: t.exposeString('tenantName'),
    tenantId: t.exposeID('tenantId'),
    tier: t.field({ type: TierEnum, resolve: (a) => a.tier }),
    userId: t.exposeInt('userId'),
    keyId: t.exposeID('keyId'),
    keyPrefix: t.exposeString('keyPrefix'),
    scopes: t.field({ type: [ScopeEnum], resolve: (a) => [...a.scopes] }),
    sandbox: t.exposeBoolean('sandbox', { description: 'Sandbox keys simulate LLM and HTTP agents (tools run offline as always) and are never charged' }),
    operator: t.exposeBoolean('isOperator'),
  }),
});

builder.queryField('me', (t) => t.field({ type: Me, authScopes: { authenticated: true }, resolve: (_root, _args, ctx) => ctx.auth! }));

builder.subscriptionField('me', (t) =>
  t.field({
    type: Me,
    description: 'The caller at once, then nothing until its key is revoked or expires: the stream then ends with UNAUTHORIZED (within about 2 seconds)',
    authScopes: { authenticated: true },
    subscribe: (_root, _args, ctx) => ctx.modules.feeds.keyWatch(ctx.auth!),
    resolve: (auth) => auth,
  }),
);
