import { forbidden, invalid } from '../../errors/app-error.js';
import type { AuthInfo } from '../keys/index.js';
import { SUBSCRIBABLE_EVENTS } from '../webhooks/webhook-delivery.entity.js';
import { validateWebhookUrl } from '../webhooks/index.js';
import { AUCTION_TIERS, type AuctionTier, type IntentWebhook, type SelectionCriteria } from './intent.entity.js';

export const MAX_TEXT_CHARS = 8_000;
const MAX_METADATA_BYTES = 16_384;

export interface SubmitIntentInput {
  text: string;
  domain?: string | null;
  auctionTier?: string | null;
  webhookUrl?: string | null;
  /** Mindra-style: which events to POST where, optionally signed with the receiver's own secret. */
  webhook?: { url: string; events?: readonly string[] | null; secret?: string | null } | null;
  metadata?: unknown;
  idempotencyKey?: string | null;
  /** Per-request bid window override, milliseconds. */
  bidWindowMs?: number | null;
  selection?: { domains?: readonly string[] | null; skills?: readonly string[] | null; maxAgents?: number | null; minConfidence?: number | null } | null;
}

export interface ValidIntentInput {
  text: string;
  domain: string | null;
  auctionTier: AuctionTier;
  webhookUrl: string | null;
  webhook: IntentWebhook | null;
  metadata: Record<string, unknown> | null;
  idempotencyKey: string | null;
  bidWindowMs: number | null;
  selection: SelectionCriteria | null;
}

export interface InputRules {
  /** Development and tests: webhooks may target private and loopback addresses over plain HTTP. */
  allowPrivateWebhooks: boolean;
}

/** Admission checks that need no database: shape, sizes, tier rights. Throws AppErrors. */
export function validateIntentInput(auth: AuthInfo, input: SubmitIntentInput, rules: InputRules): ValidIntentInput {
  const text = typeof input.text === 'string' ? input.text.trim() : '';
  if (text.length === 0) throw invalid('text must not be empty', 'text');
  if ([...text].length > MAX_TEXT_CHARS) throw invalid(`text must be at most ${MAX_TEXT_CHARS} characters`, 'text');

  const domain = input.domain?.trim().toLowerCase() || null;
  if (domain !== null && !/^[a-z][a-z0-9_-]{0,39}$/.test(domain)) {
    throw invalid('domain must be a short lowercase word such as engineering, legal or devops', 'domain');
  }

  const tier = input.auctionTier ?? 'standard';
  if (!(AUCTION_TIERS as readonly string[]).includes(tier)) {
    throw invalid(`auctionTier must be one of ${AUCTION_TIERS.join(', ')}`, 'auctionTier');
  }
  if (tier === 'shield' && auth.tier === 'free') throw forbidden('The shield auction tier needs a Pro or Enterprise plan');

  const { webhookUrl, webhook } = validateWebhooks(auth, input, rules);

  let metadata: Record<string, unknown> | null = null;
  if (input.metadata !== undefined && input.metadata !== null) {
    if (typeof input.metadata !== 'object' || Array.isArray(input.metadata)) {
      throw invalid('metadata must be a JSON object', 'metadata');
    }
    if (Buffer.byteLength(JSON.stringify(input.metadata)) > MAX_METADATA_BYTES) {
      throw invalid(`metadata must be at most ${MAX_METADATA_BYTES} bytes of JSON`, 'metadata');
    }
    metadata = input.metadata as Record<string, unknown>;
  }

  const idempotencyKey = input.idempotencyKey?.trim() || null;
  if (idempotencyKey !== null && idempotencyKey.length > 255) throw invalid('idempotency key must be at most 255 characters', 'idempotencyKey');

  const bidWindowMs = input.bidWindowMs ?? null;
  if (bidWindowMs !== null && (!Number.isInteger(bidWindowMs) || bidWindowMs < 10 || bidWindowMs > 30_000)) {
    throw invalid('bidWindowMs must be an integer from 10 to 30000', 'bidWindowMs');
  }
  return {
    text,
    domain,
    auctionTier: tier as AuctionTier,
    webhookUrl,
    webhook,
    metadata,
    idempotencyKey,
    bidWindowMs,
    selection: validateSelection(input.selection),
  };
}

const DOMAIN = /^[a-z][a-z0-9_-]{0,39}$/;

/** The selection criteria, normalised (lower case, no duplicates); null when they select nothing. */
export function validateSelection(input: SubmitIntentInput['selection']): SelectionCriteria | null {
  if (!input) return null;
  const selection: SelectionCriteria = {};
  const list = (raw: readonly string[] | null | undefined, field: string, valid: (s: string) => boolean, rule: string) => {
    if (raw == null) return undefined;
    if (!Array.isArray(raw) || raw.length === 0 || raw.length > 20) throw invalid(`${field} must list 1 to 20 names`, field);
    const names = [...new Set(raw.map((s) => (typeof s === 'string' ? s.trim().toLowerCase() : '')))];
    const bad = names.find((s) => !valid(s));
    if (bad !== undefined) throw invalid(`${field}: ${JSON.stringify(bad)} is not ${rule}`, field);
    return names;
  };
  const domains = list(input.domains, 'selection.domains', (s) => DOMAIN.test(s), 'a domain (a short lowercase word such as engineering)');
  const skills = list(input.skills, 'selection.skills', (s) => s.length > 0 && s.length <= 80, 'a skill name (1 to 80 characters)');
  if (domains) selection.domains = domains;
  if (skills) selection.skills = skills;
  if (input.maxAgents != null) {
    if (!Number.isInteger(input.maxAgents) || input.maxAgents < 1 || input.maxAgents > 10)
      throw invalid('maxAgents must be an integer from 1 to 10', 'selection.maxAgents');
    selection.maxAgents = input.maxAgents;
  }
  if (input.minConfidence != null) {
    if (!Number.isFinite(input.minConfidence) || input.minConfidence < 0 || input.minConfidence > 1) {
      throw invalid('minConfidence must be a number from 0 to 1', 'selection.minConfidence');
    }
    selection.minConfidence = input.minConfidence;
  }
  return Object.keys(selection).length ? selection : null;
}

/** Webhooks are an Enterprise feature (OctoMind); targets must be public HTTPS URLs. */
export function validateWebhooks(
  auth: AuthInfo,
  input: Pick<SubmitIntentInput, 'webhookUrl' | 'webhook'>,
  rules: InputRules,
): { webhookUrl: string | null; webhook: IntentWebhook | null } {
  const rawUrl = input.webhookUrl?.trim() || null;
  const sub = input.webhook ?? null;
  if ((rawUrl || sub) && auth.tier !== 'enterprise') throw forbidden('Webhook delivery needs an Enterprise plan');
  const webhookUrl = rawUrl === null ? null : validateWebhookUrl(rawUrl, rules.allowPrivateWebhooks, 'webhookUrl');
  if (sub === null) return { webhookUrl, webhook: null };
  if (typeof sub !== 'object' || typeof sub.url !== 'string') throw invalid('webhook must be an object with a url', 'webhook');
  const events = sub.events ?? ['execution.completed', 'execution.failed'];
  if (!Array.isArray(events) || events.length === 0 || !events.every((e) => (SUBSCRIBABLE_EVENTS as readonly string[]).includes(e))) {
    throw invalid(`webhook.events must list some of ${SUBSCRIBABLE_EVENTS.join(', ')}`, 'webhook.events');
  }
  const secret = sub.secret ?? null;
  if (secret !== null && (typeof secret !== 'string' || secret.length < 16 || secret.length > 200)) {
    throw invalid('webhook.secret must be 16 to 200 characters', 'webhook.secret');
  }
  return {
    webhookUrl,
    webhook: { url: validateWebhookUrl(sub.url, rules.allowPrivateWebhooks, 'webhook.url'), events: [...new Set(events)], ...(secret ? { secret } : {}) },
  };
}
