import { Migration } from '@mikro-orm/migrations';

export class Migration20261125002257 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "batches" ("id" varchar(40) not null, "tenant_id" uuid not null, "api_key_id" uuid not null, "webhook_url" varchar(2000) null, "webhook" jsonb null, "submitted" int not null, "created_at" timestamptz not null, constraint "batches_pkey" primary key ("id"));`);
    this.addSql(`create index "batches_tenant_id_index" on "batches" ("tenant_id");`);

    this.addSql(`create table "wallet_transactions" ("id" bigserial primary key, "tenant_id" uuid not null, "kind" text check ("kind" in ('top_up', 'charge', 'adjustment')) not null, "amount_micros" bigint not null, "balance_after_micros" bigint not null, "intent_id" int null, "note" text null, "created_at" timestamptz not null);`);
    this.addSql(`alter table "wallet_transactions" add constraint "wallet_transactions_intent_id_unique" unique ("intent_id");`);
    this.addSql(`create index "wallet_transactions_tenant_id_created_at_index" on "wallet_transactions" ("tenant_id", "created_at");`);

    this.addSql(`create table "webhook_deliveries" ("id" uuid not null, "tenant_id" uuid not null, "intent_id" int not null, "event" varchar(40) not null, "url" varchar(2000) not null, "body" text not null, "status" text check ("status" in ('pending', 'delivered', 'failed')) not null, "attempts" jsonb not null default '[]', "created_at" timestamptz not null, "delivered_at" timestamptz null, constraint "webhook_deliveries_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_deliveries_intent_id_index" on "webhook_deliveries" ("intent_id");`);

    this.addSql(`alter table "batches" add constraint "batches_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "batches" add constraint "batches_api_key_id_foreign" foreign key ("api_key_id") references "api_keys" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "wallet_transactions" add constraint "wallet_transactions_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "wallet_transactions" add constraint "wallet_transactions_intent_id_foreign" foreign key ("intent_id") references "intents" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "webhook_deliveries" add constraint "webhook_deliveries_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "webhook_deliveries" add constraint "webhook_deliveries_intent_id_foreign" foreign key ("intent_id") references "intents" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "tenants" add column "prepaid" boolean not null default false, add column "balance_micros" bigint not null default 0, add column "held_micros" bigint not null default 0;`);

    this.addSql(`alter table "intents" add column "webhook" jsonb null, add column "batch_id" varchar(40) null, add column "hold_micros" bigint not null default 0;`);
    this.addSql(`alter table "intents" add constraint "intents_batch_id_foreign" foreign key ("batch_id") references "batches" ("id") on update cascade on delete set null;`);
    this.addSql(`create index "intents_batch_id_index" on "intents" ("batch_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "intents" drop constraint "intents_batch_id_foreign";`);

    this.addSql(`drop table if exists "batches" cascade;`);

    this.addSql(`drop table if exists "wallet_transactions" cascade;`);

    this.addSql(`drop table if exists "webhook_deliveries" cascade;`);

    this.addSql(`drop index "intents_batch_id_index";`);
    this.addSql(`alter table "intents" drop column "webhook", drop column "batch_id", drop column "hold_micros";`);

    this.addSql(`alter table "tenants" drop column "prepaid", drop column "balance_micros", drop column "held_micros";`);
  }

}
