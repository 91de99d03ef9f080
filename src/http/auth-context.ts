import type { YogaInitialContext } from 'graphql-yoga';
import { invalid, unauthorized } from '../errors/app-error.js';
import type { GavelContext } from '../graphql/context.js';
import { parseBearer, systemReader, type AuthInfo } from '../modules/keys/index.js';
import type { GatewayParts } from './gateway.js';
import { rateStates } from './plugins/rate-limit-headers.js';
import type { RequestIdContext } from './plugins/request-id.js';

/** What graphql-ws hands the envelope for WebSocket operations (see ws/graphql-ws.ts). */
export interface WsInitialContext {
  connectionParams?: Record<string, unknown>;
  upgradeAuthorization?: string;
}

/** What the REST layer hands the envelope (see dialects/kit/envelope.ts); never read from a request. */
export interface RestInitialContext {
  /** A further operation of a REST call already counted. */
  restFollowUp?: boolean;
  /** Work with no client behind it (a webhook body) reads this tenant's intents. */
  systemTenantId?: string;
  /** A `?stream_token=` the REST kit accepts for this call: only on an event-stream route, for its intent. */
  streamToken?: { token: string; intentId: string };
}

type InitialContext = Partial<YogaInitialContext> & RequestIdContext & WsInitialContext & RestInitialContext;

/**
 * Builds the GraphQL context for HTTP and WebSocket operations alike. A request
 * without a key is anonymous (public fields still work); a request with a bad key
 * is refused outright with 401, whatever it asks for.
 */
export function createContextFactory({ config, logger, modules, limits }: Pick<GatewayParts, 'config' | 'logger' | 'modules' | 'limits'>) {
  return async (initial: InitialContext): Promise<GavelContext> => {
    if (initial.systemTenantId) {
      return {
        requestId: initial.requestId ?? 'system',
        auth: systemReader(initial.systemTenantId),
        modules,
        logger,
        origin: originOf(initial),
      };
    }
    const header = initial.request?.headers.get('authorization') ?? connectionParamsAuthorization(initial.connectionParams) ?? initial.upgradeAuthorization;
    // A key in the URL was refused before this (plugins/key-in-url.ts); a misplaced stream token is refused here.
    if (initial.request?.url.includes('stream_token') && initial.streamToken === undefined)
      refuseMisplacedStreamToken(new URL(initial.request.url).searchParams);
    const auth = initial.streamToken ? await streamTokenAuth(initial.streamToken, header) : await keyAuth(header);
    // Every operation counts against the key's rate, HTTP and WebSocket alike; the
    // follow-up operations a REST route runs for one call do not count again. Only the
    // server marks a follow-up, in its own initial context: no header can.
    if (auth && !initial.restFollowUp) {
      const state = await limits.countRequest(auth);
      if (state && initial.request) rateStates.set(initial.request, state);
    }
    const requestId = initial.requestId ?? 'unknown';
    return { requestId, auth, modules, logger: logger.child({ requestId }), origin: originOf(initial) };
  };

  async function keyAuth(header: string | null | undefined): Promise<AuthInfo | null> {
    const token = parseBearer(header);
    if (token === 'malformed') throw unauthorized('Authorization must be "Bearer <api key>"');
    const auth = token ? await modules.keys.authenticate(token) : null;
    if (token && !auth) throw unauthorized();
    return auth;
  }

  function streamTokenAuth(given: { token: string; intentId: string }, header: string | null | undefined): Promise<AuthInfo> {
    if (header) throw invalid('Send the API key (Authorization) or a stream token (?stream_token=), not both', 'stream_token');
    return modules.streamTokens.authenticate(given.token, given.intentId);
  }

  function originOf(initial: InitialContext): string {
    return config.publicUrl ?? (initial.request ? new URL(initial.request.url).origin : `http://localhost:${config.port}`);
  }
}

/** A stream token is refused wherever the REST kit did not accept it, rather than silently ignored. */
function refuseMisplacedStreamToken(query: URLSearchParams): void {
  if (query.has('stream_token')) {
    throw unauthorized(
      'A stream token opens only the event stream it was minted for (GET /api/intents/:id/events?stream_token=…); send the API key as Authorization: Bearer',
    );
  }
}

/** Accepts `{ authorization: "Bearer …" }`, `{ Authorization: … }` or `{ apiKey: "…" }`. */
function connectionParamsAuthorization(params: Record<string, unknown> | undefined): string | undefined {
  if (!params) return undefined;
  const value = params.authorization ?? params.Authorization;
  if (typeof value === 'string') return value;
  return typeof params.apiKey === 'string' ? `Bearer ${params.apiKey}` : undefined;
}
