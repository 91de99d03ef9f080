import { AppError } from './app-error.js';

/**
 * PostgreSQL SQLSTATEs that mean "the server is not there right now", not "this query is
 * wrong": class 08 (connection exceptions), admin or crash shutdown, and a server still
 * starting up or out of connections.
 */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTCONN', 'EHOSTUNREACH']);
/** What `pg` and `pg-pool` throw, with no code, when a connection breaks or cannot be had. */
const BROKEN_CONNECTION = /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect|Client was closed/i;

/** The seconds a client should wait before retrying: a restart of PostgreSQL takes about that. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/** True when `error` (or its cause, as MikroORM and knex wrap them) says the database cannot be reached. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, sqlState, message } = e as { code?: unknown; sqlState?: unknown; message?: unknown };
    for (const c of [code, sqlState]) {
      if (typeof c !== 'string') continue;
      if (c.startsWith('08') || UNAVAILABLE_STATES.has(c) || NETWORK_CODES.has(c)) return true;
    }
    if (typeof message === 'string' && BROKEN_CONNECTION.test(message)) return true;
  }
  return false;
}

/** The answer to a request that failed because the database is down or restarting: 503, retry shortly. */
export function databaseUnavailable(): AppError {
  return new AppError('SERVICE_UNAVAILABLE', 'The database is unavailable; retry shortly', {
    retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
    headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) },
  });
}
