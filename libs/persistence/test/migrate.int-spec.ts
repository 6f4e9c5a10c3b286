import { Migration } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { cleanUpNamespace, infrastructureUrls, testNamespace } from '@huoju/testing';
import { migrate, ormOptions } from '../src';

let runs = 0;

/** Not idempotent on purpose: applied twice, it fails (the table exists). */
class Migration00000000000001CreateOnce extends Migration {
  override up(): void {
    runs++;
    this.addSql('CREATE TABLE created_once (id int PRIMARY KEY)');
    this.addSql('SELECT pg_sleep(0.3)');
  }
}

describe(migrate.name, () => {
  const namespace = testNamespace('migrate');
  const schema = `migratetest_${namespace}`;
  const orms: MikroORM[] = [];

  afterAll(async () => {
    await Promise.all(orms.map((orm) => orm.close()));
    await cleanUpNamespace(namespace, ['migratetest']);
  });

  it('applies each migration once when several instances start at the same moment', async () => {
    for (let i = 0; i < 3; i++) {
      orms.push(
        await MikroORM.init(
          ormOptions({
            databaseUrl: infrastructureUrls().databaseUrl,
            schema,
            entities: [],
            migrations: [Migration00000000000001CreateOnce],
          }),
        ),
      );
    }
    const applied = await Promise.all(orms.map((orm) => migrate(orm, schema)));
    expect(applied.flat()).toEqual(['Migration00000000000001CreateOnce']);
    expect(runs).toBe(1);
  });
});
