import type { Server as HttpServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { GraphQLError, type ExecutionArgs, type execute } from 'graphql';
import type { Gateway } from '../http/gateway.js';
import { urlCarriesKey } from '../http/plugins/key-in-url.js';
import { keyInUrl } from '../modules/keys/index.js';
import { sharedSubscribe, type Outlet } from './shared-subscriptions.js';
import { sendFrame, serveGraphqlWs, type WsLimits } from './ws-transport.js';

type OperationResult = ReturnType<typeof execute>;
interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => OperationResult;
  subscribe: (args: ExecutionArgs) => OperationResult;
}

/**
 * graphql-ws on the same path as HTTP GraphQL. Every operation goes through
 * `yoga.getEnveloped`, so the same context factory (auth), armor limits and
 * plugins run for WebSocket operations as for HTTP ones.
 */
export function attachGraphqlWs(
  httpServer: HttpServer,
  yoga: Gateway,
  limits: WsLimits,
  authenticate: (authorization: string | undefined) => Promise<boolean>,
) {
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: yoga.graphqlEndpoint,
    // A key in the upgrade URL is refused as on every HTTP route (plugins/key-in-url.ts), never used.
    verifyClient: ({ req }, done) =>
      urlCarriesKey(new URL(req.url ?? '/', 'http://gateway')) ? done(false, 401, keyInUrl().message, { 'WWW-Authenticate': 'Bearer' }) : done(true),
  });
  const disposable = serveGraphqlWs(
    {
      // A connection with a bad key is closed at once (4403 Forbidden), before any operation.
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const fromParams =
          typeof params.authorization === 'string'
            ? params.authorization
            : typeof params.Authorization === 'string'
              ? params.Authorization
              : typeof params.apiKey === 'string'
                ? `Bearer ${params.apiKey}`
                : undefined;
        return authenticate(fromParams ?? ctx.extra.request.headers.authorization);
      },
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: sharedSubscribe((args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never) as never,
      onSubscribe: async (ctx, id, payload) => {
        const upgrade = ctx.extra.request;
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: upgrade,
          socket: ctx.extra.socket,
          params: payload,
          requestId: `ws_${crypto.randomUUID()}`,
          connectionParams: withOperationKey(ctx.connectionParams, upgrade.headers.authorization, payload.extensions),
          upgradeAuthorization: upgrade.headers.authorization,
        });
        // A refused operation (a syntax error, a query limit, a bad key) is an `error`
        // message for that operation; only an unexpected failure closes the socket.
        let document: ReturnType<typeof parse>;
        let contextValue: unknown;
        try {
          document = parse(payload.query);
          const errors = validate(schema, document);
          if (errors.length > 0) return errors;
          contextValue = await contextFactory();
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const outlet: Outlet = { id, send: (frame) => sendFrame(ctx.extra.socket, frame, limits.maxBufferedBytes) };
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
          rootValue: { execute, subscribe, outlet },
        };
      },
    },
    wsServer,
    limits,
  );
  return {
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}

/**
 * GraphiQL sends its Headers tab with every operation, in the subscribe message's
 * `extensions.headers`, never in connection_init. A connection that brought no key of its
 * own (neither in connection_init nor on the upgrade) authenticates each operation with
 * that Authorization header instead; the context factory checks it as any other key.
 */
function withOperationKey(
  params: Record<string, unknown> | undefined,
  upgradeAuthorization: string | undefined,
  extensions: Record<string, unknown> | null | undefined,
): Record<string, unknown> | undefined {
  if (upgradeAuthorization || params?.authorization || params?.Authorization || params?.apiKey) return params;
  const headers = extensions?.headers;
  if (!headers || typeof headers !== 'object') return params;
  const entry = Object.entries(headers).find(([name, value]) => name.toLowerCase() === 'authorization' && typeof value === 'string');
  return entry ? { ...params, authorization: entry[1] } : params;
}
