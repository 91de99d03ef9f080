import { getOperationAST, Kind, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { AppError, invalid } from '../../errors/app-error.js';
import type { GavelContext } from '../../graphql/context.js';
import type { IdempotencyService } from '../../modules/idempotency/index.js';

/** Root mutation fields whose answer holds a secret shown once; it is never stored for a repeat to show again. */
const SECRET_FIELDS = new Set(['createApiKey', 'createAgent', 'rotateAgentSecret', 'createStreamToken']);

/** `Idempotency-Key`, or Mindra's `X-Idempotency-Key`. */
export function idempotencyKeyOf(headers: Headers): string | null {
  return (headers.get('idempotency-key') ?? headers.get('x-idempotency-key'))?.trim() || null;
}

interface ExecutionContext extends GavelContext {
  request?: Request;
  params?: { query?: string };
  restFollowUp?: boolean;
}

const refusal = (error: AppError): ExecutionResult => ({ errors: [error] });

/**
 * Idempotency keys for every mutation sent over HTTP, GraphQL and every REST dialect's
 * POST alike (a REST route runs its document through this same execution): the first
 * request with a key runs and its result is kept for 24 hours; a repeat with the same
 * operation and variables answers that result and runs nothing; the same key with
 * another request is `IDEMPOTENCY_KEY_REUSED`, and one still running is `CONFLICT`.
 * A failed mutation keeps nothing, so its retry runs. A REST call's follow-up
 * operations (its reads after the mutation) are not the request the key names.
 */
export function useIdempotency(service: () => IdempotencyService): Plugin {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as unknown as ExecutionContext;
      const key = ctx.request && !ctx.restFollowUp ? idempotencyKeyOf(ctx.request.headers) : null;
      if (key === null || !ctx.auth) return;
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      if (key.length > 255) return setResultAndStopExecution(refusal(invalid('An idempotency key is at most 255 characters', 'Idempotency-Key')));
      const roots = operation.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : ''));
      const admission = await service().admit({
        tenantId: ctx.auth.tenantId,
        key,
        operation: `${args.operationName ?? ''}\u0000${ctx.params?.query ?? ''}`,
        variables: args.variableValues,
        secret: roots.some((name) => SECRET_FIELDS.has(name)),
      });
      switch (admission.kind) {
        case 'replay':
          return setResultAndStopExecution(admission.result as ExecutionResult);
        case 'reused':
          return setResultAndStopExecution(refusal(new AppError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used with a different request')));
        case 'running':
          return setResultAndStopExecution(refusal(new AppError('CONFLICT', 'A request with this idempotency key is being processed; retry shortly')));
        case 'secret':
          return setResultAndStopExecution(
            refusal(
              new AppError(
                'CONFLICT',
                'This idempotency key already created what it asked for; its secret was shown once and is not kept. List it, and revoke it if the secret was lost.',
              ),
            ),
          );
        case 'run':
          return {
            async onExecuteDone({ result }) {
              const succeeded = !(Symbol.asyncIterator in result) && !result.errors?.length;
              // The answer goes out either way; a key whose result could not be kept is freed, so a retry runs anew.
              await (succeeded ? admission.done({ data: result.data ?? null }) : admission.failed()).catch(() => admission.failed().catch(() => {}));
            },
          };
      }
    },
  };
}
