import type { EntityManager } from '@mikro-orm/postgresql';
import { run, sql, type Db } from '../../db/sql.js';
import type { IntentWebhook } from '../intents/intent.entity.js';
import { intentWebhooksPart, recentFinalWithWebhooksPart, webhookTargetsOf, type IntentWebhookTargets } from '../intents/intent.store.js';
import { WebhookDelivery, type WebhookEvent } from './webhook-delivery.entity.js';

/** Everything that reads or writes `webhook_deliveries` (the webhooks module's table). */

/** Stores a pending delivery; false when it exists already (its id is derived from what it is). */
export async function insertDelivery(
  db: Db,
  delivery: { id: string; tenantId: string; intentId: number; event: WebhookEvent; url: string; body: string },
): Promise<boolean> {
  const { rowCount } = await run(
    db,
    sql`insert into webhook_deliveries (id, tenant_id, intent_id, event, url, body, status, attempts, created_at)
           values (${delivery.id}, ${delivery.tenantId}, ${delivery.intentId}, ${delivery.event}, ${delivery.url}, ${delivery.body}, 'pending', '[]', now())
        on conflict (id) do nothing`,
  );
  return rowCount === 1;
}

/** Intents that ended in the last day with webhooks but no final delivery: the process stopped before announcing them. */
export async function unannouncedIntents(db: Db, limit: number): Promise<number[]> {
  const { rows } = await run<{ id: number }>(
    db,
    sql`select i.id from ${recentFinalWithWebhooksPart} i
        where not exists (select 1 from webhook_deliveries d where d.intent_id = i.id and d.event in ('receipt', 'execution.completed', 'execution.failed'))
        limit ${limit}::int`,
  );
  return rows.map((r) => r.id);
}

/** A delivery as an attempt needs it, with its intent's subscription (for its secret). */
export async function deliveryToSend(
  db: Db,
  id: string,
): Promise<{ url: string; body: string; event: WebhookEvent; status: string; webhook: IntentWebhook | null } | undefined> {
  const { rows } = await run(
    db,
    sql`select d.url, d.body, d.event, d.status, i.webhook from webhook_deliveries d join ${intentWebhooksPart} i on i.id = d.intent_id where d.id = ${id}::uuid`,
  );
  return rows[0];
}

/** Appends an attempt (numbered by what is stored, so manual redeliveries continue the count) and sets the status. */
export async function recordAttempt(db: Db, id: string, attempt: object, status: 'delivered' | 'failed' | 'pending'): Promise<void> {
  await run(
    db,
    sql`update webhook_deliveries
          set attempts = attempts || jsonb_build_array(jsonb_set(${JSON.stringify(attempt)}::jsonb, '{attempt}', to_jsonb(jsonb_array_length(attempts) + 1))),
              status = ${status}, delivered_at = case when ${status}::text = 'delivered' then now() else delivered_at end
        where id = ${id}::uuid`,
  );
}

/** Sets the tenant's delivery pending again; its status before, or null when there is no such delivery of the tenant. */
export async function markPending(db: Db, tenantId: string, id: string): Promise<string | null> {
  const { rows } = await run<{ was: string }>(
    db,
    sql`update webhook_deliveries d set status = 'pending'
          from (select id, status from webhook_deliveries where id = ${id}::uuid and tenant_id = ${tenantId}::uuid for update) prev
        where d.id = prev.id returning prev.status as was`,
  );
  return rows[0]?.was ?? null;
}

/** An intent's deliveries, oldest first. */
export function deliveriesOf(em: EntityManager, intentId: number): Promise<WebhookDelivery[]> {
  return em.find(WebhookDelivery, { intent: intentId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
}

export function deliveryById(em: EntityManager, id: string): Promise<WebhookDelivery> {
  return em.findOneOrFail(WebhookDelivery, { id });
}

/** What an intent's webhooks are (its URL, its Mindra subscription, its status), as the intents store reads them. */
export function targetsOfIntent(db: Db, intentId: number): Promise<IntentWebhookTargets | undefined> {
  return webhookTargetsOf(db, intentId);
}

export type { IntentWebhookTargets };
