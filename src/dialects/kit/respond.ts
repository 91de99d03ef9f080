import type { Dialect } from './dialect.js';

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
}

type ErrorShape = { status: number; code: string; message: string; extra?: Record<string, unknown> };

/** The error as the dialect documents it: a code it does not know becomes one it does (`foreignCodes`). */
function inDialect(dialect: Dialect, error: ErrorShape): ErrorShape {
  const own = dialect.foreignCodes?.[error.code];
  return own ? { ...error, ...own, extra: { reason: error.code, ...error.extra } } : error;
}

/** The dialect's own error body; `code` is Gavel's, undefined details are left out. */
export function errorBodyOf(dialect: Dialect, error: ErrorShape, requestId: string): unknown {
  const e = inDialect(dialect, error);
  const extra = Object.fromEntries(Object.entries(e.extra ?? {}).filter(([, v]) => v !== undefined));
  return dialect.errorBody({ status: e.status, code: e.code, message: e.message, requestId, extra });
}

/** An error answered in the dialect's own body. */
export function errorResponse(dialect: Dialect, error: ErrorShape, requestId: string, headers: Record<string, string> = {}): Response {
  return jsonResponse(inDialect(dialect, error).status, errorBodyOf(dialect, error, requestId), headers);
}
