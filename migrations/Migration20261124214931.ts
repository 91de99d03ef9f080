import { Migration } from '@mikro-orm/migrations';

export class Migration20261124214931 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "intents" add column "idempotency_fingerprint" varchar(64) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "intents" drop column "idempotency_fingerprint";`);
  }

}
