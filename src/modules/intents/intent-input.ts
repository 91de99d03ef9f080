import { forbidden, invalid } from '../../errors/app-error.js';
import type { AuthInfo } from '../keys/auth-info.js';
import { AUCTION_TIERS, type AuctionTier } from './intent.entity.js';

export const MAX_TEXT_CHARS = 8_000;
const MAX_METADATA_BYTES = 16_384;

export interface SubmitIntentInput {
  text: string;
  domain?: string | null;
  auctionTier?: string | null;
  webhookUrl?: string | null;
  metadata?: unknown;
  idempotencyKey?: string | null;
  /** Per-request bid window override, milliseconds. */
  bidWindowMs?: number | null;
}

export interface ValidIntentInput {
  text: string;
  domain: string | null;
  auctionTier: AuctionTier;
  webhookUrl: string | null;
  metadata: Record<string, unknown> | null;
  idempotencyKey: string | null;
  bidWindowMs: number | null;
}

/** Admission checks that need no database: shape, sizes, tier rights. Throws AppErrors. */
export function validateIntentInput(auth: AuthInfo, input: SubmitIntentInput): ValidIntentInput {
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

  const webhookUrl = input.webhookUrl?.trim() || null;
  if (webhookUrl !== null) {
    let url: URL;
    try {
      url = new URL(webhookUrl);
    } catch {
      throw invalid('webhook_url must be an absolute URL', 'webhookUrl');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('webhook_url must be an HTTPS URL', 'webhookUrl');
  }

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
  return { text, domain, auctionTier: tier as AuctionTier, webhookUrl, metadata, idempotencyKey, bidWindowMs };
}

