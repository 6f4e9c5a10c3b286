import { Writable } from 'node:stream';
import { Controller, Get, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pino from 'pino';

import { createHttpApp } from '../http/http-app';
import { LoggingModule } from './logging.module';
import { REDACTED_HEADERS } from './request-logging';

@Controller('v1/things')
class ThingsController {
  @Get()
  list(): string[] {
    return [];
  }
}

describe(LoggingModule.name, () => {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        raw.push(chunk.toString());
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const logger = pino(
      {
        level: 'info',
        base: { service: 'test' },
        redact: { paths: REDACTED_HEADERS, censor: '[redacted]' },
        // As createLogger's mixin does when the line is written inside the request's async context.
        mixin: () => ({ correlationId: 'from-context' }),
      },
      sink,
    );
    @Module({ imports: [LoggingModule.forRoot(logger)], controllers: [ThingsController] })
    class ServiceModule {}
    app = await createHttpApp(ServiceModule, { service: 'test', title: 'test', description: 'test', logger });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());

  // pino-http writes its line on the response's 'finish', which may come just after inject() resolves.
  const responsesFinished = () => new Promise((resolve) => setTimeout(resolve, 50));
  const completed = () => lines.filter((line) => line.msg === 'request completed');

  it('writes one line per request with its correlation id, status and time, the credentials redacted', async () => {
    lines.length = 0;
    await app.inject({
      method: 'GET',
      url: '/v1/things',
      headers: { authorization: 'Bearer secret-token', cookie: 'session=secret', 'x-correlation-id': 'corr-1' },
    });

    await responsesFinished();
    expect(completed()).toHaveLength(1);
    const [line] = completed();
    expect(line).toMatchObject({ service: 'test', level: 30, correlationId: 'corr-1', res: { statusCode: 200 } });
    expect(line!.responseTime).toEqual(expect.any(Number));
    expect(raw.join('')).not.toContain('secret');
    expect(raw.find((text) => text.includes('request completed'))!.split('"correlationId"')).toHaveLength(2);
  });

  it('logs a refused request at info, like a served one, and leaves health probes unlogged', async () => {
    lines.length = 0;
    await app.inject({ method: 'GET', url: '/v1/nothing-here' });
    await app.inject({ method: 'GET', url: '/health/live' });
    await responsesFinished();

    expect(
      completed().map((line) => [
        line.level,
        (line.req as { url: string }).url,
        (line.res as { statusCode: number }).statusCode,
      ]),
    ).toEqual([[30, '/v1/nothing-here', 404]]);
  });
});
