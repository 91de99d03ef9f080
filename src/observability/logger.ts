import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured JSON logs on stdout; every request log line carries its request id. In
 * development (`npm run dev`) they go through pino-pretty, a dev dependency: production
 * never loads it, so an install without dev dependencies still runs.
 */
export function createLogger(level: string, options: { pretty?: boolean; bindings?: Record<string, unknown> } = {}): Logger {
  return pino({
    level,
    base: { service: 'gavel', ...options.bindings },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(options.pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname,service' } } } : {}),
  });
}
