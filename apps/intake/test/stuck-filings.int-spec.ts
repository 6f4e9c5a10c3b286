import { enterpriseBody, generateRoster, principals, readTopic, testKafka } from '@huoju/testing';
import { namespaced } from '@huoju/platform';
import { StuckFilingSweeper } from '../src/sweeper/stuck-filing.sweeper';
import { startTestIntake, type RunningIntake } from './intake.harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** No validation service runs here: every filing stays "validating", i.e. stuck once old enough. */
describe(StuckFilingSweeper.name, () => {
  let intake: RunningIntake;
  const [enterprise] = generateRoster({ size: 40, seed: 17 }).filter((e) =>
    e.scope.some((s) => s.formId === 'torch-monthly'),
  );
  const filer = principals.enterprise(enterprise!.uscc);

  beforeAll(async () => {
    intake = await startTestIntake({ STUCK_FILING_AFTER_MS: '1500', STUCK_FILING_SWEEP_MS: '3600000' });
    const created = await intake.http.post('/v1/enterprises', {
      as: principals.admin,
      body: enterpriseBody(enterprise!),
    });
    expect(created.status).toBe(201);
  });

  afterAll(() => intake.stop());

  it('publishes a filing stuck beyond the configured age again, once per interval, and reports how many', async () => {
    const sut = intake.app.get(StuckFilingSweeper);
    const filed = await intake.http.post<{ filingId: string }>('/v1/filings', {
      as: filer,
      body: {
        formId: 'torch-monthly',
        period: '2026-09',
        values: { qc05_0: '1200.5', qc55: '1000', qd01: '35', qj20: '88.25' },
      },
      headers: { 'idempotency-key': 'stuck-1' },
    });
    expect(filed.status).toBe(202);
    expect(await sut.sweep()).toBe(0); // fresh: not stuck yet

    await sleep(2_000);
    expect(await sut.sweep()).toBe(1);
    expect(await sut.sweep()).toBe(0); // just re-published: its event is fresh again

    const kafka = testKafka('stuck-filings');
    const submitted = await readTopic(
      kafka,
      namespaced(intake.namespace).topic('filing.submitted.v1'),
      (messages) => messages.filter((m) => m.value?.includes(filed.body.filingId)).length >= 2,
      20_000,
    );
    const events = submitted
      .filter((m) => m.value?.includes(filed.body.filingId))
      .map((m) => JSON.parse(m.value!) as { id: string; payload: { revision: number; attempt: number } });
    expect(events).toHaveLength(2);
    expect(events.map((e) => [e.payload.revision, e.payload.attempt])).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(events[0]!.id).not.toBe(events[1]!.id);

    const health = await intake.http.get<{ checks: Record<string, { republishedSinceStart?: number }> }>(
      '/health/ready',
    );
    expect(health.body.checks['stuck-filings']).toMatchObject({ status: 'up', republishedSinceStart: 1 });
  });
});
