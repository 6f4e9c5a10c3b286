import { ThrowawayKafka, eventually, startServiceUnderTest, type ServiceUnderTest } from '@huoju/testing';
import { startValidation } from '../src/bootstrap';
import { validationConfigSchema } from '../src/validation.config';

interface Health {
  status: string;
  checks: Record<string, { status: string; error?: string }>;
}

/** Liveness is the process; readiness is its dependencies — a service starts without Kafka and gets ready later. */
describe('validation started while Kafka is down', () => {
  const broker = new ThrowawayKafka(Number(process.env.FAULT_KAFKA_PORT ?? 19292));
  let service: ServiceUnderTest;

  afterAll(async () => {
    await service?.stop();
    broker.destroy();
  }, 120_000);

  it('is live at once, unready until the broker is up, then ready and consuming', async () => {
    service = await startServiceUnderTest({
      service: 'validation',
      configSchema: validationConfigSchema,
      start: (config, logger) => startValidation(config, logger),
      schemas: ['validation'],
      env: { KAFKA_BROKERS: broker.brokers, LOG_LEVEL: 'silent' },
    });
    const live = await service.http.get<Health>('/health/live');
    expect(live.status).toBe(200);
    const ready = await service.http.get<Health>('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.kafka!.status).toBe('down');
    expect(ready.body.checks.consumer!.status).toBe('down');
    expect(ready.body.checks.database!.status).toBe('up');
    expect((await service.http.get<Health>('/health')).status).toBe(503);

    broker.start();
    const healthy = await eventually(
      async () => {
        const answer = await service.http.get<Health>('/health/ready');
        return answer.status === 200 ? answer.body : undefined;
      },
      90_000,
      500,
    );
    expect(healthy.checks.consumer).toMatchObject({ status: 'up', consuming: true, blockedPartitions: [] });
    expect(healthy.checks.outbox).toMatchObject({ status: 'up', running: true });
  });
});
