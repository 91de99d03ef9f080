import pino from 'pino';

export type Logger = pino.Logger;

/** Structured JSON logs on stdout; every request log line carries its request id. */
export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { service: 'gavel', ...bindings }, timestamp: pino.stdTimeFunctions.isoTime });
}
