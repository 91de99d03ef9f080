import { Migration } from '@mikro-orm/migrations';

/**
 * Agents' bids and wins, folded in from `bids` as intents finish, so a win rate is read
 * from one row instead of counted over every bid the agent ever made. The intents that
 * already finished are folded in here; the others are as they end.
 */
export class Migration20261201165849 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "agent_stats" ("agent_id" uuid not null, "bids" bigint not null default 0, "wins" bigint not null default 0, constraint "agent_stats_pkey" primary key ("agent_id"));`);

    this.addSql(`create table "agent_stats_backlog" ("intent_id" int not null, constraint "agent_stats_backlog_pkey" primary key ("intent_id"));`);

    this.addSql(`alter table "agent_stats_backlog" add constraint "agent_stats_backlog_intent_id_foreign" foreign key ("intent_id") references "intents" ("id") on update cascade on delete cascade;`);

    this.addSql(`insert into "agent_stats" ("agent_id", "bids", "wins")
                 select b."agent_id", count(*) filter (where b."outcome" = 'bid'), count(*) filter (where b."won")
                   from "bids" b join "intents" i on i."id" = b."intent_id"
                  where i."status" in ('completed', 'failed', 'cancelled')
                  group by b."agent_id";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "agent_stats" cascade;`);

    this.addSql(`drop table if exists "agent_stats_backlog" cascade;`);
  }

}
