import { Migration } from '@mikro-orm/migrations';

export class Migration20261202145948_agent_sessions extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "sessions" ("id" varchar(40) not null, "tenant_id" uuid not null, "api_key_id" uuid not null, "agent_id" uuid not null, "agent_slug" varchar(100) not null, "agent_version" varchar(32) not null, "status" text check ("status" in ('active', 'expired', 'closed')) not null, "input" jsonb null, "metadata" jsonb null, "turn_count" int not null default 0, "created_at" timestamptz not null, "last_active_at" timestamptz not null, "closed_at" timestamptz null, constraint "sessions_pkey" primary key ("id"));`);
    this.addSql(`create index "sessions_tenant_id_created_at_index" on "sessions" ("tenant_id", "created_at");`);

    this.addSql(`create table "session_turns" ("session_id" varchar(40) not null, "seq" int not null, "intent_id" int not null, "input" text not null, "trimmed_turns" int null, "context_tokens" int null, "created_at" timestamptz not null, constraint "session_turns_pkey" primary key ("session_id", "seq"));`);
    this.addSql(`alter table "session_turns" add constraint "session_turns_intent_id_unique" unique ("intent_id");`);

    this.addSql(`alter table "sessions" add constraint "sessions_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "sessions" add constraint "sessions_api_key_id_foreign" foreign key ("api_key_id") references "api_keys" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "sessions" add constraint "sessions_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "session_turns" add constraint "session_turns_session_id_foreign" foreign key ("session_id") references "sessions" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "session_turns" add constraint "session_turns_intent_id_foreign" foreign key ("intent_id") references "intents" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "intents" add column "direct_agent" varchar(100) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "session_turns" drop constraint "session_turns_session_id_foreign";`);

    this.addSql(`drop table if exists "sessions" cascade;`);

    this.addSql(`drop table if exists "session_turns" cascade;`);

    this.addSql(`alter table "intents" drop column "direct_agent";`);
  }

}
