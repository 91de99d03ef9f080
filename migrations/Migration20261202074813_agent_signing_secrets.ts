import { Migration } from '@mikro-orm/migrations';

/**
 * Each HTTP agent's own signing secret (and the one it replaced, for a rotation's grace
 * window). Existing rows stay null: they keep signing with GAVEL_AGENT_SECRET, which their
 * agents verify today, until an operator rotates them; a secret generated here could not
 * be read by anyone, and every existing agent would refuse the gateway's calls at once.
 */
export class Migration20261202074813_agent_signing_secrets extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "agents" add column "signing_secret" varchar(80) null, add column "previous_signing_secret" varchar(80) null, add column "previous_secret_expires_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "agents" drop column "signing_secret", drop column "previous_signing_secret", drop column "previous_secret_expires_at";`);
  }

}
