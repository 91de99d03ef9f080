import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../../observability/logger.js';
import type { RequestIdContext } from './request-id.js';

/** One structured log line per HTTP request, carrying its request id. */
export function useRequestLog(logger: Logger): Plugin<Record<string, never>, RequestIdContext> {
  const started = new WeakMap<Request, { at: number; id: string | undefined }>();
  return {
    onRequest({ request, serverContext }) {
      started.set(request, { at: performance.now(), id: serverContext.requestId });
    },
    onResponse({ request, response }) {
      const s = started.get(request);
      if (!s) return;
      const url = new URL(request.url);
      logger.info(
        { requestId: s.id, method: request.method, path: url.pathname, status: response.status, ms: Math.round((performance.now() - s.at) * 10) / 10 },
        'request',
      );
    },
  };
}
