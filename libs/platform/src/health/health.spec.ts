import { Test } from '@nestjs/testing';
import { TerminusModule } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { LOGGER } from '../logging/logging.module';
import { HEALTH_CHECKS, HealthController, type HealthCheck } from './health';

describe(HealthController.name, () => {
  it('answers 503 with the failing dependency named but none of its error text', async () => {
    const sent: { status?: number; body?: { checks?: Record<string, { status: string }> } } = {};
    const reply = {
      status(code: number) {
        sent.status = code;
        return this;
      },
      send(body: typeof sent.body) {
        sent.body = body;
        return this;
      },
    };
    const warnings: unknown[] = [];
    const checks: HealthCheck[] = [
      {
        name: 'database',
        check: () => Promise.reject(new Error('password authentication failed for user "huoju" at 10.0.0.5:5432')),
      },
      { name: 'redis', check: () => Promise.resolve() },
    ];
    const moduleRef = await Test.createTestingModule({
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [
        { provide: HEALTH_CHECKS, useValue: checks },
        { provide: LOGGER, useValue: { warn: (entry: unknown) => warnings.push(entry) } },
      ],
    }).compile();
    const sut = moduleRef.get(HealthController);

    await sut.ready(reply as unknown as FastifyReply);

    expect(sent.status).toBe(503);
    expect(sent.body?.checks).toEqual({ database: { status: 'down' }, redis: { status: 'up' } });
    expect(JSON.stringify(sent.body)).not.toMatch(/password|10\.0\.0\.5|huoju/);
    expect(warnings).toHaveLength(1);
  });
});
