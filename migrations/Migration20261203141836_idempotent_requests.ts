import { Migration } from '@mikro-orm/migrations';

export class Migration20261203141836_idempotent_requests extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "idempotent_requests" ("tenant_id" uuid not null, "key" varchar(255) not null, "fingerprint" varchar(64) not null, "result" jsonb null, "secret" boolean not null default false, "created_at" timestamptz not null, constraint "idempotent_requests_pkey" primary key ("tenant_id", "key"));`);
    this.addSql(`create index "idempotent_requests_created_at_index" on "idempotent_requests" ("created_at");`);

    this.addSql(`alter table "idempotent_requests" add constraint "idempotent_requests_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "idempotent_requests" cascade;`);
  }

}
