import { Migration } from '@mikro-orm/migrations';

export class Migration20261125021645 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "bids" drop constraint "bids_agent_id_foreign";`);
    this.addSql(`alter table "bids" drop constraint "bids_intent_id_foreign";`);

    this.addSql(`alter table "bids" add column "seq" int null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "bids" drop column "seq";`);

    this.addSql(`alter table "bids" add constraint "bids_agent_id_foreign" foreign key ("agent_id") references "agents" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "bids" add constraint "bids_intent_id_foreign" foreign key ("intent_id") references "intents" ("id") on update cascade on delete cascade;`);
  }

}
