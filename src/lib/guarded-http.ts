import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { Readable } from 'node:stream';
import { classifyAddress } from './public-address.js';

/*
 * Outbound HTTP to targets that users or operators name (webhook receivers, HTTP agents),
 * which must not reach the gateway's own network. Node's http(s) client rather than
 * fetch: its `lookup` hook runs on every new connection, so the address checked is the
 * address connected to, with no window for DNS rebinding (undici, which would allow the
 * same with a custom connector, is not a dependency of ours).
 */

/**
 * The error of a connection refused because its target is not public. Its message is
 * what a tenant may see (a bid's reasoning, a webhook delivery's error): it names no
 * address, since what an internal name resolves to is the operator's business.
 * `detail` says which address and why, for the operator's log.
 */
export class PrivateTargetError extends Error {
  override readonly name = 'PrivateTargetError';
  readonly code = 'EPRIVATETARGET';
  constructor(readonly detail: string) {
    super('the target is not a public address');
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http(s).request that refuses a name when any address it resolves to is not public. */
function guardedLookup(allowPrivate: boolean, onRefused: (error: PrivateTargetError) => void) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      for (const { address } of allowPrivate ? [] : list) {
        const verdict = classifyAddress(address);
        if (!verdict.public)
          return callback(refused(new PrivateTargetError(`${hostname} resolves to an address that is not public: ${verdict.reason}`), onRefused), []);
      }
      if (options.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

export interface GuardedRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string | number>;
  body?: string;
  /** Aborts the request, or the reading of its answer. */
  signal?: AbortSignal;
}

export interface GuardedClientOptions {
  /** Allow loopback, private and other non-public targets (development, tests, in-cluster agents). */
  allowPrivate: boolean;
  /** Keep connections open between calls (agents are called on every intent); default false. */
  keepAlive?: boolean;
  /** Told of every refused target, with its detail (the operator's log). */
  onRefused?: (error: PrivateTargetError) => void;
}

function refused(error: PrivateTargetError, onRefused: (error: PrivateTargetError) => void): PrivateTargetError {
  onRefused(error);
  return error;
}

export type GuardedFetch = (url: string, request: GuardedRequest) => Promise<Response>;

/**
 * A small fetch over node:http(s) whose connections only reach public addresses (unless
 * allowed). It answers a WHATWG `Response` with a streamed body, so SSE readers and
 * `text()` work as with fetch. Redirects are never followed: a redirect could lead anywhere.
 */
export function createGuardedFetch(options: GuardedClientOptions): GuardedFetch {
  const onRefused = options.onRefused ?? (() => {});
  const lookup = guardedLookup(options.allowPrivate, onRefused);
  // One pool per client: a socket checked under one setting is never reused under another.
  const agents = options.keepAlive ? { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) } : null;
  return (url, request) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      if (target.protocol !== 'http:' && target.protocol !== 'https:') return reject(new Error(`${target.protocol} is not http(s)`));
      // A literal address is connected to without any lookup, so it is checked here.
      const host = target.hostname.replace(/^\[|\]$/g, '');
      const verdict = options.allowPrivate || !isIP(host) ? null : classifyAddress(host);
      if (verdict && !verdict.public) return reject(refused(new PrivateTargetError(`${host} is not a public address: ${verdict.reason}`), onRefused));
      const client = target.protocol === 'https:' ? https : http;
      const outgoing = client.request(
        target,
        { method: request.method, headers: request.headers, lookup: lookup as never, signal: request.signal, agent: agents?.[target.protocol] ?? false },
        (incoming) => {
          const status = incoming.statusCode ?? 0;
          if (status < 200 || status > 599) {
            incoming.destroy();
            return reject(new Error(`answered with HTTP status ${status}`));
          }
          const headers = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
          }
          const empty = status === 204 || status === 205 || status === 304;
          if (empty) incoming.resume();
          resolve(
            new Response(empty ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>), { status, statusText: incoming.statusMessage, headers }),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(request.body);
    });
}
