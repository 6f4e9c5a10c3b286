import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Platform, enterpriseBody, eventually, generateRoster, inScopeOn, principals } from '@huoju/testing';

type ServiceName = 'intake' | 'validation' | 'aggregation' | 'torch-export';
const SERVICES: readonly ServiceName[] = ['intake', 'validation', 'aggregation', 'torch-export'];

/** The series every service exposes (libs/platform/src/metrics), which the dashboards and alerts use. */
const NAMED_SERIES = [
  'huoju_http_request_duration_seconds',
  'huoju_kafka_consumer_lag',
  'huoju_events_consumed_total',
  'huoju_events_published_total',
  'huoju_dlq_depth',
  'huoju_outbox_oldest_age_seconds',
  'huoju_filings',
  'huoju_filings_pending_oldest_seconds',
  'huoju_rollup_duration_seconds',
  'huoju_export_duration_seconds',
  'huoju_reminders_total',
  'huoju_freshness_seconds',
];

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
}

/** A minimal OTLP/HTTP (JSON) trace receiver on loopback: what a collector would get from the services. */
class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.url === '/v1/traces' && String(request.headers['content-type']).startsWith('application/json')) {
          this.collect(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpTraces);
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private collect(body: OtlpTraces): void {
    for (const resourceSpans of body.resourceSpans ?? []) {
      const service = resourceSpans.resource?.attributes?.find((a) => a.key === 'service.name')?.value?.stringValue;
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          this.spans.push({
            service: service ?? '?',
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId ?? '',
            name: span.name,
          });
        }
      }
    }
  }
}

interface OtlpTraces {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value?: { stringValue?: string } }[] };
    scopeSpans?: { spans?: { traceId: string; spanId: string; parentSpanId?: string; name: string }[] }[];
  }[];
}

/** The sum of a series' samples whose labels include all the given ones. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

const enterprise = generateRoster({ size: 400, seed: 16 }).find(
  (e) => inScopeOn(e, 'torch-monthly', '2026-09-30') && !/^[BCD]/.test(e.industryCode),
)!;

describe('metrics and traces of a filing across the four services', () => {
  const receiver = new OtlpReceiver();
  let platform: Platform;
  const metrics = async (service: ServiceName) => {
    const response = await fetch(`${platform.url(service)}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return response.text();
  };

  beforeAll(async () => {
    const endpoint = await receiver.start();
    platform = new Platform({
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '200',
    });
    await platform.start();
    const created = await platform
      .http('intake')
      .post('/v1/enterprises', { as: principals.admin, body: enterpriseBody(enterprise) });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await platform.stop();
    await receiver.stop();
  });

  it('serves /metrics on every service with the named series, and the counters move when a filing flows', async () => {
    const before = Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await metrics(s)] as const)));
    for (const service of SERVICES) {
      for (const series of NAMED_SERIES) expect(before[service]).toContain(`# TYPE ${series} `);
      expect(before[service]).toContain(`service="${service}"`);
    }

    const receipt = await platform.http('intake').post<{ filingId: string }>('/v1/filings', {
      as: principals.enterprise(enterprise.uscc),
      body: {
        formId: 'torch-monthly',
        period: '2026-09',
        values: { qc05_0: '777.5', qc55: '777.5', qd01: '12', qj20: '3' },
      },
    });
    expect(receipt.status).toBe(202);

    const after = await eventually(async () => {
      const now = Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await metrics(s)] as const)));
      const moved =
        sample(now.intake, 'huoju_events_published_total', { topic: 'filing.submitted.v1' }) >
          sample(before.intake, 'huoju_events_published_total', { topic: 'filing.submitted.v1' }) &&
        sample(now.validation, 'huoju_events_consumed_total', { topic: 'filing.submitted.v1', outcome: 'applied' }) >
          sample(before.validation, 'huoju_events_consumed_total', {
            topic: 'filing.submitted.v1',
            outcome: 'applied',
          }) &&
        sample(now.aggregation, 'huoju_freshness_seconds_count') >
          sample(before.aggregation, 'huoju_freshness_seconds_count') &&
        sample(now['torch-export'], 'huoju_events_consumed_total', { topic: 'filing.validated.v1' }) >
          sample(before['torch-export'], 'huoju_events_consumed_total', { topic: 'filing.validated.v1' }) &&
        sample(now.intake, 'huoju_filings', { status: 'accepted' }) >= 1;
      return moved ? now : undefined;
    });
    expect(
      sample(after.intake, 'huoju_http_request_duration_seconds_count', { route: '/v1/filings', status: '202' }),
    ).toBeGreaterThanOrEqual(1);
    expect(after.validation).toMatch(/huoju_kafka_consumer_lag\{[^}]*topic="filing.submitted.v1"[^}]*\} 0/);
    expect(sample(after.intake, 'huoju_outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('makes one filing one trace: intake → validation → aggregation and torch-export, through Kafka headers', async () => {
    const filing = await eventually(() =>
      receiver.spans.find((span) => span.service === 'intake' && span.name === 'POST /v1/filings'),
    );
    const trace = await eventually(() => {
      const spans = receiver.spans.filter((span) => span.traceId === filing.traceId);
      const services = new Set(spans.map((span) => span.service));
      const named = (service: string, name: string) => spans.some((s) => s.service === service && s.name === name);
      const ids = new Set(spans.map((span) => span.spanId));
      const connected = spans.every((span) => span.parentSpanId === '' || ids.has(span.parentSpanId));
      return connected &&
        SERVICES.every((service) => services.has(service)) &&
        named('validation', 'process filing.submitted.v1') &&
        named('aggregation', 'process filing.validated.v1') &&
        named('torch-export', 'process filing.validated.v1')
        ? spans
        : undefined;
    });
    // One tree: the HTTP request is the root, every other span's parent is in the same trace.
    const ids = new Set(trace.map((span) => span.spanId));
    expect(trace.filter((span) => span.parentSpanId === '').map((span) => span.name)).toEqual(['POST /v1/filings']);
    for (const span of trace.filter((s) => s.parentSpanId !== '')) expect(ids).toContain(span.parentSpanId);
    const consumed = trace.find((s) => s.service === 'validation' && s.name === 'process filing.submitted.v1')!;
    const published = trace.find((s) => s.spanId === consumed.parentSpanId)!;
    expect(published).toMatchObject({ service: 'intake', name: 'publish filing.submitted.v1' });
  });
});
