import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

export interface RequestIdContext {
  requestId?: string;
}

const VALID_ID = /^[\w.:-]{1,128}$/;

/**
 * Echoes `X-Request-ID` (or generates one) on every response and puts it in the
 * server context, so logs, error bodies and the REST layer all report the same id.
 */
export function useRequestId(): Plugin<Record<string, never>, RequestIdContext> {
  const ids = new WeakMap<Request, string>();
  return {
    onRequest({ request, serverContext }) {
      const given = request.headers.get('x-request-id');
      const id = serverContext.requestId ?? (given && VALID_ID.test(given) ? given : `req_${randomUUID()}`);
      serverContext.requestId = id;
      ids.set(request, id);
    },
    onResponse({ request, response }) {
      const id = ids.get(request);
      if (id) response.headers.set('X-Request-ID', id);
    },
  };
}
