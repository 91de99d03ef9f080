import { writeMigrationIndex } from '../../scripts/index-migrations.js';
import { UsageError } from './args.js';
import { dbOf, type CliCommand } from './context.js';

export const migrateCommands: CliCommand[] = [
  {
    name: 'migrate',
    summary: 'apply pending migrations',
    database: { migrate: false },
    async run(_call, context) {
      const applied = await dbOf(context).orm.getMigrator().up();
      console.log(applied.length ? `Applied ${applied.map((m) => m.name).join(', ')}` : 'Database is up to date');
      return 0;
    },
  },
  {
    name: 'migrate create',
    summary: 'generate a migration from entity changes',
    options: { name: { type: 'string', value: 'what_it_does', description: 'lowercase letters, digits and _' } },
    database: { migrate: false },
    async run(call, context) {
      // A migration says what it does in its file name (Migration<timestamp>_<name>.ts).
      const name = call.values.name as string | undefined;
      if (!name || !/^[a-z][a-z0-9_]{2,60}$/.test(name)) throw new UsageError('migrate create needs --name what_it_does (lowercase letters, digits and _)');
      const migrator = dbOf(context).orm.getMigrator();
      await migrator.up();
      const result = await migrator.createMigration(undefined, false, false, name);
      if (result.fileName) writeMigrationIndex();
      console.log(result.fileName ? `Created migrations/${result.fileName}` : 'No changes: entities match the migrations');
      return 0;
    },
  },
  {
    name: 'migrate check',
    summary: 'exit 1 when entities and migrations disagree',
    database: { migrate: false },
    async run(_call, context) {
      const migrator = dbOf(context).orm.getMigrator();
      await migrator.up();
      const needed = await migrator.checkMigrationNeeded();
      console.log(needed ? 'Entities and migrations disagree: run `npm run migrate:create -- --name what_it_does`' : 'Migrations are up to date');
      return needed ? 1 : 0;
    },
  },
];
