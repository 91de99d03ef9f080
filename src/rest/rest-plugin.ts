import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Gateway } from '../http/gateway.js';
import { AppError } from '../errors/app-error.js';
import { statusOf } from '../errors/error-codes.js';
import type { RequestIdContext } from '../http/plugins/request-id.js';
import { compileOperation, runEnveloped, type CompiledOperation } from './envelope.js';
import { errorResponse, jsonResponse } from './errors.js';
import { streamIntentEvents, type StreamOptions } from './event-stream.js';
import type { RestRequest, RestResponse, RestRoute } from './route.js';

interface CompiledRoute {
  route: RestRoute;
  segments: string[];
  first: CompiledOperation;
}

/**
 * Serves `/api/*` by running each route's named GraphQL document through the very
 * same yoga instance (so the same context, auth, limits and plugins apply), then
 * reshaping the result into the REST body of the route's reference document.
 */
export function useRestRoutes(getYoga: () => Gateway, routes: RestRoute[], options: StreamOptions): Plugin<Record<string, never>, RequestIdContext> {
  const compiled: CompiledRoute[] = routes.map((route) => ({
    route,
    segments: route.path.split('/').filter(Boolean),
    first: compileOperation(route.document),
  }));

  return {
    async onRequest({ request, url, serverContext, endResponse }) {
      if (!url.pathname.startsWith('/api/')) return;
      const requestId = serverContext.requestId ?? 'unknown';
      const matches = compiled.map((c) => ({ c, params: match(c.segments, url.pathname) })).filter((m) => m.params);
      const hit = matches.find((m) => m.c.route.method === request.method);
      if (!hit) {
        const allowed = matches.map((m) => m.c.route.method);
        endResponse(
          allowed.length
            ? errorResponse(405, 'method_not_allowed', `Use ${allowed.join(' or ')} for ${url.pathname}`, requestId, { Allow: allowed.join(', ') })
            : errorResponse(404, 'not_found', `No route for ${request.method} ${url.pathname}`, requestId),
        );
        return;
      }
      endResponse(await runRoute(getYoga(), hit.c, hit.params!, request, url, serverContext, requestId, options));
    },
  };
}

async function runRoute(
  yoga: Gateway,
  compiled: CompiledRoute,
  params: Record<string, string>,
  request: Request,
  url: URL,
  serverContext: RequestIdContext,
  requestId: string,
  streaming: StreamOptions,
): Promise<Response> {
  try {
    const restRequest: RestRequest = {
      method: request.method,
      params,
      query: url.searchParams,
      headers: request.headers,
      body: await readJsonBody(request),
    };
    const variables = compiled.route.variables?.(restRequest) ?? {};
    let operations = 0;
    const execute = (op: CompiledOperation, vars: unknown) => runOperation(yoga, op, vars, request, serverContext, operations++ > 0);
    const step = await execute(compiled.first, variables);
    const stream = compiled.route.stream;
    if (stream && !step.error && (stream.always || (request.headers.get('accept') ?? '').includes('text/event-stream'))) {
      return stream.open(step.data, restRequest, {
        events: (intentId, after, finale) => streamIntentEvents({ ...streaming, yoga, request, serverContext, requestId, intentId, after, finale }),
        query: async (document, vars) => (await execute(compileOperation(document), vars)).data as never,
      });
    }
    const { result, forwarded, error } = step;
    if (error) return errorResponse(error.status, error.code, error.message, requestId, forwarded, error.extra);
    const out: RestResponse = compiled.route.result(result.data, restRequest);
    if (out.error) return errorResponse(out.error.status, out.error.code, out.error.message, requestId, { ...forwarded, ...out.headers }, out.error.extra);
    return jsonResponse(out.status ?? 200, out.body, { ...forwarded, ...out.headers });
  } catch (error) {
    if (error instanceof AppError) {
      return errorResponse(
        statusOf(error.code),
        error.code.toLowerCase(),
        error.message,
        requestId,
        {},
        {
          field: error.extensions.field as string | undefined,
        },
      );
    }
    throw error;
  }
}

interface StepResult {
  data: unknown;
  result: ExecutionResult;
  forwarded: Record<string, string>;
  error: { status: number; code: string; message: string; extra: Record<string, unknown> } | null;
}

async function runOperation(
  yoga: Gateway,
  op: CompiledOperation,
  variables: unknown,
  request: Request,
  serverContext: RequestIdContext,
  followUp: boolean,
): Promise<StepResult> {
  const outcome = await runEnveloped(yoga, op, variables, request, serverContext, { followUp });
  if ('refused' in outcome) return failed(outcome.refused, outcome.fallbackCode);
  const result = outcome.result as ExecutionResult;
  // No data at all: the variables did not fit the document, i.e. the request was bad.
  return result.errors?.length
    ? failed(result, result.data == null ? 'INVALID_REQUEST' : 'INTERNAL_ERROR')
    : { data: result.data, result, forwarded: {}, error: null };
}

function failed(result: ExecutionResult, fallbackCode: string): StepResult {
  const first = result.errors![0]!;
  const extensions = first.extensions as { code?: string; retryAfter?: number; field?: string; http?: { headers?: Record<string, string> } };
  const code = extensions.code ?? fallbackCode;
  return {
    data: result.data,
    result,
    // What the error asks the HTTP response to carry (Retry-After, WWW-Authenticate, the rate state).
    forwarded: { ...extensions.http?.headers },
    error: { status: statusOf(code), code: code.toLowerCase(), message: first.message, extra: { retry_after: extensions.retryAfter, field: extensions.field } },
  };
}

/** Room for the largest body a route takes: a 10 MB file as base64 (~13.4 MB) and its JSON. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

async function readJsonBody(request: Request): Promise<unknown> {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', `Request bodies may be at most ${MAX_BODY_BYTES / 1024 / 1024} MB`);
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', `Request bodies may be at most ${MAX_BODY_BYTES / 1024 / 1024} MB`);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('INVALID_REQUEST', 'Request body must be valid JSON');
  }
}

function match(segments: string[], pathname: string): Record<string, string> | null {
  const parts = pathname.split('/').filter(Boolean);
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const part = parts[i]!;
    if (seg.startsWith(':')) params[seg.slice(1)] = decodeURIComponent(part);
    else if (seg !== part) return null;
  }
  return params;
}
