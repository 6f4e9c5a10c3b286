import type { FastifyReply } from 'fastify';
import { HealthController } from './health';

describe(HealthController.name, () => {
  it('answers 503 with the failing dependency named but none of its error text', async () => {
    const sent: { status?: number; body?: unknown } = {};
    const reply = {
      status(code: number) {
        sent.status = code;
        return this;
      },
      send(body: unknown) {
        sent.body = body;
        return this;
      },
    };
    const warnings: unknown[] = [];
    const sut = new HealthController(
      [
        {
          name: 'database',
          check: () => Promise.reject(new Error('password authentication failed for user "huoju" at 10.0.0.5:5432')),
        },
        { name: 'redis', check: () => Promise.resolve() },
      ],
      { warn: (entry: unknown) => warnings.push(entry) } as never,
    );
    await sut.health(reply as unknown as FastifyReply);
    expect(sent).toEqual({
      status: 503,
      body: { status: 'unavailable', checks: { database: { status: 'down' }, redis: { status: 'up' } } },
    });
    expect(JSON.stringify(sent.body)).not.toMatch(/password|10\.0\.0\.5|huoju/);
    expect(warnings).toHaveLength(1);
  });
});
