import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

/** A REST request as routes see it: parsed once, before any GraphQL runs. */
export interface RestRequest {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
}

export interface RestResponse {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Answer as this error instead (OctoMind's error body, with the request id), e.g. a failed intent. */
  error?: { status: number; code: string; message: string; extra?: Record<string, unknown> };
}

/**
 * One REST route: which GraphQL document it runs, how the request becomes variables,
 * how the data becomes the body its reference document shows. Auth, limits and
 * errors are the GraphQL layer's; a route only translates.
 */
export interface RestRoute<TData = any, TVars = any> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  document: TypedDocumentNode<TData, TVars>;
  /** May throw an AppError (e.g. `invalid(...)`) for malformed input. */
  variables?: (req: RestRequest) => TVars;
  result: (data: any, req: RestRequest) => RestResponse;
  /**
   * Answers with Server-Sent Events instead of one JSON body: always, or when the caller
   * accepts `text/event-stream`. Runs after the route's first operation succeeded.
   */
  stream?: { always?: boolean; open: (data: any, req: RestRequest, tools: StreamTools) => Promise<Response> };
  /** Whether the route may be called without a key (the GraphQL fields decide in the end). */
  public?: boolean;
}

/** Streams an intent's events (the `intentEvents` subscription) as SSE. */
export type EventStreamer = (intentId: string, after: number, finale?: () => Promise<{ event: string; data: unknown } | null>) => Promise<Response>;

export interface StreamTools {
  events: EventStreamer;
  /** Runs another GraphQL operation with the caller's credentials; resolves with its data. */
  query: <TData, TVars>(document: TypedDocumentNode<TData, TVars>, variables: TVars) => Promise<TData>;
}

/** Helper that keeps a route's data and variables types tied to its document. */
export function route<TData, TVars>(r: RestRoute<TData, TVars>): RestRoute<TData, TVars> {
  return r;
}
