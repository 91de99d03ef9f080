import { z } from 'zod/v4';
import {
  MindraApiKeysDocument,
  MindraAuthTestDocument,
  MindraCreateApiKeyDocument,
  MindraRevokeApiKeyDocument,
  MindraUpdateApiKeyDocument,
  RestWalletDocument,
  RestWalletTransactionsDocument,
  type MindraApiKeyFragment,
  type Scope,
  type WalletTransactionKind,
} from '../../../generated/graphql.js';
import { defineRoute, graphqlEnum, idFromPath } from '../../kit/index.js';
import { listOf, pageArgs, pageOfList, pageQuery, paginated } from '../paging.js';

const ScopeName = graphqlEnum<Scope>()(['intent_submit', 'intent_read', 'full_access', 'analytics_read', 'agents_write'], {
  error: 'scopes: intent_submit, intent_read, full_access, analytics_read or agents_write (agents:write style is accepted too)',
});
/** Mindra writes scopes as `agents:write`; Gavel as `agents_write`. Both are taken. */
const Scopes = z.array(
  z
    .string()
    .transform((s) => s.replace(':', '_'))
    .pipe(ScopeName),
  { error: 'scopes must be an array of scope names' },
);

const ApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe('The first characters of the key, to tell keys apart'),
  scopes: z.array(ScopeName),
  sandbox: z.boolean().describe('A test key (mk_test_…): simulated agents, no charges'),
  enabled: z.boolean(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable().describe('To the minute'),
  revokedAt: z.string().nullable(),
});

const apiKeyBody = (k: MindraApiKeyFragment): z.output<typeof ApiKeySchema> => ({ ...k });

const IdParams = z.object({ id: z.string() });
const objectError = { error: 'Request body must be a JSON object' };
const expiresAt = z.iso.datetime({ offset: true, error: 'expiresAt must be an ISO-8601 date-time' });

const WalletSchema = z.object({
  balance: z.number().describe('USD'),
  currency: z.string(),
  held: z.number().describe('Held for executions still running'),
  available: z.number().describe('What new executions may spend'),
  prepaid: z.boolean().describe('false: the tenant is billed afterwards and never refused for balance'),
});

const TransactionSchema = z.object({
  id: z.string(),
  type: graphqlEnum<WalletTransactionKind>()(['top_up', 'charge', 'adjustment']),
  amount: z.number().describe('USD; a charge is negative'),
  balanceAfter: z.number(),
  executionId: z.string().nullable(),
  description: z.string().nullable(),
  createdAt: z.string(),
});

/** Mindra's account routes: the wallet, API keys and `GET /v1/auth/test`. */
export const accountRoutes = [
  defineRoute({
    method: 'GET',
    path: '/wallet',
    summary: "The tenant's wallet: balance and currency, what is held and available",
    document: RestWalletDocument,
    result: ({ wallet: w }) => ({ body: { balance: w.balanceUsd, currency: w.currency, held: w.heldUsd, available: w.availableUsd, prepaid: w.prepaid } }),
    responses: { 200: { description: 'The wallet', schema: WalletSchema } },
  }),
  defineRoute({
    method: 'GET',
    path: '/wallet/transactions',
    summary: "The wallet's ledger, newest first",
    document: RestWalletTransactionsDocument,
    query: z.object(pageQuery),
    variables: ({ query }) => pageArgs(query),
    result: ({ wallet }, { query }) => ({
      body: paginated(
        wallet.transactions.edges.map(({ node: t }) => ({
          id: t.id,
          type: t.kind,
          amount: t.amountUsd,
          balanceAfter: t.balanceAfterUsd,
          executionId: t.intentId,
          description: t.note,
          createdAt: t.createdAt,
        })),
        wallet.transactions.totalCount,
        query,
      ),
    }),
    responses: { 200: { description: 'A page of the ledger', schema: listOf(TransactionSchema) } },
  }),
  defineRoute({
    method: 'GET',
    path: '/auth/test',
    summary: 'Who the key is: its tenant, tier and scopes',
    document: MindraAuthTestDocument,
    result: ({ me }) => ({
      body: { authenticated: true, keyId: me.keyId, prefix: me.keyPrefix, tenant: me.tenant, tier: me.tier, scopes: me.scopes, sandbox: me.sandbox },
    }),
    responses: {
      200: {
        description: 'The key works',
        schema: z.object({
          authenticated: z.literal(true),
          keyId: z.string(),
          prefix: z.string(),
          tenant: z.string(),
          tier: z.string(),
          scopes: z.array(ScopeName),
          sandbox: z.boolean(),
        }),
      },
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api-keys',
    summary: "The tenant's API keys, newest first (full-access keys)",
    document: MindraApiKeysDocument,
    query: z.object(pageQuery),
    // A tenant holds a handful of keys: the page is cut from the whole list.
    result: ({ apiKeys }, { query }) => ({ body: pageOfList(apiKeys, query, apiKeyBody) }),
    responses: { 200: { description: 'A page of keys', schema: listOf(ApiKeySchema) } },
  }),
  defineRoute({
    method: 'POST',
    path: '/api-keys',
    summary: 'Creates an API key; the key itself is in this answer only (full-access keys)',
    document: MindraCreateApiKeyDocument,
    body: z.object(
      {
        name: z.string({ error: 'name must be a string' }).optional(),
        scopes: Scopes,
        sandbox: z.boolean({ error: 'sandbox must be a boolean' }).optional(),
        expiresAt: expiresAt.optional(),
      },
      objectError,
    ),
    variables: ({ body }) => ({ input: { name: body.name, scopes: body.scopes, sandbox: body.sandbox ?? false, expiresAt: body.expiresAt } }),
    result: ({ createApiKey }) => ({ status: 201, body: { ...apiKeyBody(createApiKey.apiKey), key: createApiKey.key } }),
    responses: { 201: { description: 'Created; store the key now', schema: ApiKeySchema.extend({ key: z.string() }) } },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/api-keys/:id',
    summary: "Renames a key, changes its scopes (within the caller's own) or expiry, or switches it off or on",
    document: MindraUpdateApiKeyDocument,
    params: IdParams,
    body: z.object(
      {
        name: z.string({ error: 'name must be a string' }).optional(),
        scopes: Scopes.optional(),
        expiresAt: expiresAt.nullable().optional(),
        enabled: z.boolean({ error: 'enabled must be a boolean' }).optional(),
      },
      objectError,
    ),
    variables: ({ params, body }) => ({ id: params.id, input: body }),
    result: ({ updateApiKey }) => ({ body: apiKeyBody(updateApiKey) }),
    responses: { 200: { description: 'The key as it is now', schema: ApiKeySchema } },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/api-keys/:id',
    summary: 'Revokes a key for good (full-access keys)',
    document: MindraRevokeApiKeyDocument,
    params: IdParams,
    variables: idFromPath,
    result: ({ revokeApiKey }) => ({ body: apiKeyBody(revokeApiKey) }),
    responses: { 200: { description: 'The revoked key', schema: ApiKeySchema } },
  }),
];
