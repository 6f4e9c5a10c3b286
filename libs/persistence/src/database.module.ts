import { APP_INTERCEPTOR } from '@nestjs/core';
import { Global, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { LOGGER, type HealthCheck } from '@huoju/platform';
import { ping } from './database.query';
import { migrate, ormOptions, type ServiceDatabase } from './orm-options';
import { TableStatisticsKeeper } from './table-statistics';
import { TransientDatabaseRetryInterceptor } from './transient-retry';

export const SERVICE_DATABASE = Symbol('SERVICE_DATABASE');

/** Closes the pool after everything else has stopped using it. */
@Injectable()
export class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(private readonly orm: MikroORM) {}
  async onApplicationShutdown(): Promise<void> {
    await this.orm.close();
  }
}

@Injectable()
export class DatabaseHealthCheck implements HealthCheck {
  readonly name = 'database';
  constructor(private readonly orm: MikroORM) {}
  async check(): Promise<void> {
    await ping(this.orm.em.fork());
  }
}

export interface DatabaseModuleOptions {
  readonly inject?: unknown[];
  readonly useFactory: (...args: never[]) => ServiceDatabase;
}

/**
 * The service's MikroORM instance on its own schema, migrated before anything else starts.
 * Handlers use `orm.em.fork()` explicitly: there is no global or request-scoped entity manager.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: SERVICE_DATABASE, useFactory: options.useFactory, inject: (options.inject ?? []) as never[] },
        {
          provide: MikroORM,
          inject: [SERVICE_DATABASE, LOGGER],
          useFactory: async (database: ServiceDatabase, logger: Logger) => {
            const orm = await MikroORM.init(ormOptions(database));
            const applied = await migrate(orm, database.schema);
            if (applied.length > 0) logger.info({ schema: database.schema, applied }, 'migrations applied');
            return orm;
          },
        },
        DatabaseLifecycle,
        DatabaseHealthCheck,
        {
          provide: TableStatisticsKeeper,
          inject: [MikroORM, SERVICE_DATABASE, LOGGER],
          useFactory: (orm: MikroORM, database: ServiceDatabase, logger: Logger) =>
            new TableStatisticsKeeper(orm, database, logger),
        },
        { provide: APP_INTERCEPTOR, useClass: TransientDatabaseRetryInterceptor },
      ],
      exports: [MikroORM, SERVICE_DATABASE, DatabaseHealthCheck],
    };
  }
}
