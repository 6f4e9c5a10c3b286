import { ConsumerHealthCheck } from '@huoju/messaging';
import { eventually } from '@huoju/testing';
import { startTestTorchExport, type RunningTorchExport } from './torch-export.harness';

interface DeadLetterDetail {
  topic: string;
  depth: number;
  oldestParkedAt?: string;
  oldestParkedAgeS: number;
}

describe(ConsumerHealthCheck.name, () => {
  let service: RunningTorchExport;

  beforeAll(async () => {
    service = await startTestTorchExport();
  });

  afterAll(() => service.stop());

  const deadLetters = async (): Promise<DeadLetterDetail[]> => {
    const ready = await service.http.get<{ checks: { consumer: { deadLetters?: DeadLetterDetail[] } } }>(
      '/health/ready',
    );
    expect(ready.status).toBe(200);
    return ready.body.checks.consumer.deadLetters ?? [];
  };

  it("reports each dead-letter topic's depth and its oldest parked message's age in readiness and metrics", async () => {
    const dlqTopic = `${service.namespace}.filing.validated.v1.dlq`;
    // Consuming, with nothing parked yet: every dead-letter topic is listed and empty.
    const before = await eventually(async () => {
      const queues = await deadLetters();
      return queues.some((queue) => queue.topic === dlqTopic) ? queues : undefined;
    });
    expect(before.find((queue) => queue.topic === dlqTopic)).toMatchObject({ depth: 0, oldestParkedAgeS: 0 });

    // An unparseable event is permanent: parked with its reason, and the service stays ready.
    await service.publishEnvelope('filing.validated.v1', { not: 'an envelope' } as never);
    const parked = await eventually(async () => {
      const queue = (await deadLetters()).find((candidate) => candidate.topic === dlqTopic);
      return queue && queue.depth === 1 ? queue : undefined;
    });
    expect(parked.oldestParkedAt).toEqual(expect.any(String));
    expect(parked.oldestParkedAgeS).toBeGreaterThanOrEqual(0);

    const metrics = await fetch(`${service.url}/metrics`).then((response) => response.text());
    expect(metrics).toMatch(
      new RegExp(`huoju_dlq_depth\\{[^}]*topic="${dlqTopic.replace(/\./g, '\\.')}"[^}]*\\} 1\\b`),
    );
    expect(metrics).toMatch(
      new RegExp(`huoju_dlq_oldest_parked_age_seconds\\{[^}]*topic="${dlqTopic.replace(/\./g, '\\.')}"[^}]*\\} \\d+`),
    );
  });
});
