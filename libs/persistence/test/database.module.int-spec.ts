import { Injectable, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Migration } from '@mikro-orm/migrations';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import pino from 'pino';
import { LoggingModule } from '@huoju/platform';
import { cleanUpNamespace, infrastructureUrls, testNamespace } from '@huoju/testing';
import { DatabaseHealthCheck, DatabaseModule } from '../src';

class Migration00000000000001Counter extends Migration {
  override up(): void {
    this.addSql('CREATE TABLE counter (id int PRIMARY KEY)');
  }
}

/** Stands for a consumer or relay: it reads the schema as soon as the application starts. */
@Injectable()
class ReadsAtBootstrap implements OnApplicationBootstrap {
  rows?: number;
  constructor(private readonly orm: MikroORM) {}
  async onApplicationBootstrap(): Promise<void> {
    const rows = await this.orm.em.fork().getConnection().execute<unknown[]>('SELECT * FROM counter');
    this.rows = rows.length;
  }
}

describe(DatabaseModule.name, () => {
  const namespace = testNamespace('dbmodule');
  const schema = `dbmoduletest_${namespace}`;

  afterAll(() => cleanUpNamespace(namespace, ['dbmoduletest']));

  it('migrates the service schema before any hook runs, serves the driver’s ORM and closes the pool at shutdown', async () => {
    @Module({
      imports: [
        LoggingModule.forRoot(pino({ level: 'silent' })),
        DatabaseModule.forRoot({
          useFactory: () => ({
            databaseUrl: infrastructureUrls().databaseUrl,
            schema,
            entities: [],
            migrations: [Migration00000000000001Counter],
          }),
        }),
      ],
      providers: [ReadsAtBootstrap],
    })
    class ServiceModule {}

    const app = await NestFactory.createApplicationContext(ServiceModule, { logger: false });

    const sut = app.get(MikroORM);
    expect(app.get(ReadsAtBootstrap).rows).toBe(0);
    expect(sut.config.get('schema')).toBe(schema);
    expect(app.get(EntityManager)).toBe(sut.em);
    await expect(app.get(DatabaseHealthCheck).check()).resolves.toBeUndefined();

    await app.close();
    expect(await sut.isConnected()).toBe(false);
  });
});
