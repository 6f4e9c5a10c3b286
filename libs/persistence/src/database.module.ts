import { APP_INTERCEPTOR } from '@nestjs/core';
import { Global, Injectable, Module, type DynamicModule } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { MikroORM, PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { LOGGER, type HealthCheck } from '@huoju/platform';
import { ping } from './database.query';
import { migrate, ormOptions, type ServiceDatabase } from './orm-options';
import { TableStatisticsKeeper } from './table-statistics';
import { TransientDatabaseRetryInterceptor } from './transient-retry';

export const SERVICE_DATABASE = Symbol('SERVICE_DATABASE');
/** Resolves once the service's schema is migrated; Nest builds every provider before any hook starts a consumer. */
export const SCHEMA_MIGRATED = Symbol('SCHEMA_MIGRATED');

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
 * The service's MikroORM on its own schema (through @mikro-orm/nestjs, which also closes it at shutdown),
 * migrated before anything else starts. Handlers use `orm.em.fork()` explicitly: there is no global or
 * request-scoped entity manager, so the library's per-request context middleware is off.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    const inject = (options.inject ?? []) as never[];
    return {
      module: DatabaseModule,
      imports: [
        MikroOrmModule.forRootAsync({
          driver: PostgreSqlDriver,
          inject,
          useFactory: (...args: unknown[]) => ({
            ...ormOptions(options.useFactory(...(args as never[]))),
            registerRequestContext: false,
          }),
        }),
      ],
      providers: [
        { provide: SERVICE_DATABASE, useFactory: options.useFactory, inject },
        {
          provide: SCHEMA_MIGRATED,
          inject: [MikroORM, SERVICE_DATABASE, LOGGER],
          useFactory: async (orm: MikroORM, database: ServiceDatabase, logger: Logger): Promise<true> => {
            const applied = await migrate(orm, database.schema);
            if (applied.length > 0) logger.info({ schema: database.schema, applied }, 'migrations applied');
            return true;
          },
        },
        DatabaseHealthCheck,
        {
          provide: TableStatisticsKeeper,
          inject: [MikroORM, SERVICE_DATABASE, LOGGER, SCHEMA_MIGRATED],
          useFactory: (orm: MikroORM, database: ServiceDatabase, logger: Logger) =>
            new TableStatisticsKeeper(orm, database, logger),
        },
        { provide: APP_INTERCEPTOR, useClass: TransientDatabaseRetryInterceptor },
      ],
      exports: [SERVICE_DATABASE, SCHEMA_MIGRATED, DatabaseHealthCheck],
    };
  }
}
