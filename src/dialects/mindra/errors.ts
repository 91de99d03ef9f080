import { z } from 'zod/v4';
import type { ErrorFacts } from '../kit/index.js';

/** Mindra's error body: `{"error":"INVALID_REQUEST","message","details","requestId"}`, its codes in upper case. */
export function mindraErrorBody({ code, message, requestId, extra }: ErrorFacts) {
  const details = Object.entries(extra)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('; ');
  return { error: code, message, ...(details ? { details } : {}), requestId };
}

export const MindraErrorSchema = z.object({
  error: z
    .string()
    .describe('INVALID_REQUEST, UNAUTHORIZED, FORBIDDEN, INSUFFICIENT_BALANCE, NOT_FOUND, RATE_LIMIT_EXCEEDED, INTERNAL_ERROR, SERVICE_UNAVAILABLE, …'),
  message: z.string(),
  details: z.string().optional(),
  requestId: z.string(),
});
