import {
  Controller,
  Get,
  HttpStatus,
  Inject,
  Module,
  Optional,
  Res,
  ServiceUnavailableException,
  type DynamicModule,
  type Provider,
} from '@nestjs/common';
import {
  HealthCheck as TerminusHealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TerminusModule,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { Public } from '../auth/auth.guard';
import { LOGGER } from '../logging/logging.module';

/** A dependency whose health decides whether the service is ready: throws when it is not, may return details. */
export interface HealthCheck {
  readonly name: string;
  check(): Promise<void | Record<string, unknown>>;
}

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');
const CHECK_TIMEOUT_MS = 2000;

/**
 * Liveness and readiness, with @nestjs/terminus. Liveness (`/health/live`) asks only whether the process
 * answers: an orchestrator restarts it when not, so it never depends on Kafka, PostgreSQL or Redis (a broker
 * outage must not restart every service). Readiness (`/health/ready`, and `/health` for existing callers)
 * checks every dependency and the service's own machinery (consumer, outbox relay), with details.
 */
@Public()
@Controller('health')
export class HealthController {
  private readonly startedAt = Date.now();

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[],
    @Optional() @Inject(LOGGER) private readonly logger?: Logger,
  ) {}

  @Get('live')
  @TerminusHealthCheck()
  async live(@Res() reply: FastifyReply): Promise<void> {
    await this.answer(reply, [
      () => this.indicators.check('process').up({ pid: process.pid, uptimeS: (Date.now() - this.startedAt) / 1000 }),
    ]);
  }

  @Get('ready')
  @TerminusHealthCheck()
  async ready(@Res() reply: FastifyReply): Promise<void> {
    await this.answer(
      reply,
      this.checks.map((check) => () => this.indicate(check)),
    );
  }

  /** Readiness under its old path: tools, tests and load balancers poll it. */
  @Get()
  async compatible(@Res() reply: FastifyReply): Promise<void> {
    await this.ready(reply);
  }

  private async indicate(check: HealthCheck): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(check.name);
    try {
      const details = await withTimeout(check.check(), CHECK_TIMEOUT_MS);
      return session.up(details ?? {});
    } catch (error) {
      // The endpoint is public: a failure shows only "down"; the dependency's own error (hosts, users,
      // ports) goes to the log.
      this.logger?.warn({ err: error, check: check.name }, 'health check failed');
      return session.down();
    }
  }

  private async answer(
    reply: FastifyReply,
    indicators: (() => Promise<HealthIndicatorResult> | HealthIndicatorResult)[],
  ): Promise<void> {
    try {
      const result = await this.health.check(indicators);
      await reply.status(HttpStatus.OK).send({ ...result, checks: result.details });
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as { details?: unknown };
      await reply.status(HttpStatus.SERVICE_UNAVAILABLE).send({ ...result, checks: result.details });
    }
  }
}

@Module({})
export class HealthModule {
  /** `checks` are providers (classes or factories) implementing HealthCheck. */
  static register(checks: Provider<HealthCheck>[], tokens: unknown[]): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
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
