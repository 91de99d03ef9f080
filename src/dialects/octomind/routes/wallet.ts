import { z } from 'zod/v4';
import {
  RestTopUpWalletDocument,
  RestWalletDocument,
  RestWalletTransactionsDocument,
  type WalletFieldsFragment,
  type WalletTransactionKind,
} from '../../../generated/graphql.js';
import { defineRoute, graphqlEnum } from '../../kit/index.js';
import { connectionArgs, pageMembers, pageQuery } from '../paging.js';

const WalletSchema = z.object({
  prepaid: z.boolean().describe('false: the tenant is billed afterwards and never refused for balance'),
  currency: z.string(),
  balance_usd: z.number(),
  held_usd: z.number().describe('Held for intents still running'),
  available_usd: z.number(),
});

const TransactionKind = graphqlEnum<WalletTransactionKind>()(['top_up', 'charge', 'adjustment']);

function walletBody(w: WalletFieldsFragment): z.output<typeof WalletSchema> {
  return { prepaid: w.prepaid, currency: w.currency, balance_usd: w.balanceUsd, held_usd: w.heldUsd, available_usd: w.availableUsd };
}

/**
 * The prepaid wallet under OctoMind's base path (`/api/wallet`), in its snake_case;
 * Mindra's `/v1/wallet` reads the same GraphQL documents in camelCase.
 */
export const walletRoutes = [
  defineRoute({
    method: 'GET',
    path: '/wallet',
    summary: "The tenant's wallet: balance, holds, what is available",
    document: RestWalletDocument,
    result: ({ wallet }) => ({ body: walletBody(wallet) }),
    responses: { 200: { description: 'The wallet', schema: WalletSchema } },
  }),
  defineRoute({
    method: 'GET',
    path: '/wallet/transactions',
    summary: "The wallet's ledger, newest first",
    document: RestWalletTransactionsDocument,
    query: z.object(pageQuery),
    variables: ({ query }) => connectionArgs(query),
    result: ({ wallet }, { query }) => ({
      body: {
        transactions: wallet.transactions.edges.map(({ node: t }) => ({
          id: t.id,
          kind: t.kind,
          amount_usd: t.amountUsd,
          balance_after_usd: t.balanceAfterUsd,
          intent_id: t.intentId === null ? null : Number(t.intentId),
          note: t.note,
          created_at: t.createdAt,
        })),
        total: wallet.transactions.totalCount,
        ...query,
      },
    }),
    responses: {
      200: {
        description: 'A page of the ledger',
        schema: z.object({
          transactions: z.array(
            z.object({
              id: z.string(),
              kind: TransactionKind,
              amount_usd: z.number(),
              balance_after_usd: z.number(),
              intent_id: z.number().int().nullable(),
              note: z.string().nullable(),
              created_at: z.string(),
            }),
          ),
          ...pageMembers,
        }),
      },
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/admin/wallet/top-up',
    summary: "Credits a tenant's wallet (operator keys only)",
    document: RestTopUpWalletDocument,
    body: z
      .object(
        {
          tenant: z.string({ error: 'tenant (a tenant name or id) is required' }),
          amount_usd: z.number({ error: 'amount_usd must be a number' }).optional(),
          amountUsd: z.number({ error: 'amount_usd must be a number' }).optional(),
          note: z.string().nullish(),
        },
        { error: 'Request body must be a JSON object' },
      )
      .refine((b) => (b.amount_usd ?? b.amountUsd) !== undefined, { error: 'amount_usd must be a number', path: ['amount_usd'] }),
    variables: ({ body }) => ({ tenant: body.tenant, amountUsd: (body.amount_usd ?? body.amountUsd)!, note: body.note ?? null }),
    result: ({ topUpWallet }) => ({ body: walletBody(topUpWallet) }),
    responses: { 200: { description: 'The wallet after the top-up', schema: WalletSchema } },
  }),
];
