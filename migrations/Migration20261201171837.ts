import { Migration } from '@mikro-orm/migrations';

/** The winner as it was when it delivered, so an edited agent does not rewrite past receipts. */
export class Migration20261201171837 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "intents" add column "winning_agent_profile" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "intents" drop column "winning_agent_profile";`);
  }

}
