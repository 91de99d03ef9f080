import type { z } from 'zod/v4';
import type { Route } from './route.js';

/** What a dialect's error body is made of; `code` is Gavel's upper-case code (`errors/error-codes.ts`). */
export interface ErrorFacts {
  status: number;
  code: string;
  message: string;
  requestId: string;
  /** Further details (the invalid field, `retry_after`, an intent id), undefined members left out. */
  extra: Record<string, unknown>;
}

/** A webhook event a dialect renders: its body and the signature header its receivers check. */
export interface WebhookPayload {
  /** The event names this payload is for, as stored on the delivery (`receipt`, `execution.completed`, …). */
  events: readonly string[];
  /**
   * The body, from the intent's receipt (`receiptOf` runs the dialect's own receipt
   * document as the tenant's system caller) and the delivery's signing secret.
   */
  render: (
    facts: {
      event: string;
      intentId: number;
      tenantId: string;
      secret: string;
      /** An agent's attempt (`agent.*` events): which agent, which attempt, how it ended; the webhooks module's AgentMoment. */
      agent?: Readonly<Record<string, unknown>>;
    },
    receiptOf: ReceiptReader,
  ) => Promise<unknown>;
  /** The dialect's own signature header(s) over the exact body bytes. */
  signatureHeaders: (secret: string, body: string) => Record<string, string>;
}

/** Runs a GraphQL document with no client behind it (webhook bodies), as the intent's tenant. */
export type ReceiptReader = <TData>(
  document: import('@graphql-typed-document-node/core').TypedDocumentNode<TData, { id: string }>,
  intentId: number,
) => Promise<TData>;

/**
 * One reference API: where it lives, its routes, its error body (every error under its
 * base path, 404 and 405 included, in that API's own shape) and its webhook payloads.
 */
export interface Dialect {
  name: string;
  /** The OpenAPI title and a sentence on what the API is. */
  title: string;
  description: string;
  /** `/api`, `/v1`: a path belongs to the dialect with the longest base path it starts with. */
  basePath: string;
  routes: Route[];
  errorBody: (facts: ErrorFacts) => unknown;
  /**
   * Gavel's codes that the reference API does not document, as the codes it does: a
   * client written for it knows only those. Gavel's own code goes into `extra.reason`.
   */
  foreignCodes?: Readonly<Record<string, { status: number; code: string }>>;
  /**
   * Every route takes a key, even where the GraphQL field is public (Mindra: "All API
   * requests require authentication"); a call with none is the dialect's 401.
   */
  keyRequired?: boolean;
  /** The error body's schema, for the OpenAPI document. */
  errorSchema: z.ZodType;
  webhooks?: WebhookPayload[];
}
