import { GraphQLError } from 'graphql';
import { ERROR_CODES, type ErrorCode } from './error-codes.js';

/**
 * An expected failure a caller can act on. It is a GraphQLError so yoga passes it
 * through unmasked, with the code and HTTP status in its extensions; anything else
 * thrown is masked as INTERNAL_ERROR.
 */
export class AppError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    extra: { field?: string; retryAfterSeconds?: number; headers?: Record<string, string> } = {},
  ) {
    const { status } = ERROR_CODES[code];
    super(message, {
      extensions: {
        code,
        http: { status, ...(extra.headers ? { headers: extra.headers } : {}) },
        ...(extra.field ? { field: extra.field } : {}),
        ...(extra.retryAfterSeconds !== undefined ? { retryAfter: extra.retryAfterSeconds } : {}),
      },
    });
    this.name = 'AppError';
  }
}

export const invalid = (message: string, field?: string) => new AppError('INVALID_REQUEST', message, { field });
export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const unauthorized = (message = 'Missing, invalid or expired API key') =>
  new AppError('UNAUTHORIZED', message, { headers: { 'WWW-Authenticate': 'Bearer' } });
export const forbidden = (message: string) => new AppError('FORBIDDEN', message);
