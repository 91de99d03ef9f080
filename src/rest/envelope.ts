import { GraphQLError, print, type ExecutionResult } from 'graphql';
import type { Gateway } from '../http/gateway.js';
import type { RequestIdContext } from '../http/plugins/request-id.js';
import type { RestRoute } from './route.js';

export interface CompiledOperation {
  query: string;
  operationName: string | undefined;
}

export function compileOperation(document: RestRoute['document']): CompiledOperation {
  const definition = document.definitions.find((d) => d.kind === 'OperationDefinition');
  return { query: print(document), operationName: definition && 'name' in definition ? definition.name?.value : undefined };
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
 * header or parameter a client sends can set it.
 */
export async function runEnveloped(
  yoga: Gateway,
  op: CompiledOperation,
  variables: unknown,
  request: Request,
  serverContext: RequestIdContext,
  options: { followUp: boolean; subscribe?: boolean },
): Promise<Refused | { result: ExecutionResult | AsyncIterable<ExecutionResult> }> {
  const params = { query: op.query, variables: variables as Record<string, unknown>, operationName: op.operationName };
  const enveloped = yoga.getEnveloped({ ...serverContext, request, params, restFollowUp: options.followUp });
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
