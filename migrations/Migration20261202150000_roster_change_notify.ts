import { Migration } from '@mikro-orm/migrations';

/**
 * Every statement that changes `agents` (the admin fields, the CLI's secret rotation, a
 * catalog sync, an operator's SQL) notifies `gavel_roster` when it commits, so every
 * instance reloads its roster at once. A trigger, not a NOTIFY in each caller: nothing
 * that writes the table can forget it, and it costs nothing on the hot path, which
 * never writes `agents`. Once per statement, with no payload: listeners reload it all.
 */
export class Migration20261202150000_roster_change_notify extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create function gavel_roster_changed() returns trigger language plpgsql as $$ begin perform pg_notify('gavel_roster', ''); return null; end $$;`);
    this.addSql(`create trigger agents_roster_changed after insert or update or delete or truncate on "agents" for each statement execute function gavel_roster_changed();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists agents_roster_changed on "agents";`);
    this.addSql(`drop function if exists gavel_roster_changed();`);
  }

}
