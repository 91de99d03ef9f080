import type { Plugin } from 'graphql-yoga';
import { AppError } from '../../errors/app-error.js';
import { statusOf } from '../../errors/error-codes.js';
import { databaseUnavailable, isDatabaseUnavailable } from '../../errors/database-unavailable.js';
import type { Gateway } from '../../http/gateway.js';
import type { RestInitialContext } from '../../http/auth-context.js';
import type { RequestIdContext } from '../../http/plugins/request-id.js';
import type { Dialect } from './dialect.js';
import { compileOperation, runStep, type CompiledOperation } from './envelope.js';
import { streamIntentEvents, type StreamOptions } from './event-stream.js';
import { openApiDocument } from './openapi.js';
import { errorBodyOf, errorResponse, jsonResponse } from './respond.js';
import type { RouteInput } from './route.js';
import { createRouter, type MountedRoute } from './router.js';
import { parsePart, queryObject, readJsonBody } from './validate.js';

/**
 * Serves every dialect's routes by running each route's named GraphQL document through
 * the very same yoga instance (the same context, auth, limits and plugins apply), then
 * reshaping the typed result into the body of the route's reference API. Each dialect
 * also serves its OpenAPI document at `<base path>/openapi.json`.
 */
export function useDialects(getYoga: () => Gateway, dialects: Dialect[], options: StreamOptions): Plugin<Record<string, never>, RequestIdContext> {
  const router = createRouter(dialects);
  const operations = new Map<MountedRoute, CompiledOperation>(router.routes.map((m) => [m, compileOperation(m.route.document)]));
  // One document per base path, built once: the routes never change while serving.
  const documents = new Map<string, string>();
  for (const basePath of new Set(dialects.map((d) => d.basePath))) {
    const document = openApiDocument(
      basePath,
      dialects.filter((d) => d.basePath === basePath),
    );
    documents.set(`${basePath}/openapi.json`, JSON.stringify(document));
  }
  return {
    async onRequest({ request, url, serverContext, endResponse }) {
      const requestId = serverContext.requestId ?? 'unknown';
      const described = request.method === 'GET' ? documents.get(url.pathname) : undefined;
      if (described) {
        return endResponse(new Response(described, { headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' } }));
      }
      const found = router.match(request.method, url.pathname);
      if (!found) return;
      if (found.kind === 'not-found') {
        return endResponse(
          errorResponse(found.dialect, { status: 404, code: 'NOT_FOUND', message: `No route for ${request.method} ${url.pathname}` }, requestId),
        );
      }
      if (found.kind === 'method-not-allowed') {
        const allowed = found.allowed.join(', ');
        const error = { status: 405, code: 'METHOD_NOT_ALLOWED', message: `Use ${found.allowed.join(' or ')} for ${url.pathname}` };
        return endResponse(errorResponse(found.dialect, error, requestId, { Allow: allowed }));
      }
      if (found.mounted.dialect.keyRequired && !request.headers.has('authorization') && !url.searchParams.has('stream_token')) {
        return endResponse(
          errorResponse(found.mounted.dialect, { status: 401, code: 'UNAUTHORIZED', message: 'Missing API key: send Authorization: Bearer <key>' }, requestId),
        );
      }
      const call: Call = { yoga: getYoga(), mounted: found.mounted, first: operations.get(found.mounted)!, request, url, serverContext, requestId, options };
      endResponse(await runRoute(call, found.params));
    },
  };
}

interface Call {
  yoga: Gateway;
  mounted: MountedRoute;
  first: CompiledOperation;
  request: Request;
  url: URL;
  serverContext: RequestIdContext;
  requestId: string;
  options: StreamOptions;
}

/**
 * The server context of the call's operations: with the stream token, when the route is a
 * GET stream that takes one. Elsewhere a `stream_token` stays in the URL, where the context
 * factory refuses it.
 */
function withStreamToken(call: Call, input: RouteInput): RequestIdContext & RestInitialContext {
  const token = call.url.searchParams.get('stream_token');
  const tokenIntent = call.mounted.route.stream?.tokenIntent;
  if (token === null || !tokenIntent || call.request.method !== 'GET') return call.serverContext;
  return { ...call.serverContext, streamToken: { token, intentId: tokenIntent(input) } };
}

const normalize = (rewrite: ((raw: unknown) => unknown) | undefined, raw: unknown) => (rewrite && raw !== undefined ? rewrite(raw) : raw);

async function runRoute(call: Call, rawParams: Record<string, string>): Promise<Response> {
  const { route, dialect } = call.mounted;
  const { request, requestId } = call;
  try {
    const input: RouteInput = {
      params: parsePart(route.params, rawParams),
      query: parsePart(route.query, queryObject(call.url.searchParams)),
      body: parsePart(route.body, normalize(route.normalizeBody, await readJsonBody(request))),
      headers: request.headers,
    };
    const variables = route.variables?.(input) ?? {};
    const serverContext = withStreamToken(call, input);
    // The call's first operation is counted against the rate; any further one is its follow-up.
    let operations = 0;
    const execute = (op: CompiledOperation, vars: unknown) => runStep(call.yoga, op, vars, request, serverContext, operations++ > 0);
    const step = await execute(call.first, variables);
    if (step.error) return errorResponse(dialect, step.error, requestId, step.error.headers);
    const stream = route.stream;
    if (stream && (stream.always || (request.headers.get('accept') ?? '').includes('text/event-stream'))) {
      return await stream.open(step.data as never, input, {
        events: (intentId, after, finale, frames) =>
          streamIntentEvents({
            ...call.options,
            yoga: call.yoga,
            request,
            serverContext,
            requestId,
            intentId,
            after,
            finale,
            frames,
            respondError: (error) => errorResponse(dialect, error, requestId, error.headers),
            errorBody: (error) => errorBodyOf(dialect, error, requestId),
          }),
        query: async (document, vars) => {
          const next = await execute(compileOperation(document), vars);
          if (next.error) throw new AppError(next.error.code as never, next.error.message);
          return next.data as never;
        },
      });
    }
    if (!route.result) throw new Error(`${route.method} ${route.path} has neither a result nor an always-on stream`);
    const out = route.result(step.data as never, input);
    if (out.error) return errorResponse(dialect, out.error, requestId, out.headers);
    return jsonResponse(out.status ?? 200, out.body ?? null, out.headers);
  } catch (caught) {
    const error = isDatabaseUnavailable(caught) ? databaseUnavailable() : caught;
    if (!(error instanceof AppError)) {
      // A bug, not the caller's mistake: logged with the request id, answered in the dialect's body with nothing leaked.
      call.options.logger.error({ err: error, requestId, route: `${route.method} ${call.mounted.path}` }, 'REST route failed');
      return errorResponse(dialect, { status: 500, code: 'INTERNAL_ERROR', message: 'Internal error' }, requestId);
    }
    return errorResponse(
      dialect,
      { status: statusOf(error.code), code: error.code, message: error.message, extra: { field: error.extensions.field } },
      requestId,
      {
        ...(error.extensions.http as { headers?: Record<string, string> } | undefined)?.headers,
      },
    );
  }
}
