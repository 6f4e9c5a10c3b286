import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** A function that refreshes gauges read from elsewhere (the database, Kafka) right before a scrape. */
export type ScrapeSource = () => Promise<void>;

const SCRAPE_SOURCE_TIMEOUT_MS = 2000;

/**
 * The Prometheus series of one service, on its own registry (several services share a process in tests).
 * Every service registers every series, so dashboards and alerts (infra/observability) find the same
 * names everywhere; the code that knows a value calls the instrument from a one-line hook.
 */
export class Metrics {
  readonly registry = new Registry();

  /** HTTP latency by route pattern (not the raw URL: bounded label values) and status. */
  readonly httpDuration = new Histogram({
    name: 'huoju_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  /** Messages behind the end of each partition after the last batch this instance handled. */
  readonly consumerLag = new Gauge({
    name: 'huoju_kafka_consumer_lag',
    help: 'Messages not yet consumed by this service, per topic and partition (after its last batch)',
    labelNames: ['topic', 'partition'] as const,
    registers: [this.registry],
  });

  readonly eventsConsumed = new Counter({
    name: 'huoju_events_consumed_total',
    help: 'Kafka messages handled, by topic and outcome (applied, parked in the DLQ)',
    labelNames: ['topic', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly eventsPublished = new Counter({
    name: 'huoju_events_published_total',
    help: 'Events the outbox relay published, by topic',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });

  /** Parked messages neither replayed nor discarded, per dead-letter topic (refreshed from Kafka in the background). */
  readonly dlqDepth = new Gauge({
    name: 'huoju_dlq_depth',
    help: 'Messages in each dead-letter topic this service parks into',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });

  readonly dlqOldestAge = new Gauge({
    name: 'huoju_dlq_oldest_parked_age_seconds',
    help: 'Age of the oldest message still parked in each dead-letter topic (0 when it is empty)',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });

  readonly outboxOldestAge = new Gauge({
    name: 'huoju_outbox_oldest_age_seconds',
    help: 'Age of the oldest outbox row not yet published (0 when the outbox is empty)',
    registers: [this.registry],
  });

  readonly outboxParked = new Gauge({
    name: 'huoju_outbox_parked',
    help: 'Outbox rows the broker refused for good, parked until replayed (npm run dlq -- outbox-list)',
    registers: [this.registry],
  });

  readonly filings = new Gauge({
    name: 'huoju_filings',
    help: 'Filings by their current status (intake)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  /** How long the oldest filing still waiting for its verdict (received, validating) has waited. */
  readonly filingsPendingOldest = new Gauge({
    name: 'huoju_filings_pending_oldest_seconds',
    help: 'Age of the oldest filing without a verdict yet (intake); a growing value is a stuck pipeline',
    registers: [this.registry],
  });

  readonly rollupDuration = new Histogram({
    name: 'huoju_rollup_duration_seconds',
    help: 'Duration of one park × period roll-up, by outcome',
    labelNames: ['outcome'] as const,
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });

  readonly exportDuration = new Histogram({
    name: 'huoju_export_duration_seconds',
    help: 'Duration of one export job, by format and outcome',
    labelNames: ['format', 'outcome'] as const,
    buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });

  readonly reminders = new Counter({
    name: 'huoju_reminders_total',
    help: 'Deadline reminders, by outcome (sent, failed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** From validation's accept (filing.validated occurredAt) to the figures that include it being updated. */
  readonly freshness = new Histogram({
    name: 'huoju_freshness_seconds',
    help: 'Seconds from a filing accepted to the figures including it',
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
    registers: [this.registry],
  });

  private readonly sources: ScrapeSource[] = [];

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry, prefix: 'huoju_' });
  }

  onScrape(source: ScrapeSource): void {
    this.sources.push(source);
  }

  /** The exposition text; a source that fails or hangs leaves its gauges at their last value. */
  async scrape(): Promise<string> {
    await Promise.allSettled(this.sources.map((source) => withTimeout(source(), SCRAPE_SOURCE_TIMEOUT_MS)));
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** Observes a duration in seconds for the promise, labelled with its outcome. */
export async function timed<T>(histogram: Histogram<'outcome'>, work: () => Promise<T>): Promise<T> {
  const end = histogram.startTimer();
  try {
    const result = await work();
    end({ outcome: 'ok' });
    return result;
  } catch (error) {
    end({ outcome: 'failed' });
    throw error;
  }
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`scrape source took over ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
