import type pg from 'pg';
import type { SessionSettings } from '../../config/config.js';
import { AppError, invalid, notFound } from '../../errors/app-error.js';
import { randomBase62 } from '../../lib/random.js';
import type { AgentKind, AgentProfile, AgentRegistry, ChatMessage } from '../agents/index.js';
import { countTokens } from '../agents/index.js';
import type { IntentService } from '../intents/index.js';
import type { AuthInfo } from '../keys/index.js';
import { trimToContext } from './history.js';
import type { SessionStatus } from './session.entity.js';
import * as store from './session.store.js';

const FINAL = ['completed', 'failed', 'cancelled'];
const MAX_JSON_BYTES = 16_384;

export interface SessionView {
  id: string;
  agentId: string;
  agentSlug: string;
  agentVersion: string;
  /** The agent's kind now (null once it is no longer in the roster). */
  agentKind: AgentKind | null;
  status: SessionStatus;
  input: Record<string, unknown> | null;
  metadata: Record<string, unknown> | null;
  turnCount: number;
  createdAt: Date;
  lastActiveAt: Date;
  closedAt: Date | null;
  expiresAt: Date | null;
}

export type TurnStatus = 'pending' | 'bidding' | 'executing' | 'verifying' | 'completed' | 'failed' | 'cancelled';

export interface TurnView {
  sessionId: string;
  seq: number;
  intentId: string;
  input: string;
  status: TurnStatus;
  output: string | null;
  error: { code: string; message: string } | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  durationMs: number | null;
  trimmedTurns: number | null;
  contextTokens: number | null;
  createdAt: Date;
  completedAt: Date | null;
}

/**
 * Sessions: a conversation with one agent, one turn at a time. A turn is an intent run on
 * the session's agent with no auction (`IntentService.submit` with a direct call), stored
 * in the intent's own statement, so quota, rate, wallet hold, charging, receipt and the
 * event log are the intent's; the session adds order, bounds and the conversation.
 */
export class SessionService {
  constructor(
    private readonly pool: pg.Pool,
    private readonly registry: AgentRegistry,
    private readonly intents: IntentService,
    private readonly settings: SessionSettings,
  ) {}

  async create(auth: AuthInfo, agentId: string, input?: unknown, metadata?: unknown): Promise<SessionView> {
    const entry = this.registry.entry(agentId) ?? this.registry.roster().find((e) => e.agent.id === agentId);
    if (!entry) throw notFound('Agent');
    const row = await store.insertSession(this.pool, {
      id: `ses_${randomBase62(20)}`,
      tenantId: auth.tenantId,
      apiKeyId: auth.keyId,
      agentId: entry.agent.id,
      agentSlug: entry.profile.slug,
      agentVersion: entry.profile.version,
      input: jsonObject(input, 'input'),
      metadata: jsonObject(metadata, 'metadata'),
    });
    return this.view(row);
  }

  async get(auth: AuthInfo, id: string): Promise<SessionView> {
    return this.view(await this.row(auth, id));
  }

  async list(auth: AuthInfo, page: { limit: number; offset: number }): Promise<{ items: SessionView[]; total: number }> {
    const { rows, total } = await store.listSessions(this.pool, auth.tenantId, page.limit, page.offset);
    return { items: rows.map((r) => this.view(r)), total };
  }

  async turns(auth: AuthInfo, id: string): Promise<TurnView[]> {
    await this.row(auth, id);
    return (await store.turnsOf(this.pool, id)).map(turnView);
  }

  async turn(auth: AuthInfo, id: string, seq: number): Promise<TurnView> {
    await this.row(auth, id);
    const row = await store.turnRow(this.pool, id, seq);
    if (!row) throw notFound('Turn');
    return turnView(row);
  }

  /**
   * Starts the next turn: refused (409) while the previous one runs, on a session that is
   * not active, or past its bounds. With `waitMs`, answers once the turn is final (or the
   * wait is over); the turn goes on whatever the caller does meanwhile.
   */
  async trigger(auth: AuthInfo, id: string, text: string, waitMs = 0): Promise<TurnView> {
    const row = await this.row(auth, id);
    const session = this.view(row);
    if (session.status !== 'active') {
      throw new AppError('CONFLICT', session.status === 'expired' ? `Session ${id} expired; restore it to go on` : `Session ${id} is closed`);
    }
    if (row.last_turn_status && !FINAL.includes(row.last_turn_status)) {
      throw new AppError('CONFLICT', `Session ${id} is still running its turn ${row.turn_count}; wait for it or cancel it`);
    }
    if (row.turn_count >= this.settings.maxTurns) throw new AppError('CONFLICT', `Session ${id} holds its ${this.settings.maxTurns} turns; begin another`);
    if (row.history_bytes + Buffer.byteLength(text) > this.settings.maxBytes) {
      throw new AppError('CONFLICT', `Session ${id} would hold more than ${this.settings.maxBytes} bytes of history; begin another`);
    }
    const seq = row.turn_count + 1;
    try {
      await this.intents.submit(auth, { text }, 0, { agent: row.agent_slug, also: store.turnParts(id, seq, text) });
    } catch (error) {
      if (store.isTurnTaken(error)) throw new AppError('CONFLICT', `Session ${id} is already running a turn`);
      throw error;
    }
    const turn = await this.turn(auth, id, seq);
    if (waitMs > 0) await this.intents.waitForCompletion(auth, turn.intentId, waitMs);
    return waitMs > 0 ? this.turn(auth, id, seq) : turn;
  }

  /** Cancels the running turn (its intent); the session stays active. */
  async cancelTurn(auth: AuthInfo, id: string): Promise<TurnView> {
    const row = await this.row(auth, id);
    if (!row.last_turn_status || FINAL.includes(row.last_turn_status)) throw new AppError('CONFLICT', `Session ${id} has no running turn`);
    const turn = await this.turn(auth, id, row.turn_count);
    await this.intents.cancel(auth, turn.intentId).catch((error: unknown) => {
      // Finished meanwhile: the turn is reported as it ended.
      if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error;
    });
    return this.turn(auth, id, row.turn_count);
  }

  async close(auth: AuthInfo, id: string): Promise<SessionView> {
    await this.row(auth, id);
    const row = await store.setStatus(this.pool, id, auth.tenantId, 'closed', ['active', 'expired']);
    if (!row) throw new AppError('CONFLICT', `Session ${id} is already closed`);
    return this.view(row);
  }

  /** An expired session back to active (Octavus's restore); an active one is answered as it is. */
  async restore(auth: AuthInfo, id: string): Promise<SessionView> {
    const session = await this.get(auth, id);
    if (session.status === 'closed') throw new AppError('CONFLICT', `Session ${id} is closed and cannot be restored`);
    if (session.status === 'active') return session;
    const row = await store.setStatus(this.pool, id, auth.tenantId, 'active', ['active', 'expired']);
    if (!row) throw new AppError('CONFLICT', `Session ${id} is closed and cannot be restored`);
    return this.view(row);
  }

  /**
   * What the agent of a session's turn receives: the completed turns before it, trimmed
   * (oldest first) to the context left after the system prompt and the turn's own text.
   * The trim is recorded on the turn. Undefined for an intent that is no turn.
   */
  async historyOf(intentId: number, agent: AgentProfile, text: string): Promise<ChatMessage[] | undefined> {
    const found = await store.conversationBefore(this.pool, intentId);
    if (!found) return undefined;
    const budget = this.settings.contextTokens - countTokens(agent.systemPrompt ?? '') - countTokens(text);
    const trimmed = trimToContext(found.earlier, Math.max(0, budget));
    await store.recordTrim(this.pool, found.sessionId, found.seq, trimmed.trimmedTurns, trimmed.tokens);
    return trimmed.messages;
  }

  private async row(auth: AuthInfo, id: string): Promise<Record<string, any>> {
    const row = await store.sessionRow(this.pool, id, auth.tenantId);
    if (!row) throw notFound('Session');
    return row;
  }

  private view(row: Record<string, any>): SessionView {
    const lastActiveAt = new Date(row.last_active_at);
    const expiresAt = row.status === 'active' ? new Date(lastActiveAt.getTime() + this.settings.idleMs) : null;
    // Expiry is read, not swept: an idle active session is expired from the moment its time is up.
    const status: SessionStatus = row.status === 'active' && expiresAt!.getTime() <= Date.now() ? 'expired' : row.status;
    return {
      id: row.id,
      agentId: row.agent_id,
      agentSlug: row.agent_slug,
      agentVersion: row.agent_version,
      agentKind: this.registry.entry(row.agent_slug)?.profile.kind ?? null,
      status,
      input: row.input ?? null,
      metadata: row.metadata ?? null,
      turnCount: row.turn_count,
      createdAt: new Date(row.created_at),
      lastActiveAt,
      closedAt: row.closed_at ? new Date(row.closed_at) : null,
      expiresAt: status === 'active' ? expiresAt : null,
    };
  }
}

function turnView(row: Record<string, any>): TurnView {
  const started = row.execution_started_at ? new Date(row.execution_started_at).getTime() : null;
  const completedAt = row.completed_at ? new Date(row.completed_at) : null;
  return {
    sessionId: row.session_id,
    seq: row.seq,
    intentId: String(row.intent_id),
    input: row.input,
    status: row.status,
    output: row.result ?? null,
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    costUsd: Number(row.cost_usd),
    durationMs: completedAt ? completedAt.getTime() - (started ?? new Date(row.created_at).getTime()) : null,
    trimmedTurns: row.trimmed_turns,
    contextTokens: row.context_tokens,
    createdAt: new Date(row.created_at),
    completedAt,
  };
}

/** A JSON object of bounded size, as stored; null when absent. */
function jsonObject(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(`${field} must be a JSON object`, field);
  const text = JSON.stringify(value);
  if (Buffer.byteLength(text) > MAX_JSON_BYTES) throw invalid(`${field} must be at most ${MAX_JSON_BYTES} bytes of JSON`, field);
  return text;
}
