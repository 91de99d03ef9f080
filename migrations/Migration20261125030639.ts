import { Migration } from '@mikro-orm/migrations';

export class Migration20261125030639 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "intent_events" drop constraint "intent_events_intent_id_seq_unique";`);
    this.addSql(`drop index "intent_events_tenant_id_created_at_index";`);
    this.addSql(`alter table "intent_events" drop constraint "intent_events_pkey";`);
    this.addSql(`alter table "intent_events" drop column "id";`);

    this.addSql(`alter table "intent_events" add constraint "intent_events_pkey" primary key ("intent_id", "seq");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "intent_events" drop constraint "intent_events_pkey";`);

    this.addSql(`alter table "intent_events" add column "id" bigserial;`);
    this.addSql(`alter table "intent_events" add constraint "intent_events_intent_id_seq_unique" unique ("intent_id", "seq");`);
    this.addSql(`create index "intent_events_tenant_id_created_at_index" on "intent_events" ("tenant_id", "created_at");`);
    this.addSql(`alter table "intent_events" add constraint "intent_events_pkey" primary key ("id");`);
  }

}
