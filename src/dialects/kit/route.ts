import type { ResultOf, TypedDocumentNode, VariablesOf } from '@graphql-typed-document-node/core';
import type { z } from 'zod/v4';
import type { StreamFrames } from './event-stream.js';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** A request as a route sees it: validated by the route's zod schemas before any GraphQL runs. */
export interface RouteInput<P = unknown, Q = unknown, B = unknown> {
  params: P;
  query: Q;
  body: B;
  headers: Headers;
}

/** An error a route answers with, in its dialect's own body: `code` is Gavel's (upper case, `errors/error-codes.ts`). */
export interface RouteError {
  status: number;
  code: string;
  message: string;
  /** Further members of the error body, e.g. OctoMind's `intent_id`. */
  extra?: Record<string, unknown>;
}

export interface RouteResponse<B = unknown> {
  status?: number;
  body?: B;
  headers?: Record<string, string>;
  /** Answer as this error instead, e.g. a waited-for intent that failed. */
  error?: RouteError;
}

/** Streams an intent's events (the `intentEvents` subscription) as SSE. */
export type EventStreamer = (
  intentId: string,
  after: number,
  finale?: () => Promise<{ event: string; data: unknown } | null>,
  frames?: StreamFrames,
) => Promise<Response>;

export interface StreamTools {
  events: EventStreamer;
  /** Runs another GraphQL operation with the caller's credentials (a follow-up: not counted again); resolves with its data. */
  query: <TData, TVars>(document: TypedDocumentNode<TData, TVars>, variables: TVars) => Promise<TData>;
}

type Schema = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

/**
 * One REST route: the GraphQL document it runs, the zod schemas its path parameters,
 * query and body must satisfy (the only place a request is checked; GraphQL checks
 * the rest), how the valid request becomes the document's variables, and how the
 * document's typed result becomes the status, headers and body its reference API
 * shows. The schemas also write the dialect's OpenAPI document. Auth, scopes, limits
 * and domain errors are the GraphQL layer's: a route only translates.
 */
export interface RouteSpec<Doc extends TypedDocumentNode<any, any>, P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined> {
  method: Method;
  /** Relative to the dialect's base path, with `:name` parameters: `/intents/:id`. */
  path: string;
  summary: string;
  document: Doc;
  params?: P;
  query?: Q;
  body?: B;
  /** Rewrites the raw body before `body` checks it, e.g. snake_case names to the documented camelCase. */
  normalizeBody?: (raw: unknown) => unknown;
  variables?: (input: RouteInput<Infer<P>, Infer<Q>, Infer<B>>) => VariablesOf<Doc>;
  /** Required unless the route always streams. */
  result?: (data: ResultOf<Doc>, input: RouteInput<Infer<P>, Infer<Q>, Infer<B>>) => RouteResponse;
  /**
   * Error statuses this route answers beyond every route's (400, 401, 403, 404, 429, 500;
   * 413 with a body), e.g. 402, 409, 422: listed in the OpenAPI document, and the tests
   * refuse any status a route's document does not list.
   */
  errors?: number[];
  /** The success bodies by status, for the OpenAPI document (and so for the tests' response checks). */
  responses: Record<number, { description: string; schema?: Schema; headers?: string[] }>;
  /**
   * Answers with Server-Sent Events instead of one JSON body: always, or when the caller
   * accepts `text/event-stream`. Runs after the route's first operation succeeded.
   */
  stream?: {
    always?: boolean;
    /**
     * The intent whose stream token (`?stream_token=`) this GET stream accepts in place of
     * the key, for a browser's EventSource, which cannot send Authorization. No other route
     * accepts one.
     */
    tokenIntent?: (input: RouteInput<Infer<P>, Infer<Q>, Infer<B>>) => string;
    /** The JSON of each message's `data`, when the dialect types its events (the OpenAPI document's `itemSchema`). */
    eventSchema?: Schema;
    open: (data: ResultOf<Doc>, input: RouteInput<Infer<P>, Infer<Q>, Infer<B>>, tools: StreamTools) => Promise<Response>;
  };
  /** Callable without a key (the GraphQL fields decide in the end); for the OpenAPI document. */
  public?: boolean;
}

/** A route with its types erased, as the kit holds it. */
export type Route = RouteSpec<TypedDocumentNode<any, any>, Schema | undefined, Schema | undefined, Schema | undefined>;

/** Keeps a route's input, variables and result types tied to its schemas and document. */
export function defineRoute<
  Doc extends TypedDocumentNode<any, any>,
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(spec: RouteSpec<Doc, P, Q, B>): Route {
  return spec as unknown as Route;
}

/** The variables of a route whose one input is the `:id` in its path, as most single-resource routes are. */
export const idFromPath = ({ params }: { params: { id: string } }): { id: string } => ({ id: params.id });
