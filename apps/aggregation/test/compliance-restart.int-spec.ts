import { Queue } from 'bullmq';
import {
  eventually,
  generateRoster,
  infrastructureUrls,
  principals,
  publishEvents,
  readEvents,
  testKafka,
  testNamespace,
} from '@huoju/testing';
import { DEADLINE_QUEUE, deadlineJobId } from '../src/compliance/compliance.jobs';
import { bullConnection } from '@huoju/platform';
import type { RunningAggregation } from './aggregation.harness';
import {
  Timeline,
  WebhookReceiver,
  ZHENRU,
  clearQueues,
  putJson,
  rosterEvent,
  startCompliance,
  verdict,
} from './compliance-fixtures';

// October 2026 is due on 15 Nov; its due-soon reminders go out on 12 Nov at 09:00 in Shanghai.
const DUE_SOON_AT = '2026-11-12T01:00:00.000Z';
const kafka = testKafka('compliance-restart-test');
const [onTime, k, l] = generateRoster({ size: 400, seed: 33 })
  .filter((x) => x.parkCode === 'PT')
  .slice(0, 3);
const roster = [onTime, k, l].map((x) =>
  rosterEvent(x!, { streets: [{ streetCode: ZHENRU, validFrom: '2025-01-01' }], scopeFrom: '2026-10-01' }),
);

/** One aggregation in its own namespace, on a clock that keeps running across its restarts. */
class Scenario {
  readonly namespace = testNamespace('compliance');
  readonly hook = new WebhookReceiver('zhenru-secret-0123456789');
  readonly timeline: Timeline;
  aggregation: RunningAggregation | undefined;

  constructor(leadMs: number) {
    this.timeline = new Timeline(new Date(Date.parse(DUE_SOON_AT) - leadMs).toISOString());
  }

  async start(): Promise<void> {
    this.aggregation = await startCompliance(this.timeline.now(), this.namespace, { COMPLIANCE_SWEEP_EVERY_MS: '500' });
  }

  async restart(): Promise<void> {
    await this.aggregation!.stop({ keepData: true });
    this.aggregation = undefined;
  }

  /** Webhook, roster, and an enterprise that files on time before the reminder; then waits until the reminder job is in Redis. */
  async prepare(): Promise<void> {
    const url = await this.hook.start();
    await this.start();
    expect(
      (
        await putJson(
          this.aggregation!,
          `/v1/compliance/webhooks/street/${ZHENRU}`,
          { url, secret: this.hook.secret },
          principals.admin,
        )
      ).status,
    ).toBe(200);
    await publishEvents(
      kafka,
      this.namespace,
      'registry.enterprise-changed.v1',
      roster.map((payload) => ({ key: payload.uscc, payload })),
    );
    const filed = verdict(onTime!.uscc, '2026-10', '2026-11-05T02:00:00.000Z');
    await publishEvents(kafka, this.namespace, 'filing.validated.v1', [{ key: filed.uscc, payload: filed }]);
    await eventually(async () => {
      const view = await this.aggregation!.http.get<{ expected: number; filed: number }>(
        `/v1/compliance?form=torch-monthly&period=2026-10&street=${ZHENRU}`,
        { as: principals.admin },
      );
      return view.body.expected === 3 && view.body.filed === 1;
    });
    const queue = new Queue(DEADLINE_QUEUE, {
      connection: bullConnection(infrastructureUrls().redisUrl),
      prefix: `huoju:${this.namespace}:aggregation`,
    });
    try {
      const job = await eventually(() => queue.getJob(deadlineJobId('due-soon', 'torch-monthly', '2026-10')));
      expect(await job.getState()).toBe('delayed');
    } finally {
      await queue.close();
    }
  }

  dueSoonDeliveries(): string[] {
    return this.hook.delivered.filter((r) => r.body.kind === 'due-soon').map((r) => r.body.reminder.uscc);
  }

  async dueSoonEvents(): Promise<string[]> {
    const events = await readEvents(kafka, this.namespace, 'filing.due-soon.v1', () => false, 2500);
    return events.filter((event) => event.payload.period === '2026-10').map((event) => event.payload.uscc);
  }

  async stop(): Promise<void> {
    await this.aggregation?.stop();
    await clearQueues(this.namespace);
    await this.hook.stop();
  }
}

describe('compliance reminders across restarts', () => {
  const expected = [k, l].map((x) => x!.uscc).sort();

  it('sends each due-soon reminder exactly once when aggregation restarts between scheduling and the reminder time', async () => {
    const scenario = new Scenario(20_000);
    try {
      await scenario.prepare();
      await scenario.restart();
      expect(scenario.dueSoonDeliveries()).toEqual([]);
      expect(scenario.timeline.msUntil(DUE_SOON_AT)).toBeGreaterThan(1000);
      await scenario.start();
      await eventually(() => scenario.dueSoonDeliveries().length >= 2, 30_000);
      // Several sweeps later, still once each, and never for the enterprise that filed on time.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(scenario.dueSoonDeliveries().sort()).toEqual(expected);
      expect((await scenario.dueSoonEvents()).sort()).toEqual(expected);
      expect(scenario.hook.requests.every((r) => r.signatureValid)).toBe(true);
    } finally {
      await scenario.stop();
    }
  });

  it('sends them exactly once when aggregation was down at the reminder time', async () => {
    const scenario = new Scenario(12_000);
    try {
      await scenario.prepare();
      await scenario.restart();
      await new Promise((resolve) => setTimeout(resolve, Math.max(scenario.timeline.msUntil(DUE_SOON_AT) + 1000, 0)));
      expect(scenario.dueSoonDeliveries()).toEqual([]);
      await scenario.start();
      await eventually(() => scenario.dueSoonDeliveries().length >= 2, 30_000);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(scenario.dueSoonDeliveries().sort()).toEqual(expected);
      expect((await scenario.dueSoonEvents()).sort()).toEqual(expected);
    } finally {
      await scenario.stop();
    }
  });
});
