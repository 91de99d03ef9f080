/**
 * The one table of expected error codes. GraphQL errors carry `extensions.code`
 * (upper case) and `extensions.http.status`; REST bodies carry the lower-case code
 * from OctoMind (`{"error":{"code":"invalid_request",...}}`).
 */
export const ERROR_CODES = {
  INVALID_REQUEST: { status: 400, retryable: false },
  UNAUTHORIZED: { status: 401, retryable: false },
  INSUFFICIENT_BALANCE: { status: 402, retryable: false },
  FORBIDDEN: { status: 403, retryable: false },
  NOT_FOUND: { status: 404, retryable: false },
  METHOD_NOT_ALLOWED: { status: 405, retryable: false },
  CONFLICT: { status: 409, retryable: true },
  IDEMPOTENCY_KEY_REUSED: { status: 422, retryable: false },
  NO_BIDS: { status: 422, retryable: false },
  PAYLOAD_TOO_LARGE: { status: 413, retryable: false },
  STORAGE_QUOTA_EXCEEDED: { status: 413, retryable: false },
  RATE_LIMIT_EXCEEDED: { status: 429, retryable: true },
  INTERNAL_ERROR: { status: 500, retryable: true },
  SERVICE_UNAVAILABLE: { status: 503, retryable: true },
  /** LLM agents need a provider and none is configured (OPENAI_BASE_URL): the operator must set one. */
  PROVIDER_NOT_CONFIGURED: { status: 503, retryable: false },
  /** The LLM provider is unreachable, failing or its circuit is open: retry after a while. */
  PROVIDER_UNAVAILABLE: { status: 503, retryable: true },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function statusOf(code: string): number {
  return (ERROR_CODES as Record<string, { status: number }>)[code]?.status ?? 500;
}
