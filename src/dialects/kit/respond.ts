import type { Dialect } from './dialect.js';

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
}

/** An error in the dialect's own body; `code` is Gavel's, undefined details are left out. */
export function errorResponse(
  dialect: Dialect,
  error: { status: number; code: string; message: string; extra?: Record<string, unknown> },
  requestId: string,
  headers: Record<string, string> = {},
): Response {
  const extra = Object.fromEntries(Object.entries(error.extra ?? {}).filter(([, v]) => v !== undefined));
  return jsonResponse(error.status, dialect.errorBody({ status: error.status, code: error.code, message: error.message, requestId, extra }), headers);
}
