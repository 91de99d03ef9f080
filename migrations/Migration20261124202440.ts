import { Migration } from '@mikro-orm/migrations';

export class Migration20261124202440 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "agents" ("id" uuid not null, "slug" varchar(80) not null, "name" varchar(120) not null, "emoji" varchar(16) not null, "domain" varchar(40) not null, "skills" text[] not null, "description" text not null, "version" varchar(32) not null, "kind" text check ("kind" in ('tool', 'llm', 'http')) not null, "price_input_per_mtok" double precision not null, "price_output_per_mtok" double precision not null, "tool" varchar(40) null, "system_prompt" text null, "model" varchar(80) null, "endpoint" varchar(500) null, "active" boolean not null default true, "source" text check ("source" in ('catalog', 'operator')) not null, "catalog_hash" varchar(64) null, "edited_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "agents_pkey" primary key ("id"));`);
    this.addSql(`alter table "agents" add constraint "agents_slug_unique" unique ("slug");`);
    this.addSql(`create index "agents_domain_index" on "agents" ("domain");`);

    this.addSql(`create table "tenants" ("id" uuid not null, "name" varchar(120) not null, "tier" text check ("tier" in ('free', 'pro', 'enterprise')) not null, "is_operator" boolean not null default false, "created_at" timestamptz not null, constraint "tenants_pkey" primary key ("id"));`);
    this.addSql(`alter table "tenants" add constraint "tenants_name_unique" unique ("name");`);

    this.addSql(`create table "users" ("id" serial primary key, "tenant_id" uuid not null, "name" varchar(120) not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "users_tenant_id_index" on "users" ("tenant_id");`);

    this.addSql(`create table "api_keys" ("id" uuid not null, "tenant_id" uuid not null, "user_id" int not null, "name" varchar(120) not null, "prefix" varchar(24) not null, "hash" varchar(64) not null, "scopes" text[] not null, "sandbox" boolean not null default false, "created_at" timestamptz not null, "expires_at" timestamptz null, "revoked_at" timestamptz null, "last_used_at" timestamptz null, constraint "api_keys_pkey" primary key ("id"));`);
    this.addSql(`create index "api_keys_tenant_id_index" on "api_keys" ("tenant_id");`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_hash_unique" unique ("hash");`);

    this.addSql(`create table "intents" ("id" serial primary key, "tenant_id" uuid not null, "api_key_id" uuid not null, "user_id" int not null, "text" text not null, "domain" varchar(40) null, "auction_tier" text check ("auction_tier" in ('standard', 'shield')) not null, "status" text check ("status" in ('pending', 'bidding', 'executing', 'verifying', 'completed', 'failed', 'cancelled')) not null, "sandbox" boolean not null default false, "metadata" jsonb null, "webhook_url" varchar(2000) null, "idempotency_key" varchar(255) null, "bid_window_ms" int not null, "result" text null, "error_code" varchar(40) null, "error_message" text null, "winning_agent_id" uuid null, "winning_confidence" double precision null, "winning_reasoning" text null, "attempts" jsonb not null default '[]', "promotions" int not null default 0, "input_tokens" int not null default 0, "output_tokens" int not null default 0, "cost_usd" double precision not null default 0, "created_at" timestamptz not null, "bidding_started_at" timestamptz null, "auction_closed_at" timestamptz null, "execution_started_at" timestamptz null, "completed_at" timestamptz null);`);
    this.addSql(`create index "intents_tenant_id_created_at_index" on "intents" ("tenant_id", "created_at");`);
    this.addSql(`create index "intents_status_created_at_index" on "intents" ("status", "created_at");`);
    this.addSql(`alter table "intents" add constraint "intents_tenant_id_idempotency_key_unique" unique ("tenant_id", "idempotency_key");`);

    this.addSql(`create table "bids" ("id" bigserial primary key, "intent_id" int not null, "agent_id" uuid not null, "outcome" text check ("outcome" in ('bid', 'declined', 'unavailable', 'timed_out', 'failed')) not null, "confidence" double precision null, "score" double precision null, "reasoning" text null, "estimated_cost_usd" double precision null, "latency_ms" double precision not null, "rank" int null, "eligible" boolean not null default false, "won" boolean not null default false, "created_at" timestamptz not null);`);
    this.addSql(`create index "bids_intent_id_index" on "bids" ("intent_id");`);

    this.addSql(`alter table "users" add constraint "users_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "api_keys" add constraint "api_keys_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "intents" add constraint "intents_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "intents" add constraint "intents_api_key_id_foreign" foreign key ("api_key_id") references "api_keys" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "intents" add constraint "intents_winning_agent_id_foreign" foreign key ("winning_agent_id") references "agents" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "bids" add constraint "bids_intent_id_foreign" foreign key ("intent_id") references "intents" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "bids" add constraint "bids_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "intents" drop constraint "intents_winning_agent_id_foreign";`);

    this.addSql(`alter table "bids" drop constraint "bids_agent_id_foreign";`);

    this.addSql(`alter table "users" drop constraint "users_tenant_id_foreign";`);

    this.addSql(`alter table "api_keys" drop constraint "api_keys_tenant_id_foreign";`);

    this.addSql(`alter table "intents" drop constraint "intents_tenant_id_foreign";`);

    this.addSql(`alter table "api_keys" drop constraint "api_keys_user_id_foreign";`);

    this.addSql(`alter table "intents" drop constraint "intents_api_key_id_foreign";`);

    this.addSql(`alter table "bids" drop constraint "bids_intent_id_foreign";`);

    this.addSql(`drop table if exists "agents" cascade;`);

    this.addSql(`drop table if exists "tenants" cascade;`);

    this.addSql(`drop table if exists "users" cascade;`);

    this.addSql(`drop table if exists "api_keys" cascade;`);

    this.addSql(`drop table if exists "intents" cascade;`);

    this.addSql(`drop table if exists "bids" cascade;`);
  }

}
