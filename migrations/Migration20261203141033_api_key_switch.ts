import { Migration } from '@mikro-orm/migrations';

export class Migration20261203141033_api_key_switch extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "api_keys" add column "disabled_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "api_keys" drop column "disabled_at";`);
  }

}
