import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Every setting Gavel reads, validated once. Nothing else in the code reads
 * `process.env`: the app, the CLI and the tests all go through `loadConfig`.
 */
const booleanFlag = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((v) => protocols.includes(new URL(v).protocol), `must be a ${protocols.join(' or ')} URL`)
    .optional();

const configSchema = z.object({
  // Production unless asked: a plain `npm start` masks errors and serves no GraphiQL or field suggestions.
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Unset: embedded PGlite under DATA_DIR. */
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Set: events and rate-limit counters are shared through Redis. */
  REDIS_URL: optionalUrl(['redis:', 'rediss:']),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GAVEL_BOOTSTRAP_KEY: z.string().min(24, 'must be at least 24 characters').optional(),
  OPENAI_BASE_URL: optionalUrl(['http:', 'https:']),
  OPENAI_API_KEY: z.string().min(1).optional(),
  GAVEL_MODEL: z.string().min(1).optional(),
  /** Milliseconds the LLM provider has to answer a call (its response headers) before the attempt fails. */
  GAVEL_LLM_FIRST_BYTE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  /** Milliseconds a streaming reply may go without a token before the attempt fails (a hung provider). */
  GAVEL_LLM_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  /** Consecutive failures of one LLM provider or agent endpoint that open its circuit. */
  GAVEL_BREAKER_THRESHOLD: z.coerce.number().int().min(1).max(1_000).default(5),
  /** Milliseconds an open circuit waits before letting one trial call through. */
  GAVEL_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  GAVEL_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  GAVEL_WEBHOOK_ALLOW_PRIVATE: booleanFlag.default('false'),
  /** Milliseconds a webhook receiver has to answer one delivery attempt. */
  GAVEL_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  GAVEL_SSE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
  /** How often a graphql-ws socket is pinged; one that misses a pong by the next ping is closed. */
  GAVEL_WS_PING_MS: z.coerce.number().int().min(100).max(300_000).default(12_000),
  /** A graphql-ws client with this many bytes still unsent (it stopped reading) is closed. */
  GAVEL_WS_MAX_BUFFERED_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .max(1_073_741_824)
    .default(16 * 1024 * 1024),
  /** Retries after a failed delivery, the delay doubling from GAVEL_WEBHOOK_RETRY_DELAY_S with jitter. */
  GAVEL_WEBHOOK_RETRIES: z.coerce.number().int().min(0).max(50).default(10),
  GAVEL_WEBHOOK_RETRY_DELAY_S: z.coerce.number().int().min(1).max(3_600).default(5),
  /** Signs file URLs; unset: a secret generated once and kept in the database. */
  GAVEL_FILE_SIGNING_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Bytes of files each tenant may keep. */
  GAVEL_FILE_QUOTA_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(10 * 1024 ** 3),
  /** The gateway's public base URL (for links it hands out); unset: taken from each request. */
  GAVEL_PUBLIC_URL: optionalUrl(['http:', 'https:']),
  /** Browser origins allowed to read Gavel's answers (CORS): `*`, or exact origins separated by commas. */
  GAVEL_CORS_ORIGINS: z
    .string()
    .default('*')
    .transform((v, ctx) => {
      const origins = v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean);
      if (origins.length === 1 && origins[0] === '*') return '*' as const;
      for (const origin of origins) {
        if (!isOrigin(origin))
          ctx.addIssue({
            code: 'custom',
            message: `"${origin}" is not an origin like https://app.example.com (scheme, host, optional port; no path), nor "*" alone`,
          });
      }
      return origins;
    }),
  /** Seconds a stream token (EventSource's credential) may be used to open its stream. */
  GAVEL_STREAM_TOKEN_TTL_S: z.coerce.number().int().min(1).max(3_600).default(300),
  /**
   * Legacy: the one secret every HTTP agent shared before each had its own. It signs only
   * for agents registered before then and not rotated since (docs/agent-protocol.md).
   */
  GAVEL_AGENT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Let HTTP agents live on loopback, private and other non-public addresses (local and in-cluster agents). */
  GAVEL_AGENT_ALLOW_PRIVATE: booleanFlag.default('false'),
  /** Milliseconds an HTTP agent has to answer a call (its response headers) before the call fails. */
  GAVEL_AGENT_FIRST_BYTE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  /** Milliseconds an HTTP agent's answer may go without a byte (a hung agent) before the call fails. */
  GAVEL_AGENT_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  /** Bytes an HTTP agent's execute answer may have; a bid's answer may have at most 64 KiB. */
  GAVEL_AGENT_MAX_RESPONSE_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .max(1_073_741_824)
    .default(4 * 1024 * 1024),
  /** Milliseconds the bid window stays open by default. */
  GAVEL_BID_WINDOW_MS: z.coerce.number().int().min(10).max(60_000).default(300),
  /** Milliseconds one execution attempt may take before failover. */
  GAVEL_EXECUTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(60_000),
  /** Bids below this confidence are stored but never win. */
  GAVEL_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.35),
  /** Seconds a running auction job may hold its lease before another instance retries it. */
  // Renewed every third of it while its instance lives: it only bounds how long a dead instance's jobs wait.
  GAVEL_JOB_LEASE_SECONDS: z.coerce.number().int().min(2).max(86_400).default(60),
  /** How often the job engine expires stale leases. */
  GAVEL_JOB_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(30),
  /** Auctions this instance runs at once; 0 makes an API-only instance that runs none. */
  // Auctions wait on agents far more than they compute: a slow LLM reply holds a slot, not a CPU or a connection.
  GAVEL_AUCTION_CONCURRENCY: z.coerce.number().int().min(0).max(256).default(32),
  /** Seconds a session may sit idle before it expires (it can be restored). */
  GAVEL_SESSION_IDLE_S: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 86_400)
    .default(86_400),
  /** The most turns one session holds; a trigger past it is refused. */
  GAVEL_SESSION_MAX_TURNS: z.coerce.number().int().min(1).max(10_000).default(200),
  /** The most bytes of input and output one session's history holds; a trigger past it is refused. */
  GAVEL_SESSION_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  /** Tokens of conversation an LLM agent receives (oldest turns are trimmed first). */
  GAVEL_SESSION_CONTEXT_TOKENS: z.coerce.number().int().min(100).max(2_000_000).default(16_000),
  /** Bearer token a scraper must send to read `/metrics` (on whichever port serves it). */
  GAVEL_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Set: `/metrics` is served on this port of its own (`0`: any free port), and not on the public port. */
  GAVEL_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** The interface of GAVEL_METRICS_PORT; loopback unless the scraper is elsewhere. */
  GAVEL_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** Milliseconds SIGTERM waits for in-flight work before closing anyway. */
  GAVEL_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
});

type RawConfig = z.infer<typeof configSchema>;

/** Every variable the schema reads; .env.example lists each (test/config/env-example.test.ts). */
export const CONFIG_VARIABLES = Object.keys(configSchema.shape);

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

export interface Config {
  env: RawConfig['NODE_ENV'];
  port: number;
  host: string;
  database: { kind: 'postgres'; url: string } | { kind: 'embedded'; dataDir: string };
  dataDir: string;
  redisUrl?: string;
  logLevel: RawConfig['LOG_LEVEL'];
  bootstrapKey?: string;
  llm: { baseUrl: string; apiKey?: string; model?: string; timeouts: { firstByteMs: number; idleMs: number } } | null;
  webhooks: { secret?: string; allowPrivate: boolean; timeoutMs: number; retry: { limit: number; delaySeconds: number } };
  /** How often an idle REST event stream sends a comment line, so that proxies keep it open. */
  sseHeartbeatMs: number;
  wsPingMs: number;
  wsMaxBufferedBytes: number;
  agents: {
    legacySecret?: string;
    allowPrivate: boolean;
    breaker: { threshold: number; coolDownMs: number };
    timeouts: { firstByteMs: number; idleMs: number };
    maxResponseBytes: number;
  };
  files: { signingSecret?: string; quotaBytes: number; dir: string };
  publicUrl?: string;
  /** CORS: every origin (`*`, without credentials) or only these exact origins. */
  corsOrigins: '*' | string[];
  /** Seconds a minted stream token may open its stream. */
  streamTokenTtlSeconds: number;
  auction: { bidWindowMs: number; executionTimeoutMs: number; minConfidence: number; concurrency: number };
  jobs: { leaseSeconds: number; maintenanceIntervalSeconds: number };
  sessions: SessionSettings;
  /** Who may read `/metrics`, and where (see `metricsOnPublicPort`). */
  metrics: { token?: string; port?: number; host: string };
  shutdownGraceMs: number;
}

/** Sessions' bounds: idle time before expiry, turns and bytes of history, tokens of context an LLM agent gets. */
export interface SessionSettings {
  idleMs: number;
  maxTurns: number;
  maxBytes: number;
  contextTokens: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws a ConfigError listing every bad variable at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const c = parsed.data;
  if (c.GAVEL_METRICS_PORT !== undefined && c.GAVEL_METRICS_PORT !== 0 && c.GAVEL_METRICS_PORT === c.PORT) {
    throw new ConfigError(['GAVEL_METRICS_PORT: must differ from PORT (the metrics port keeps /metrics off the public one)']);
  }
  const dataDir = resolve(c.DATA_DIR);
  return {
    env: c.NODE_ENV,
    port: c.PORT,
    host: c.HOST,
    database: c.DATABASE_URL ? { kind: 'postgres', url: c.DATABASE_URL } : { kind: 'embedded', dataDir },
    dataDir,
    redisUrl: c.REDIS_URL,
    logLevel: c.LOG_LEVEL,
    bootstrapKey: c.GAVEL_BOOTSTRAP_KEY,
    llm: c.OPENAI_BASE_URL
      ? {
          baseUrl: c.OPENAI_BASE_URL,
          apiKey: c.OPENAI_API_KEY,
          model: c.GAVEL_MODEL,
          timeouts: { firstByteMs: c.GAVEL_LLM_FIRST_BYTE_TIMEOUT_MS, idleMs: c.GAVEL_LLM_IDLE_TIMEOUT_MS },
        }
      : null,
    webhooks: {
      secret: c.GAVEL_WEBHOOK_SECRET,
      allowPrivate: c.GAVEL_WEBHOOK_ALLOW_PRIVATE,
      timeoutMs: c.GAVEL_WEBHOOK_TIMEOUT_MS,
      retry: { limit: c.GAVEL_WEBHOOK_RETRIES, delaySeconds: c.GAVEL_WEBHOOK_RETRY_DELAY_S },
    },
    sseHeartbeatMs: c.GAVEL_SSE_HEARTBEAT_MS,
    wsPingMs: c.GAVEL_WS_PING_MS,
    wsMaxBufferedBytes: c.GAVEL_WS_MAX_BUFFERED_BYTES,
    agents: {
      legacySecret: c.GAVEL_AGENT_SECRET,
      allowPrivate: c.GAVEL_AGENT_ALLOW_PRIVATE,
      breaker: { threshold: c.GAVEL_BREAKER_THRESHOLD, coolDownMs: c.GAVEL_BREAKER_COOLDOWN_MS },
      timeouts: { firstByteMs: c.GAVEL_AGENT_FIRST_BYTE_TIMEOUT_MS, idleMs: c.GAVEL_AGENT_IDLE_TIMEOUT_MS },
      maxResponseBytes: c.GAVEL_AGENT_MAX_RESPONSE_BYTES,
    },
    files: { signingSecret: c.GAVEL_FILE_SIGNING_SECRET, quotaBytes: c.GAVEL_FILE_QUOTA_BYTES, dir: resolve(dataDir, 'files') },
    publicUrl: c.GAVEL_PUBLIC_URL?.replace(/\/+$/, ''),
    corsOrigins: c.GAVEL_CORS_ORIGINS,
    streamTokenTtlSeconds: c.GAVEL_STREAM_TOKEN_TTL_S,
    auction: {
      bidWindowMs: c.GAVEL_BID_WINDOW_MS,
      executionTimeoutMs: c.GAVEL_EXECUTION_TIMEOUT_MS,
      minConfidence: c.GAVEL_MIN_CONFIDENCE,
      concurrency: c.GAVEL_AUCTION_CONCURRENCY,
    },
    jobs: { leaseSeconds: c.GAVEL_JOB_LEASE_SECONDS, maintenanceIntervalSeconds: c.GAVEL_JOB_MAINTENANCE_SECONDS },
    sessions: {
      idleMs: c.GAVEL_SESSION_IDLE_S * 1000,
      maxTurns: c.GAVEL_SESSION_MAX_TURNS,
      maxBytes: c.GAVEL_SESSION_MAX_BYTES,
      contextTokens: c.GAVEL_SESSION_CONTEXT_TOKENS,
    },
    metrics: { token: c.GAVEL_METRICS_TOKEN, port: c.GAVEL_METRICS_PORT, host: c.GAVEL_METRICS_HOST },
    shutdownGraceMs: c.GAVEL_SHUTDOWN_GRACE_MS,
  };
}

/** Reads `.env` from the working directory into process.env (real env wins), if present. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
