import type { Dialect } from './dialect.js';

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
}

type ErrorShape = { status: number; code: string; message: string; extra?: Record<string, unknown> };

/** The dialect's own error body; `code` is Gavel's, undefined details are left out. */
export function errorBodyOf(dialect: Dialect, error: ErrorShape, requestId: string): unknown {
  const extra = Object.fromEntries(Object.entries(error.extra ?? {}).filter(([, v]) => v !== undefined));
  return dialect.errorBody({ status: error.status, code: error.code, message: error.message, requestId, extra });
}

/** An error answered in the dialect's own body. */
export function errorResponse(dialect: Dialect, error: ErrorShape, requestId: string, headers: Record<string, string> = {}): Response {
  return jsonResponse(error.status, errorBodyOf(dialect, error, requestId), headers);
}
