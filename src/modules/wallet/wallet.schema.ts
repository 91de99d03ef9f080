import { builder } from '../../graphql/builder.js';
import { countedConnection, totalCountField } from '../../graphql/pagination.js';
import type { GavelContext } from '../../graphql/context.js';
import { notFound } from '../../errors/app-error.js';
import { TRANSACTION_KINDS, type WalletTransaction } from './wallet-transaction.entity.js';
import { toUsd, type WalletView } from './wallet.service.js';

const TransactionKindEnum = builder.enumType('WalletTransactionKind', { values: TRANSACTION_KINDS });

const TransactionRef = builder.objectRef<WalletTransaction>('WalletTransaction').implement({
  description: 'One line of the ledger: a top-up (positive) or an intent charge (negative)',
  fields: (t) => ({
    id: t.id({ resolve: (w) => String(w.id) }),
    kind: t.field({ type: TransactionKindEnum, resolve: (w) => w.kind }),
    amountUsd: t.float({ resolve: (w) => toUsd(w.amountMicros) }),
    balanceAfterUsd: t.float({ resolve: (w) => toUsd(w.balanceAfterMicros) }),
    intentId: t.id({ nullable: true, resolve: (w) => (w.intent ? String(w.intent.id) : null) }),
    note: t.exposeString('note', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const WalletRef = builder.objectRef<WalletView & { tenantId: string }>('Wallet').implement({
  description: 'A prepaid balance: each completed intent is charged its cost; intents it cannot cover are refused with 402',
  fields: (t) => ({
    prepaid: t.exposeBoolean('prepaid', { description: 'Whether intents are paid from this wallet' }),
    currency: t.string({ resolve: () => 'USD' }),
    balanceUsd: t.float({ resolve: (w) => toUsd(w.balanceMicros) }),
    heldUsd: t.float({ description: 'Held for intents in flight until their cost is known', resolve: (w) => toUsd(w.heldMicros) }),
    availableUsd: t.float({ resolve: (w) => toUsd(w.balanceMicros - w.heldMicros) }),
    transactions: t.connection(
      {
        type: TransactionRef,
        description: 'Newest first',
        resolve: (w, args, ctx) => countedConnection(args, (page) => ctx.modules.wallet.transactions(w.tenantId, page.limit, page.offset)),
      },
      totalCountField('WalletTransactionConnection'),
    ),
  }),
});

builder.queryField('wallet', (t) =>
  t.field({
    type: WalletRef,
    authScopes: { authenticated: true },
    description: "The caller's tenant's wallet",
    resolve: async (_root, _args, ctx) => ({ tenantId: ctx.auth!.tenantId, ...(await ctx.modules.wallet.view(ctx.auth!.tenantId)) }),
  }),
);

/** The operator names tenants as the key CLI does: by name (or id). */
async function tenantIdFor(ctx: GavelContext, tenant: string): Promise<string> {
  const found = await ctx.modules.wallet.tenantIdOf(tenant);
  if (!found) throw notFound('Tenant');
  return found;
}

builder.mutationField('topUpWallet', (t) =>
  t.field({
    type: WalletRef,
    authScopes: { operator: true },
    description: "Adds funds to a tenant's wallet and makes the tenant prepaid (operator only)",
    args: {
      tenant: t.arg.string({ required: true, description: 'Tenant name or id' }),
      amountUsd: t.arg.float({ required: true }),
      note: t.arg.string(),
    },
    resolve: async (_root, args, ctx) => {
      const tenantId = await tenantIdFor(ctx, args.tenant);
      const view = await ctx.modules.wallet.topUp(tenantId, args.amountUsd, args.note ?? null);
      ctx.modules.keys.forgetTenant(tenantId);
      return { tenantId, ...view };
    },
  }),
);

builder.mutationField('setTenantPrepaid', (t) =>
  t.field({
    type: WalletRef,
    authScopes: { operator: true },
    description: 'Switches a tenant between prepaid (wallet) and postpaid billing (operator only)',
    args: { tenant: t.arg.string({ required: true }), prepaid: t.arg.boolean({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const tenantId = await tenantIdFor(ctx, args.tenant);
      const view = await ctx.modules.wallet.setPrepaid(tenantId, args.prepaid);
      ctx.modules.keys.forgetTenant(tenantId);
      return { tenantId, ...view };
    },
  }),
);
