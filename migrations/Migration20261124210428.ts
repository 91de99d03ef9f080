import { Migration } from '@mikro-orm/migrations';

export class Migration20261124210428 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "intent_events" ("id" bigserial primary key, "intent_id" int not null, "tenant_id" uuid not null, "seq" int not null, "type" varchar(32) not null, "payload" jsonb not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "intent_events_tenant_id_created_at_index" on "intent_events" ("tenant_id", "created_at");`);
    this.addSql(`alter table "intent_events" add constraint "intent_events_intent_id_seq_unique" unique ("intent_id", "seq");`);

    this.addSql(`alter table "intents" add column "event_seq" int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "intent_events" cascade;`);

    this.addSql(`alter table "intents" drop column "event_seq";`);
  }

}
