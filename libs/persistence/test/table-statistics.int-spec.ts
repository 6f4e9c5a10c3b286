import { MikroORM } from '@mikro-orm/postgresql';
import pino from 'pino';
import { cleanUpNamespace, infrastructureUrls, testNamespace } from '@huoju/testing';
import { Migration } from '@mikro-orm/migrations';
import { TableStatisticsKeeper, migrate, ormOptions, tablesNeedingCare, type ServiceDatabase } from '../src';

class Migration00000000000001Measured extends Migration {
  override up(): void {
    this.addSql('CREATE TABLE measured (id int PRIMARY KEY, park text NOT NULL)');
  }
}

describe(TableStatisticsKeeper.name, () => {
  const namespace = testNamespace('tablestats');
  const database: ServiceDatabase = {
    databaseUrl: infrastructureUrls().databaseUrl,
    schema: `tablestatstest_${namespace}`,
    entities: [],
    migrations: [Migration00000000000001Measured],
  };
  let orm: MikroORM;

  beforeAll(async () => {
    orm = await MikroORM.init(ormOptions(database));
    await migrate(orm, database.schema);
  });

  afterAll(async () => {
    await orm.close();
    await cleanUpNamespace(namespace, ['tablestatstest']);
  });

  const lastAnalyze = async () => {
    const [row] = await orm.em
      .getConnection()
      .execute<
        { last_analyze: Date | null; n_mod_since_analyze: string }[]
      >(`SELECT last_analyze, n_mod_since_analyze FROM pg_stat_user_tables WHERE schemaname = ? AND relname = 'measured'`, [database.schema]);
    return row!;
  };

  it('finds a table that grew past the threshold and, where autovacuum is off, analyzes it', async () => {
    await orm.em
      .getConnection()
      .execute(`INSERT INTO measured SELECT i, 'P' || (i % 20) FROM generate_series(1, 5000) i`);
    // The statistics collector reports changes asynchronously; wait until it has seen the inserts.
    for (let i = 0; i < 50 && Number((await lastAnalyze()).n_mod_since_analyze) < 5000; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));

    const care = await tablesNeedingCare(orm, database.schema);
    expect(care.tables).toEqual([{ table: 'measured', analyze: true, vacuum: false }]);

    await new TableStatisticsKeeper(orm, database, pino({ level: 'silent' })).tick();
    const after = await lastAnalyze();
    if (care.autovacuum) {
      // Autovacuum keeps the statistics itself: the keeper leaves the table alone.
      expect(after.last_analyze).toBeNull();
    } else {
      expect(after.last_analyze).not.toBeNull();
      expect(Number(after.n_mod_since_analyze)).toBe(0);
      expect((await tablesNeedingCare(orm, database.schema)).tables).toEqual([]);
    }
  });
});
