import { Migration } from '@mikro-orm/migrations';

export class Migration20261203150629_api_key_daily_ceiling extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "api_keys" add column "rate_limit_per_day" int null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "api_keys" drop column "rate_limit_per_day";`);
  }

}
