import { Migration } from '@mikro-orm/migrations';

/**
 * The fields an operator set on an agent, so a catalog sync follows the catalog in the
 * others. Which fields earlier edits touched was not recorded: a catalog agent edited
 * before this keeps every field, as it did.
 */
export class Migration20261201170123 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "agents" add column "operator_edits" text[] null;`);
    this.addSql(`update "agents" set "operator_edits" = array['name', 'emoji', 'domain', 'skills', 'description', 'version', 'priceInputPerMTok', 'priceOutputPerMTok', 'systemPrompt', 'model', 'endpoint', 'active']
                  where "source" = 'catalog' and "edited_at" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "agents" drop column "operator_edits";`);
  }

}
