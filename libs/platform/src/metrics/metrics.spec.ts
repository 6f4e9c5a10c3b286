import { Metrics, timed } from './metrics';

describe(Metrics.name, () => {
  it('exposes every named series with the service label, before any value is recorded', async () => {
    const sut = new Metrics('intake');
    sut.filings.set({ status: 'accepted' }, 3);
    const text = await sut.scrape();
    for (const name of ['huoju_http_request_duration_seconds', 'huoju_dlq_depth', 'huoju_freshness_seconds']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).toContain('huoju_filings{status="accepted",service="intake"} 3');
    expect(text).toContain('huoju_process_cpu_user_seconds_total');
  });

  it('refreshes gauges from scrape sources, and a failing source leaves the others and the scrape intact', async () => {
    const sut = new Metrics('aggregation');
    sut.onScrape(() => Promise.reject(new Error('database down')));
    sut.onScrape(async () => sut.outboxOldestAge.set(42));
    expect(await sut.scrape()).toContain('huoju_outbox_oldest_age_seconds{service="aggregation"} 42');
  });

  it('times work by outcome, and rethrows a failure', async () => {
    const sut = new Metrics('aggregation');
    await timed(sut.rollupDuration, async () => 'done');
    await expect(timed(sut.rollupDuration, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const text = await sut.scrape();
    expect(text).toContain('huoju_rollup_duration_seconds_count{service="aggregation",outcome="ok"} 1');
    expect(text).toContain('huoju_rollup_duration_seconds_count{service="aggregation",outcome="failed"} 1');
  });

  it('keeps each service on its own registry', async () => {
    const first = new Metrics('intake');
    const second = new Metrics('validation');
    first.reminders.inc({ outcome: 'sent' });
    expect(await second.scrape()).not.toContain('huoju_reminders_total{outcome="sent"');
  });
});
