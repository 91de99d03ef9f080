import { Migration } from '@mikro-orm/migrations';

export class Migration20261125011609 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "gateway_settings" ("key" varchar(80) not null, "value" text not null, constraint "gateway_settings_pkey" primary key ("key"));`);

    this.addSql(`create table "files" ("id" varchar(40) not null, "tenant_id" uuid not null, "intent_id" int not null, "kind" text check ("kind" in ('output', 'input')) not null, "filename" varchar(255) not null, "mime_type" varchar(255) not null, "bytes" int not null, "sha256" varchar(64) not null, "storage_key" varchar(255) not null, "created_at" timestamptz not null, constraint "files_pkey" primary key ("id"));`);
    this.addSql(`create index "files_tenant_id_index" on "files" ("tenant_id");`);
    this.addSql(`create index "files_intent_id_index" on "files" ("intent_id");`);

    this.addSql(`alter table "files" add constraint "files_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "files" add constraint "files_intent_id_foreign" foreign key ("intent_id") references "intents" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "gateway_settings" cascade;`);

    this.addSql(`drop table if exists "files" cascade;`);
  }

}
