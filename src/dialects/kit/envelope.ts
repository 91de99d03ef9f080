import { GraphQLError, print, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Gateway } from '../../http/gateway.js';
import type { RequestIdContext } from '../../http/plugins/request-id.js';
import { statusOf } from '../../errors/error-codes.js';

export interface CompiledOperation {
  query: string;
  operationName: string | undefined;
}

const compiled = new WeakMap<DocumentNode, CompiledOperation>();

/** A document printed once, however often a route, stream or webhook body runs it (documents are module constants). */
export function compileOperation(document: DocumentNode): CompiledOperation {
  let op = compiled.get(document);
  if (!op) {
    const definition = document.definitions.find((d) => d.kind === 'OperationDefinition');
    op = { query: print(document), operationName: definition && 'name' in definition ? definition.name?.value : undefined };
    compiled.set(document, op);
  }
  return op;
}

/** A refusal before execution: invalid variables or document, a bad key, a rate past its limit. */
export interface Refused {
  refused: ExecutionResult;
  /** The code when the errors carry none (a validation error is the caller's). */
  fallbackCode: string;
}

/**
 * Runs one operation of a REST call through yoga's envelope (`getEnveloped`), as
 * WebSocket operations are: the same parse and validation caches, armor limits,
 * context (auth and the rate count), error masking and execution as an HTTP GraphQL
 * request, without making one. `followUp` marks a further operation of a call already
 * counted against the rate; it lives only in the server's own initial context, so no
 * header or parameter a client sends can set it. Nor can one set `systemTenantId`, the
 * tenant whose intents work with no client behind it (webhook bodies) reads.
 */
export async function runEnveloped(
  yoga: Gateway,
  op: CompiledOperation,
  variables: unknown,
  request: Request,
  serverContext: RequestIdContext,
  options: { followUp: boolean; subscribe?: boolean; systemTenantId?: string },
): Promise<Refused | { result: ExecutionResult | AsyncIterable<ExecutionResult> }> {
  const params = { query: op.query, variables: variables as Record<string, unknown>, operationName: op.operationName };
  const enveloped = yoga.getEnveloped({ ...serverContext, request, params, restFollowUp: options.followUp, systemTenantId: options.systemTenantId });
  const { schema, parse, validate, contextFactory } = enveloped;
  try {
    const document = parse(op.query);
    const invalid = validate(schema, document);
    if (invalid.length > 0) return { refused: { errors: invalid }, fallbackCode: 'INVALID_REQUEST' };
    const contextValue = await contextFactory();
    const run = options.subscribe ? enveloped.subscribe : enveloped.execute;
    const result = await run({ schema, document, contextValue, variableValues: params.variables, operationName: op.operationName });
    return { result: result as ExecutionResult | AsyncIterable<ExecutionResult> };
  } catch (error) {
    // The context refused the key or its rate (401, 429): an error with its own status.
    if (error instanceof GraphQLError) return { refused: { errors: [error] }, fallbackCode: 'INTERNAL_ERROR' };
    throw error;
  }
}

/** One operation's outcome as a REST call needs it: the data, or the error to answer with. */
export type StepResult =
  | { data: unknown; error: null }
  | { data: unknown; error: { status: number; code: string; message: string; extra: Record<string, unknown>; headers: Record<string, string> } };

/** Runs one operation and reads its errors as the status, code and headers a REST answer carries. */
export async function runStep(
  yoga: Gateway,
  op: CompiledOperation,
  variables: unknown,
  request: Request,
  serverContext: RequestIdContext,
  followUp: boolean,
): Promise<StepResult> {
  const outcome = await runEnveloped(yoga, op, variables, request, serverContext, { followUp });
  if ('refused' in outcome) return failedStep(outcome.refused, outcome.fallbackCode);
  const result = outcome.result as ExecutionResult;
  // No data at all: the variables did not fit the document, i.e. the request was bad.
  return result.errors?.length ? failedStep(result, result.data == null ? 'INVALID_REQUEST' : 'INTERNAL_ERROR') : { data: result.data, error: null };
}

export function failedStep(result: ExecutionResult, fallbackCode: string): StepResult {
  const first = result.errors?.[0];
  const extensions = (first?.extensions ?? {}) as { code?: string; retryAfter?: number; field?: string; http?: { headers?: Record<string, string> } };
  const code = extensions.code ?? fallbackCode;
  return {
    data: result.data,
    error: {
      status: statusOf(code),
      code,
      message: first?.message ?? 'The operation failed',
      extra: { retry_after: extensions.retryAfter, field: extensions.field },
      // What the error asks the HTTP response to carry (Retry-After, WWW-Authenticate, the rate state).
      headers: { ...extensions.http?.headers },
    },
  };
}
