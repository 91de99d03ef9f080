import { offsetToCursor } from '@pothos/plugin-relay';
import { invalid } from '../../errors/app-error.js';
import {
  RestAwaitIntentDocument,
  RestIntentDocument,
  RestIntentsDocument,
  RestMeDocument,
  RestRoutingStatsDocument,
  RestSubmitIntentDocument,
  RestUsageDocument,
  type ReceiptFragment,
  type IntentFilterStatus,
} from '../../generated/graphql.js';
import { route, type RestRequest } from '../route.js';

/** How long `POST /api/intents` waits for the receipt before answering 202 with the pending intent. */
const SYNC_WAIT_MS = 120_000;
const LIST_STATUSES = ['completed', 'failed', 'in_progress', 'pending', 'bidding', 'executing', 'verifying', 'cancelled'];

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
  route({
    method: 'POST',
    path: '/api/intents',
    document: RestSubmitIntentDocument,
    variables: (req) => ({ input: submitInput(req) }),
    // Waits for the receipt (seed 000 answers it whole) unless the caller opts out.
    then: {
      document: RestAwaitIntentDocument,
      variables: (data, req) => (wantsAsync(req) ? null : { id: data.submitIntent.id, waitMs: SYNC_WAIT_MS }),
    },
    // With `Accept: text/event-stream`: the auction as it happens, ending with the receipt.
    stream: {
      open: (data, _req, { events, query }) =>
        events(data.submitIntent.id, 0, async () => {
          const { intent } = await query(RestIntentDocument, { id: data.submitIntent.id });
          return { event: 'receipt', data: receipt(intent) };
        }),
    },
    result: (data) => {
      const intent: ReceiptFragment = data.intent ?? data.submitIntent;
      const done = ['completed', 'failed', 'cancelled'].includes(intent.status);
      const headers: Record<string, string> = done ? {} : { Location: `/api/intents/${intent.id}` };
      return { status: done ? 200 : 202, body: receipt(intent), headers };
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
      open: (_data, req, { events }) => events(req.params.id!, integerHeader(req.headers.get('last-event-id')) ?? integerParam(req, 'after', 0, 0, 1_000_000_000)),
    },
    result: () => ({ body: null }),
  }),
  route({
    method: 'GET',
    path: '/api/intents',
    document: RestIntentsDocument,
    variables: (req) => {
      const limit = integerParam(req, 'limit', 20, 1, 100);
      const offset = integerParam(req, 'offset', 0, 0, 1_000_000);
      const status = req.query.get('status');
      if (status !== null && !LIST_STATUSES.includes(status)) {
        throw invalid(`status must be one of ${LIST_STATUSES.join(', ')}`, 'status');
      }
      return { first: limit, after: offset > 0 ? offsetToCursor(offset - 1) : null, status: status as IntentFilterStatus | null };
    },
    result: ({ intents }, req) => ({
      body: {
        intents: intents.edges.map((e: { node: ReceiptFragment }) => receipt(e.node)),
        total: intents.totalCount,
        limit: integerParam(req, 'limit', 20, 1, 100),
        offset: integerParam(req, 'offset', 0, 0, 1_000_000),
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

/** The seed 000 receipt, field for field; Gavel's extras (sandbox, attempts, error) live under `meta`. */
export function receipt(i: ReceiptFragment) {
  const meta = (i.meta ?? {}) as Record<string, unknown>;
  return {
    id: Number(i.id),
    status: i.status,
    text: i.text,
    created_at: i.createdAt,
    completed_at: i.completedAt,
    duration_ms: i.durationMs,
    winning_agent: i.winningAgent
      ? {
          name: i.winningAgent.name,
          emoji: i.winningAgent.emoji,
          confidence: i.winningAgent.confidence,
          domain: i.winningAgent.domain,
          reasoning: i.winningAgent.reasoning,
        }
      : null,
    result: i.result,
    cost: {
      input_tokens: i.cost.inputTokens,
      output_tokens: i.cost.outputTokens,
      total_tokens: i.cost.totalTokens,
      cost_usd: i.cost.costUsd,
    },
    meta: {
      auction_tier: meta.auction_tier,
      api_key_id: meta.api_key_id,
      user_id: meta.user_id,
      sandbox: i.sandbox,
      ...(i.sandbox ? { note: 'Sandbox (test key): simulated execution, no charges' } : {}),
      ...(i.error ? { error: i.error } : {}),
      attempts: i.attempts.map((a) => ({ agent: a.agent, outcome: a.outcome, error: a.error, started_at: a.startedAt, finished_at: a.finishedAt })),
    },
    metadata: i.metadata ?? {},
  };
}

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
    metadata: b.metadata,
    idempotencyKey:
      req.headers.get('idempotency-key') ?? req.headers.get('x-idempotency-key') ?? optionalString('idempotency_key', b.idempotency_key),
    bidWindowMs: bidWindow as number | undefined,
  };
}

function integerHeader(value: string | null): number | null {
  return value !== null && /^\d{1,10}$/.test(value.trim()) ? Number(value.trim()) : null;
}

function wantsAsync(req: RestRequest): boolean {
  return req.query.get('wait') === 'false' || /respond-async/i.test(req.headers.get('prefer') ?? '');
}

function intentId(raw: string | undefined): string {
  if (!raw || !/^\d{1,15}$/.test(raw)) throw invalid('Intent id must be a positive integer', 'id');
  return raw;
}

function integerParam(req: RestRequest, name: string, fallback: number, min: number, max: number): number {
  const raw = req.query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw invalid(`${name} must be an integer from ${min} to ${max}`, name);
  const n = Number(raw);
  if (n < min || n > max) throw invalid(`${name} must be an integer from ${min} to ${max}`, name);
  return n;
}
