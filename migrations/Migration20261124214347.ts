import { Migration } from '@mikro-orm/migrations';

export class Migration20261124214347 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "limit_counters" ("key" varchar(200) not null, "count" int not null, "expires_at" timestamptz not null, constraint "limit_counters_pkey" primary key ("key"));`);
    this.addSql(`create index "limit_counters_expires_at_index" on "limit_counters" ("expires_at");`);

    this.addSql(`alter table "api_keys" add column "rate_limit_per_minute" int null, add column "monthly_intent_quota" int null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "limit_counters" cascade;`);

    this.addSql(`alter table "api_keys" drop column "rate_limit_per_minute", drop column "monthly_intent_quota";`);
  }

}
