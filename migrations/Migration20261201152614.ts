import { Migration } from '@mikro-orm/migrations';

/**
 * Bids are keyed by (intent_id, seq) instead of a serial id plus an intent_id index: an
 * auction's 201 inserts then maintain one index, not two, and draw no sequence values.
 * Rows stored before bids were events have no seq: they are numbered below zero, in the
 * order they were stored, so they sort before every event of their intent.
 */
export class Migration20261201152614 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`update "bids" b set "seq" = -n.pos
                   from (select "id", row_number() over (partition by "intent_id" order by "id" desc) as pos from "bids" where "seq" is null) n
                  where b."id" = n."id";`);
    this.addSql(`drop index "bids_intent_id_index";`);
    this.addSql(`alter table "bids" drop constraint "bids_pkey";`);
    this.addSql(`alter table "bids" drop column "id";`);
    this.addSql(`alter table "bids" alter column "seq" set not null;`);
    this.addSql(`alter table "bids" add constraint "bids_pkey" primary key ("intent_id", "seq");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "bids" drop constraint "bids_pkey";`);
    this.addSql(`alter table "bids" add column "id" bigserial;`);
    this.addSql(`alter table "bids" alter column "seq" drop not null;`);
    this.addSql(`create index "bids_intent_id_index" on "bids" ("intent_id");`);
    this.addSql(`alter table "bids" add constraint "bids_pkey" primary key ("id");`);
  }
}
