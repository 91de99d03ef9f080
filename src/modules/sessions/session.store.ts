import { run, sql, type Db, type Sql } from '../../db/sql.js';
import { intentOutcomesPart } from '../intents/intent.store.js';

/**
 * All SQL on `sessions` and `session_turns`. A turn's outcome is its intent's: reads join
 * the intents store's `intentOutcomesPart` for it (status, result, receipt) rather than
 * copying it, so a turn can never disagree with the intent that answered it.
 */

export interface NewSessionRow {
  id: string;
  tenantId: string;
  apiKeyId: string;
  agentId: string;
  agentSlug: string;
  agentVersion: string;
  input: string | null;
  metadata: string | null;
}

export async function insertSession(db: Db, row: NewSessionRow): Promise<Record<string, any>> {
  const { rows } = await run(
    db,
    sql`insert into sessions (id, tenant_id, api_key_id, agent_id, agent_slug, agent_version, status, input, metadata, turn_count, created_at, last_active_at)
        values (${row.id}, ${row.tenantId}::uuid, ${row.apiKeyId}::uuid, ${row.agentId}::uuid, ${row.agentSlug}, ${row.agentVersion}, 'active',
                ${row.input}::jsonb, ${row.metadata}::jsonb, 0, now(), now())
        returning *`,
  );
  return rows[0]!;
}

/** The tenant's session (another tenant's is as missing as a missing one), with its history's size. */
export async function sessionRow(db: Db, id: string, tenantId: string): Promise<Record<string, any> | undefined> {
  const { rows } = await run(
    db,
    sql`select s.*,
               (select coalesce(sum(octet_length(t.input) + octet_length(coalesce(i.result, ''))), 0)::int
                  from session_turns t join ${intentOutcomesPart} i on i.id = t.intent_id where t.session_id = s.id) as history_bytes,
               (select i.status from session_turns t join ${intentOutcomesPart} i on i.id = t.intent_id
                 where t.session_id = s.id order by t.seq desc limit 1) as last_turn_status
          from sessions s where s.id = ${id} and s.tenant_id = ${tenantId}::uuid`,
  );
  return rows[0];
}

export async function listSessions(db: Db, tenantId: string, limit: number, offset: number): Promise<{ rows: Record<string, any>[]; total: number }> {
  const [page, count] = await Promise.all([
    run(db, sql`select * from sessions where tenant_id = ${tenantId}::uuid order by created_at desc, id desc limit ${limit}::int offset ${offset}::int`),
    run<{ n: number }>(db, sql`select count(*)::int as n from sessions where tenant_id = ${tenantId}::uuid`),
  ]);
  return { rows: page.rows, total: count.rows[0]!.n };
}

const TURN_COLUMNS = sql`t.session_id, t.seq, t.intent_id, t.input, t.trimmed_turns, t.context_tokens, t.created_at,
  i.status, i.result, i.error_code, i.error_message, i.input_tokens, i.output_tokens, i.cost_usd, i.execution_started_at, i.completed_at`;

/** The session's turns, oldest first, each with its intent's outcome. */
export async function turnsOf(db: Db, sessionId: string): Promise<Record<string, any>[]> {
  const { rows } = await run(
    db,
    sql`select ${TURN_COLUMNS} from session_turns t join ${intentOutcomesPart} i on i.id = t.intent_id where t.session_id = ${sessionId} order by t.seq`,
  );
  return rows;
}

export async function turnRow(db: Db, sessionId: string, seq: number): Promise<Record<string, any> | undefined> {
  const { rows } = await run(
    db,
    sql`select ${TURN_COLUMNS} from session_turns t join ${intentOutcomesPart} i on i.id = t.intent_id where t.session_id = ${sessionId} and t.seq = ${seq}::int`,
  );
  return rows[0];
}

/**
 * The next turn and the session's count, written in the statement that stores the turn's
 * intent (`intent` is its CTE): both or neither. A second trigger for the same `seq` fails
 * on the turns' key, and the intent is not stored either.
 */
export function turnParts(sessionId: string, seq: number, input: string): Sql[] {
  return [
    sql`insert into session_turns (session_id, seq, intent_id, input, created_at) select ${sessionId}, ${seq}::int, intent.id, ${input}, now() from intent`,
    sql`update sessions set turn_count = ${seq}::int, last_active_at = now() where id = ${sessionId}`,
  ];
}

/** Whether a failed insert was another trigger taking the same turn first. */
export function isTurnTaken(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string };
  return e?.code === '23505' && e.constraint === 'session_turns_pkey';
}

/** Moves the session to `status` if it is in one of `from`; the row as it is then, or undefined. */
export async function setStatus(db: Db, id: string, tenantId: string, status: string, from: string[]): Promise<Record<string, any> | undefined> {
  const { rows } = await run(
    db,
    sql`update sessions set status = ${status},
               closed_at = case when ${status} = 'closed' then now() else closed_at end,
               last_active_at = case when ${status} = 'active' then now() else last_active_at end
         where id = ${id} and tenant_id = ${tenantId}::uuid and status = any(${from}::text[])
         returning *`,
  );
  return rows[0];
}

/** The turn an intent answers, and the completed turns before it (oldest first): what the agent is to receive. */
export async function conversationBefore(
  db: Db,
  intentId: number,
): Promise<{ sessionId: string; seq: number; earlier: Array<{ input: string; result: string }> } | undefined> {
  const { rows: turn } = await run(db, sql`select session_id, seq from session_turns where intent_id = ${intentId}::int`);
  if (!turn[0]) return undefined;
  const { rows } = await run<{ input: string; result: string }>(
    db,
    sql`select t.input, i.result from session_turns t join ${intentOutcomesPart} i on i.id = t.intent_id
         where t.session_id = ${turn[0].session_id} and t.seq < ${turn[0].seq}::int and i.status = 'completed' and i.result is not null
         order by t.seq`,
  );
  return { sessionId: turn[0].session_id, seq: turn[0].seq, earlier: rows };
}

/** Records how much of the conversation the turn's agent received. */
export async function recordTrim(db: Db, sessionId: string, seq: number, trimmedTurns: number, contextTokens: number): Promise<void> {
  await run(
    db,
    sql`update session_turns set trimmed_turns = ${trimmedTurns}::int, context_tokens = ${contextTokens}::int where session_id = ${sessionId} and seq = ${seq}::int`,
  );
}
