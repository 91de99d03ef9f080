export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
}

/** The OctoMind error body: `{"error":{"code","message",...}}`, plus the request id for support. */
export function errorResponse(
  status: number,
  code: string,
  message: string,
  requestId: string,
  headers: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): Response {
  const details = Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined));
  return jsonResponse(status, { error: { code, message, ...details, request_id: requestId } }, headers);
}
