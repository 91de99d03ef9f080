import { RestMeDocument } from '../../generated/graphql.js';
import { route } from '../route.js';

/** Seed 000 (OctoMind): the primary REST surface. */
export const octomindRoutes = [
  route({
    method: 'GET',
    path: '/api/me',
    document: RestMeDocument,
    result: ({ me }) => ({
      body: {
        tenant: me.tenant,
        tenant_id: me.tenantId,
        tier: me.tier,
        user_id: me.userId,
        api_key_id: me.keyId,
        api_key_prefix: me.keyPrefix,
        scopes: me.scopes,
        sandbox: me.sandbox,
      },
    }),
  }),
];
