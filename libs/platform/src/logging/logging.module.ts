import { Global, Module, RequestMethod, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { requestLogging } from './request-logging';

export const LOGGER = Symbol('LOGGER');

/** Makes the service's pino logger injectable everywhere as LOGGER, and logs each HTTP request with it (nestjs-pino). */
@Global()
@Module({})
export class LoggingModule {
  static forRoot(logger: Logger): DynamicModule {
    return {
      module: LoggingModule,
      // nestjs-pino's default route ('{/*splat}') matches nothing on Nest 12's Fastify adapter; '*path' matches all.
      imports: [
        LoggerModule.forRoot({
          pinoHttp: requestLogging(logger),
          forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
        }),
      ],
      providers: [{ provide: LOGGER, useValue: logger }],
      exports: [LOGGER],
    };
  }
}
