import { invalid } from '../../errors/app-error.js';
import {
  RestIntentDocument,
  RestIntentsDocument,
  RestMeDocument,
  RestRoutingStatsDocument,
  RestSubmitIntentDocument,
  RestUsageDocument,
  type ReceiptFragment,
  type IntentFilterStatus,
} from '../../generated/graphql.js';
import { receipt } from '../receipt.js';
import { integerHeader, integerParam, intentId, pageFields, pageParams } from '../params.js';
import { route, type RestRequest, type RestResponse } from '../route.js';

/** How long `POST /api/intents` waits for the receipt before answering 202 with the pending intent. */
const SYNC_WAIT_MS = 120_000;
const LIST_STATUSES = ['completed', 'failed', 'in_progress', 'pending', 'bidding', 'executing', 'verifying', 'cancelled'];

/** OctoMind: the primary REST surface. */
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
  route({
    method: 'POST',
    path: '/api/intents',
    document: RestSubmitIntentDocument,
    // Waits for the receipt (OctoMind answers it whole) unless the caller opts out or streams.
    variables: (req) => ({ input: submitInput(req), waitMs: wantsAsync(req) || wantsStream(req) ? 0 : SYNC_WAIT_MS }),
    // With `Accept: text/event-stream`: the auction as it happens, ending with the receipt.
    stream: {
      open: (data, _req, { events, query }) =>
        events(data.submitIntent.id, 0, async () => {
          const { intent } = await query(RestIntentDocument, { id: data.submitIntent.id });
          return { event: 'receipt', data: receipt(intent) };
        }),
    },
    result: (data) => {
      const intent: ReceiptFragment = data.submitIntent;
      const location = { Location: `/api/intents/${intent.id}` };
      if (intent.status === 'failed' || intent.status === 'cancelled') return { body: null, headers: location, error: failureOf(intent) };
      if (intent.status !== 'completed') return { status: 202, body: receipt(intent), headers: location };
      return { body: receipt(intent) };
    },
  }),
  route({
    method: 'GET',
    path: '/api/intents/:id',
    document: RestIntentDocument,
    variables: (req) => ({ id: intentId(req.params.id) }),
    result: ({ intent }) => ({ body: receipt(intent) }),
  }),
  route({
    method: 'GET',
    path: '/api/intents/:id/events',
    document: RestIntentDocument,
    variables: (req) => ({ id: intentId(req.params.id) }),
    // Resumes after `Last-Event-ID` (what browsers send on reconnect) or `?after=`.
    stream: {
      always: true,
      open: (_data, req, { events }) =>
        events(req.params.id!, integerHeader(req.headers.get('last-event-id')) ?? integerParam(req, 'after', 0, 0, 1_000_000_000)),
    },
    result: () => ({ body: null }),
  }),
  route({
    method: 'GET',
    path: '/api/intents',
    document: RestIntentsDocument,
    variables: (req) => {
      const { first, after } = pageParams(req);
      const status = req.query.get('status');
      if (status !== null && !LIST_STATUSES.includes(status)) {
        throw invalid(`status must be one of ${LIST_STATUSES.join(', ')}`, 'status');
      }
      return { first, after, status: status as IntentFilterStatus | null };
    },
    result: ({ intents }, req) => ({
      body: {
        intents: intents.edges.map((e: { node: ReceiptFragment }) => receipt(e.node)),
        ...pageFields(req, intents.totalCount),
      },
    }),
  }),
  route({
    method: 'GET',
    path: '/api/routing/stats',
    document: RestRoutingStatsDocument,
    public: true,
    result: ({ routingStats: s }) => ({
      body: {
        agents_active: s.agentsActive,
        total_intents_30d: s.totalIntents30d,
        latency: {
          bid_collection_p50_ms: s.bidCollectionP50Ms,
          bid_collection_p95_ms: s.bidCollectionP95Ms,
          execution_p50_ms: s.executionP50Ms,
          execution_p95_ms: s.executionP95Ms,
        },
        quality: {
          avg_winning_confidence: s.avgWinningConfidence,
          shield_promotion_rate: s.shieldPromotionRate,
          failure_rate_30d: s.failureRate30d,
        },
        top_domains: s.topDomains.map((d: { domain: string; intentShare: number }) => ({ domain: d.domain, intent_share: d.intentShare })),
      },
    }),
  }),
  route({
    method: 'GET',
    path: '/api/usage',
    document: RestUsageDocument,
    result: ({ usage: u }) => ({
      body: {
        period_start: u.periodStart,
        period_end: u.periodEnd,
        intents: u.intents,
        quota: u.quota,
        remaining: u.remaining,
        completed: u.completed,
        failed: u.failed,
        input_tokens: u.inputTokens,
        output_tokens: u.outputTokens,
        total_tokens: u.totalTokens,
        cost_usd: u.costUsd,
      },
    }),
  }),
];

function submitInput(req: RestRequest) {
  const body = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('Request body must be a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.text !== 'string') throw invalid('text is required and must be a string', 'text');
  const optionalString = (name: string, value: unknown) => {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw invalid(`${name} must be a string`, name);
    return value;
  };
  const auctionTier = optionalString('auctionTier', b.auctionTier ?? b.auction_tier);
  if (auctionTier !== undefined && auctionTier !== 'standard' && auctionTier !== 'shield') {
    throw invalid('auctionTier must be standard or shield', 'auctionTier');
  }
  const bidWindow = b.bid_window_ms ?? b.bidWindowMs;
  if (bidWindow !== undefined && typeof bidWindow !== 'number') throw invalid('bid_window_ms must be a number', 'bid_window_ms');
  return {
    text: b.text,
    domain: optionalString('domain', b.domain),
    auctionTier: auctionTier as 'standard' | 'shield' | undefined,
    webhookUrl: optionalString('webhook_url', b.webhook_url ?? b.webhookUrl),
    webhook: webhookInput(b.webhook),
    metadata: b.metadata,
    idempotencyKey: req.headers.get('idempotency-key') ?? req.headers.get('x-idempotency-key') ?? optionalString('idempotency_key', b.idempotency_key),
    bidWindowMs: bidWindow as number | undefined,
  };
}

function wantsStream(req: RestRequest): boolean {
  return (req.headers.get('accept') ?? '').includes('text/event-stream');
}

function wantsAsync(req: RestRequest): boolean {
  return req.query.get('wait') === 'false' || /respond-async/i.test(req.headers.get('prefer') ?? '');
}

/** Mindra's `webhook: { url, events, secret }`; events as the seed names them (`execution.completed`). */
export function webhookInput(value: unknown) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('webhook must be an object with url, events and secret', 'webhook');
  const w = value as Record<string, unknown>;
  if (w.events !== undefined && (!Array.isArray(w.events) || !w.events.every((e) => typeof e === 'string'))) {
    throw invalid('webhook.events must be a list of event names', 'webhook.events');
  }
  return {
    url: w.url as string,
    events: (w.events as string[] | undefined)?.map((e) => e.replace('.', '_').toUpperCase()) as never,
    secret: w.secret as string | undefined,
  };
}

/**
 * A waited-for intent that did not deliver answers as the error it is, with OctoMind's
 * codes (an agent execution failure is a 500 `internal_error`, retry-safe), so a caller
 * that checks the status never takes it for a result. The intent is stored all the
 * same: `intent_id` (and `Location`) lead to its receipt, bids and attempts.
 */
function failureOf(intent: ReceiptFragment): NonNullable<RestResponse['error']> {
  const reason = intent.error?.code ?? (intent.status === 'cancelled' ? 'cancelled' : 'execution_failed');
  const message = intent.error?.message ?? `Intent ${intent.id} ${intent.status}`;
  const extra = { intent_id: Number(intent.id), reason };
  if (reason === 'no_bids') return { status: 422, code: 'no_bids', message, extra };
  if (intent.status === 'cancelled') return { status: 409, code: 'conflict', message, extra };
  return { status: 500, code: 'internal_error', message, extra };
}
