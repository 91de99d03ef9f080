import { invalid } from '../../errors/app-error.js';
import {
  AuctionTier,
  RestBatchDocument,
  RestCostSummaryDocument,
  RestFileUsageDocument,
  RestSaveFileDocument,
  FileKind,
  type CostFigureFieldsFragment,
  type CostGroupBy,
  RestRedeliverWebhookDocument,
  RestSubmitBatchDocument,
  RestTopUpWalletDocument,
  RestWalletDocument,
  RestWalletTransactionsDocument,
  RestWebhookDeliveriesDocument,
  type DeliveryFragment,
  type ReceiptFragment,
  type WalletFieldsFragment,
} from '../../generated/graphql.js';
import { GROUP_BYS } from '../../modules/analytics/analytics.service.js';
import { intentId, pageFields, pageParams } from '../params.js';
import { receipt } from '../receipt.js';
import { route, type RestRequest } from '../route.js';
import { webhookInput } from './octomind.js';

/** OctoMind's Enterprise features (batch, webhook deliveries) and Mindra's wallet. */
export const platformRoutes = [
  route({
    method: 'POST',
    path: '/api/intents/batch',
    document: RestSubmitBatchDocument,
    variables: (req) => {
      const b = objectBody(req);
      if (!Array.isArray(b.intents)) throw invalid('intents must be a list of 1 to 100 intents', 'intents');
      return {
        intents: b.intents.map((item: unknown, i: number) => {
          if (typeof item !== 'object' || item === null || Array.isArray(item)) throw invalid(`intents[${i}] must be an object`, `intents.${i}`);
          const it = item as Record<string, unknown>;
          const tier = it.auctionTier ?? it.auction_tier;
          if (tier !== undefined && tier !== 'standard' && tier !== 'shield')
            throw invalid(`intents[${i}].auctionTier must be standard or shield`, `intents.${i}`);
          if (typeof it.text !== 'string') throw invalid(`intents[${i}].text is required and must be a string`, `intents.${i}`);
          return { text: it.text, domain: it.domain as string | undefined, auctionTier: tier as AuctionTier | undefined, metadata: it.metadata };
        }),
        webhookUrl: (b.webhook_url ?? b.webhookUrl) as string | undefined,
        webhook: webhookInput(b.webhook),
      };
    },
    result: ({ submitBatch: s }) => ({ status: 202, body: { batch_id: s.batchId, submitted: s.submitted, estimated_duration_s: s.estimatedDurationS } }),
  }),
  route({
    method: 'GET',
    path: '/api/intents/batch/:id',
    document: RestBatchDocument,
    // Every intent of the batch (at most 100 by construction).
    variables: (req) => ({ id: req.params.id!, first: 100 }),
    result: ({ batch: b }) => ({
      body: {
        batch_id: b.id,
        status: b.status,
        submitted: b.submitted,
        created_at: b.createdAt,
        webhook_url: b.webhookUrl,
        counts: {
          pending: b.counts.pending,
          in_progress: b.counts.inProgress,
          completed: b.counts.completed,
          failed: b.counts.failed,
          cancelled: b.counts.cancelled,
        },
        intents: b.intents.edges.map((e: { node: ReceiptFragment }) => receipt(e.node)),
      },
    }),
  }),
  route({
    method: 'GET',
    path: '/api/intents/:id/webhooks',
    document: RestWebhookDeliveriesDocument,
    variables: (req) => ({ id: intentId(req.params.id) }),
    result: ({ intent }) => ({ body: { intent_id: Number(intent.id), deliveries: intent.webhookDeliveries.map(delivery) } }),
  }),
  route({
    method: 'POST',
    path: '/api/webhooks/deliveries/:id/redeliver',
    document: RestRedeliverWebhookDocument,
    variables: (req) => ({ id: req.params.id! }),
    result: ({ redeliverWebhook }) => ({ status: 202, body: delivery(redeliverWebhook) }),
  }),
  route({
    method: 'GET',
    path: '/api/wallet',
    document: RestWalletDocument,
    result: ({ wallet }) => ({ body: walletBody(wallet) }),
  }),
  route({
    method: 'GET',
    path: '/api/wallet/transactions',
    document: RestWalletTransactionsDocument,
    variables: (req) => {
      const { first, after } = pageParams(req);
      return { first, after };
    },
    result: ({ wallet }, req) => ({
      body: {
        transactions: wallet.transactions.edges.map(({ node: t }: { node: Record<string, unknown> }) => ({
          id: t.id,
          kind: t.kind,
          amount_usd: t.amountUsd,
          balance_after_usd: t.balanceAfterUsd,
          intent_id: t.intentId === null ? null : Number(t.intentId),
          note: t.note,
          created_at: t.createdAt,
        })),
        ...pageFields(req, wallet.transactions.totalCount),
      },
    }),
  }),
  route({
    method: 'POST',
    path: '/api/admin/wallet/top-up',
    document: RestTopUpWalletDocument,
    variables: (req) => {
      const b = objectBody(req);
      const amount = b.amount_usd ?? b.amountUsd;
      if (typeof b.tenant !== 'string') throw invalid('tenant (a tenant name or id) is required', 'tenant');
      if (typeof amount !== 'number') throw invalid('amount_usd must be a number', 'amount_usd');
      return { tenant: b.tenant, amountUsd: amount, note: typeof b.note === 'string' ? b.note : null };
    },
    result: ({ topUpWallet }) => ({ body: walletBody(topUpWallet) }),
  }),
  route({
    method: 'GET',
    path: '/api/admin/analytics/cost-summary',
    document: RestCostSummaryDocument,
    variables: (req) => {
      const need = (name: string) => {
        const value = req.query.get(name);
        if (!value) throw invalid(`${name} is required`, name);
        return value;
      };
      // The service names the valid groupings; GraphQL's enum would only say "invalid value".
      const groupBy = req.query.get('group_by') ?? 'user_id';
      if (!(GROUP_BYS as readonly string[]).includes(groupBy)) throw invalid(`group_by must be one of ${GROUP_BYS.join(', ')}`, 'group_by');
      return { start: need('start'), end: need('end'), groupBy: groupBy as CostGroupBy };
    },
    result: ({ costSummary: s }) => ({
      body: {
        start: s.start,
        end: s.end,
        group_by: s.groupBy,
        currency: 'USD',
        groups: s.groups.map((g: CostFigureFieldsFragment & { key: string; name: string }) => ({ [s.groupBy]: g.key, name: g.name, ...costFigures(g) })),
        totals: costFigures(s.totals),
      },
    }),
  }),
  route({
    method: 'POST',
    path: '/api/files',
    document: RestSaveFileDocument,
    variables: (req) => {
      const b = objectBody(req);
      const intent = b.intent_id ?? b.intentId;
      if (typeof intent !== 'number' && typeof intent !== 'string') throw invalid('intent_id is required', 'intent_id');
      if (typeof b.content !== 'string') throw invalid('content (base64) is required', 'content');
      if (typeof b.filename !== 'string') throw invalid('filename is required', 'filename');
      const kind = b.kind ?? 'output';
      if (kind !== 'output' && kind !== 'input') throw invalid('kind must be output or input', 'kind');
      const mime = b.mime_type ?? b.mimeType;
      if (mime !== undefined && mime !== null && typeof mime !== 'string') throw invalid('mime_type must be a string', 'mime_type');
      return { input: { intentId: String(intent), filename: b.filename, content: b.content, mimeType: mime ?? null, kind: kind as FileKind } };
    },
    result: ({ saveFile: f }) => ({
      status: 201,
      body: { file_id: f.fileId, url: f.url, expires_at: f.expiresAt, bytes: f.bytes, filename: f.filename, mime_type: f.mimeType },
    }),
  }),
  route({
    method: 'GET',
    path: '/api/files/usage',
    document: RestFileUsageDocument,
    result: ({ fileUsage: u }) => ({
      body: {
        total_bytes: u.totalBytes,
        total_files: u.totalFiles,
        breakdown: { output: u.output, input: u.input },
        quota_bytes: u.quotaBytes,
        quota_used_pct: u.quotaUsedPct,
      },
    }),
  }),
];

function costFigures(f: CostFigureFieldsFragment) {
  return {
    intents: f.intents,
    completed: f.completed,
    input_tokens: f.inputTokens,
    output_tokens: f.outputTokens,
    total_tokens: f.totalTokens,
    cost_usd: f.costUsd,
  };
}

function objectBody(req: RestRequest): Record<string, unknown> {
  const body = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('Request body must be a JSON object');
  return body as Record<string, unknown>;
}

function delivery(d: DeliveryFragment) {
  return {
    id: d.id,
    event: d.event,
    url: d.url,
    status: d.status,
    created_at: d.createdAt,
    delivered_at: d.deliveredAt,
    attempts: d.attempts.map((a) => ({ attempt: a.attempt, at: a.at, status_code: a.statusCode, error: a.error, duration_ms: a.durationMs })),
  };
}

function walletBody(w: WalletFieldsFragment) {
  return { prepaid: w.prepaid, currency: w.currency, balance_usd: w.balanceUsd, held_usd: w.heldUsd, available_usd: w.availableUsd };
}
