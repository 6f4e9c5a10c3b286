import {
  Controller,
  Get,
  Inject,
  Module,
  Optional,
  type DynamicModule,
  type Provider,
  HttpStatus,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { Public } from '../auth/auth.guard';
import { LOGGER } from '../logging/logging.module';

/** A dependency whose health decides whether the service is ready: throws when it is not. */
export interface HealthCheck {
  readonly name: string;
  check(): Promise<void>;
}

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');
const CHECK_TIMEOUT_MS = 2000;

@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[],
    @Optional() @Inject(LOGGER) private readonly logger?: Logger,
  ) {}

  /**
   * Readiness: 200 when every dependency answers, 503 with the failing ones otherwise. The endpoint is
   * public, so a failure shows only "down"; the dependency's own error (hosts, users, ports) goes to the log.
   */
  @Get()
  async health(@Res() reply: FastifyReply): Promise<void> {
    const results = await Promise.all(
      this.checks.map(async (check) => {
        try {
          await withTimeout(check.check(), CHECK_TIMEOUT_MS);
          return [check.name, { status: 'up' }] as const;
        } catch (error) {
          this.logger?.warn({ err: error, check: check.name }, 'health check failed');
          return [check.name, { status: 'down' }] as const;
        }
      }),
    );
    const healthy = results.every(([, result]) => result.status === 'up');
    await reply
      .status(healthy ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .send({ status: healthy ? 'ok' : 'unavailable', checks: Object.fromEntries(results) });
  }
}

@Module({})
export class HealthModule {
  /** `checks` are providers (classes or factories) implementing HealthCheck. */
  static register(checks: Provider<HealthCheck>[], tokens: unknown[]): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [
        ...checks,
        { provide: HEALTH_CHECKS, useFactory: (...all: HealthCheck[]) => all, inject: tokens as never[] },
      ],
    };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
