import { Migration } from '@mikro-orm/migrations';

export class Migration20261203143032_intent_selection extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "intents" add column "selection" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "intents" drop column "selection";`);
  }

}
