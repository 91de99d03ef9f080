import { z } from 'zod/v4';
import type { ErrorFacts } from '../kit/index.js';

/** OctoMind's error body: `{"error":{"code":"invalid_request","message":…}}`, its codes in lower case, plus the request id for support. */
export function octomindErrorBody({ code, message, requestId, extra }: ErrorFacts) {
  return { error: { code: code.toLowerCase(), message, ...extra, request_id: requestId } };
}

export const OctoMindErrorSchema = z.object({
  error: z
    .object({
      code: z.string().describe('invalid_request, unauthorized, forbidden, not_found, rate_limit_exceeded, no_bids, internal_error, service_unavailable, …'),
      message: z.string(),
      request_id: z.string(),
      field: z.string().optional(),
      retry_after: z.number().optional(),
      intent_id: z.number().optional(),
      reason: z.string().optional(),
    })
    .catchall(z.unknown()),
});
