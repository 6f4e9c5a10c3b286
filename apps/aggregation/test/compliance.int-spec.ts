import ExcelJS from 'exceljs';
import type { EventEnvelope, Topic } from '@huoju/contracts';
import { formVersionFor, parsePeriod, scheduleFor } from '@huoju/domain';
import {
  eventually,
  generateRoster,
  principals,
  publishEvents,
  readEvents,
  sqlQuery,
  testKafka,
  testNamespace,
} from '@huoju/testing';
import { CLOCK, type Clock } from '@huoju/platform';
import { DeadlineScheduler } from '../src/compliance/deadline.scheduler';
import { ReminderService } from '../src/compliance/reminder.service';
import type { RunningAggregation } from './aggregation.harness';
import {
  CHANGSHOU,
  WebhookReceiver,
  ZHENRU,
  clearQueues,
  getBytes,
  putJson,
  rosterEvent,
  startCompliance,
  verdict,
} from './compliance-fixtures';

interface View {
  expected: number;
  filed: number;
  filedOnTime: number;
  filingRate: string | null;
  onTimeRate: string | null;
  counts: Record<string, number>;
  calendar: { dueOn: string; graceEndsOn: string; locksOn: string };
  queue: {
    uscc: string;
    status: string;
    streetCode: string;
    daysLate: number | null;
    contact: { phone: string };
    dueOn: string;
    graceEndsOn: string;
    locksOn: string;
  }[];
}

const kafka = testKafka('compliance-test');
// The lock date comes from the catalog (months lock with the annual report); the views must show it apart from the others.
const octoberLocksOn = scheduleFor(
  formVersionFor('torch-monthly', '2026-10')!,
  parsePeriod('2026-10', 'month'),
).locksOn;
const namespace = testNamespace('compliance');
const [a, b, c, d, e, f, g, h, i] = generateRoster({ size: 400, seed: 21 })
  .filter((x) => x.parkCode === 'PT')
  .slice(0, 9);
const zhenru = { streets: [{ streetCode: ZHENRU, validFrom: '2025-01-01' }] };
const roster = [
  rosterEvent(a!, { ...zhenru, carrierCode: 'PT-HAINA' }),
  rosterEvent(b!, { ...zhenru, carrierCode: 'PT-HAINA' }),
  rosterEvent(c!, { ...zhenru, carrierCode: 'PT-HAINA' }),
  // Moved from 长寿路 to 真如 after October ended but before its due date (15 Nov): 真如 chases it.
  rosterEvent(d!, {
    streets: [
      { streetCode: CHANGSHOU, validFrom: '2025-01-01', validTo: '2026-11-10' },
      { streetCode: ZHENRU, validFrom: '2026-11-11' },
    ],
  }),
  rosterEvent(e!, zhenru),
  rosterEvent(f!, zhenru),
  rosterEvent(g!, { streets: [{ streetCode: CHANGSHOU, validFrom: '2025-01-01' }] }),
  // Left the survey scope at the end of September: not expected for October.
  rosterEvent(h!, { ...zhenru, scopeTo: '2026-09-30' }),
  // Entered the scope in mid-October: expected for October.
  rosterEvent(i!, { ...zhenru, scopeFrom: '2026-10-15' }),
];

describe('compliance', () => {
  let aggregation: RunningAggregation;
  const zhenruTeam = principals.street(ZHENRU);
  const changshouTeam = principals.street(CHANGSHOU);
  const ptTeam = principals.park('PT');
  const zhenruHook = new WebhookReceiver('zhenru-secret-0123456789');
  const changshouHook = new WebhookReceiver('changshou-secret-0123456');
  // Answers 503 to each delivery's first try: deliveries must be retried.
  const ptHook = new WebhookReceiver('putuo-park-secret-012345', true);
  const hooks: Record<string, string> = {};

  beforeAll(async () => {
    expect(i).toBeDefined();
    hooks.zhenru = await zhenruHook.start();
    hooks.changshou = await changshouHook.start();
    hooks.pt = await ptHook.start();
    // 09:00 on 16 Nov 2026 in Shanghai: October was due yesterday; its grace period runs to the 18th.
    aggregation = await startCompliance('2026-11-16T01:00:00.000Z', namespace);
  });

  afterAll(async () => {
    await aggregation.stop();
    await clearQueues(namespace);
    await Promise.all([zhenruHook.stop(), changshouHook.stop(), ptHook.stop()]);
  });

  const view = async (query: string, as = zhenruTeam) =>
    aggregation.http.get<View>(`/v1/compliance?form=torch-monthly&${query}`, { as });

  async function events<T extends Topic>(topic: T, period: string, settleMs = 2500): Promise<EventEnvelope<T>[]> {
    const all = await readEvents(kafka, namespace, topic, () => false, settleMs);
    return all.filter((event) => (event.payload as { period: string }).period === period);
  }

  it('lets only an admin or the team itself set its webhook, and never shows the secret', async () => {
    const own = await putJson(
      aggregation,
      `/v1/compliance/webhooks/street/${ZHENRU}`,
      { url: hooks.zhenru, secret: zhenruHook.secret },
      zhenruTeam,
    );
    expect(own).toMatchObject({ status: 200, body: { kind: 'street', code: ZHENRU, url: hooks.zhenru } });
    expect(
      (
        await putJson(
          aggregation,
          `/v1/compliance/webhooks/street/${ZHENRU}`,
          { url: hooks.changshou, secret: changshouHook.secret },
          changshouTeam,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await putJson(
          aggregation,
          `/v1/compliance/webhooks/street/${ZHENRU}`,
          { url: hooks.zhenru, secret: zhenruHook.secret },
          principals.commission,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await putJson(
          aggregation,
          `/v1/compliance/webhooks/street/${CHANGSHOU}`,
          { url: hooks.changshou, secret: changshouHook.secret },
          principals.admin,
        )
      ).status,
    ).toBe(200);
    expect(
      (await putJson(aggregation, '/v1/compliance/webhooks/park/PT', { url: hooks.pt, secret: ptHook.secret }, ptTeam))
        .status,
    ).toBe(200);

    const invalid = await putJson(
      aggregation,
      `/v1/compliance/webhooks/street/${ZHENRU}`,
      { url: 'ftp://example.org', secret: 'short' },
      zhenruTeam,
    );
    expect(invalid.status).toBe(422);
    expect((invalid.body.errors as { code: string }[]).map((error) => error.code).sort()).toEqual([
      'WEBHOOK.SECRET',
      'WEBHOOK.URL',
    ]);
    expect(
      (
        await putJson(
          aggregation,
          '/v1/compliance/webhooks/street/999999999',
          { url: hooks.zhenru, secret: zhenruHook.secret },
          principals.admin,
        )
      ).status,
    ).toBe(422);

    // Inside addresses are refused even with loopback allowed for the test receivers (hole 3 of issue 12).
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
      'http://192.168.1.1:8080/',
      'http://0.0.0.0:3001/',
      'http://[fd00::1]/',
      'http://user:pass@127.0.0.1:3003/',
    ]) {
      const refused = await putJson(
        aggregation,
        `/v1/compliance/webhooks/street/${ZHENRU}`,
        { url, secret: zhenruHook.secret },
        zhenruTeam,
      );
      expect([url, refused.status, (refused.body.errors as { code: string }[])[0]?.code]).toEqual([
        url,
        422,
        'WEBHOOK.URL',
      ]);
    }
    // Stored encrypted (AES-256-GCM), never as the secret itself.
    const [stored] = await sqlQuery<{ secret: string }>(
      `SELECT secret FROM aggregation_${aggregation.namespace}.compliance_webhook WHERE target_code = $1`,
      [ZHENRU],
    );
    expect(stored!.secret).toMatch(/^v1\./);
    expect(stored!.secret).not.toContain(zhenruHook.secret);

    const read = await aggregation.http.get<Record<string, unknown>>(`/v1/compliance/webhooks/street/${ZHENRU}`, {
      as: zhenruTeam,
    });
    expect(read.body).toMatchObject({ url: hooks.zhenru, updatedBy: zhenruTeam.subject });
    expect(JSON.stringify(read.body)).not.toContain(zhenruHook.secret);
  });

  it('classifies on time, late, not filed, needs explanation and rejected, and chases a moved enterprise where it was on the due date', async () => {
    await publishEvents(
      kafka,
      namespace,
      'registry.enterprise-changed.v1',
      roster.map((payload) => ({ key: payload.uscc, payload })),
    );
    await eventually(async () => (await view(`period=2026-10&street=${ZHENRU}`)).body.expected === 7);
    const filings = [
      verdict(a!.uscc, '2026-10', '2026-11-10T02:00:00.000Z'),
      // 08:30 on the 16th in Shanghai, for a month due on the 15th: late.
      verdict(b!.uscc, '2026-10', '2026-11-16T00:30:00.000Z'),
      verdict(e!.uscc, '2026-10', '2026-11-14T02:00:00.000Z', 'needs-explanation'),
      verdict(f!.uscc, '2026-10', '2026-11-14T03:00:00.000Z', 'rejected'),
      verdict(i!.uscc, '2026-10', '2026-11-12T02:00:00.000Z'),
      verdict(a!.uscc, '2026-09', '2026-10-10T02:00:00.000Z'),
    ];
    await publishEvents(
      kafka,
      namespace,
      'filing.validated.v1',
      filings.map((payload) => ({ key: payload.uscc, payload })),
    );
    const result = await eventually(async () => {
      const response = await view(`period=2026-10&street=${ZHENRU}`);
      return response.body.filed === 3 &&
        response.body.counts.rejected === 1 &&
        response.body.counts['needs-explanation'] === 1
        ? response.body
        : undefined;
    });

    expect(result).toMatchObject({ expected: 7, filed: 3, filedOnTime: 2, filingRate: '42.86', onTimeRate: '28.57' });
    expect(result.calendar).toMatchObject({ dueOn: '2026-11-15', graceEndsOn: '2026-11-18', locksOn: octoberLocksOn });
    expect(result.queue.map((item) => item.status)).toEqual([
      'not-filed',
      'not-filed',
      'needs-explanation',
      'rejected',
      'filed-late',
    ]);
    const byUscc = new Map(result.queue.map((item) => [item.uscc, item]));
    expect([...byUscc.keys()].sort()).toEqual([b, c, d, e, f].map((x) => x!.uscc).sort());
    expect(byUscc.get(b!.uscc)).toMatchObject({
      status: 'filed-late',
      daysLate: 1,
      dueOn: '2026-11-15',
      graceEndsOn: '2026-11-18',
      locksOn: octoberLocksOn,
    });
    expect(byUscc.get(d!.uscc)).toMatchObject({
      status: 'not-filed',
      streetCode: ZHENRU,
      contact: { phone: d!.contact.phone },
    });

    const changshou = await view(`period=2026-10&street=${CHANGSHOU}`, changshouTeam);
    expect(changshou.body.queue.map((item) => item.uscc)).toEqual([g!.uscc]);
  });

  it('publishes filing.late-received.v1 once for a first filing after the due date, and signs its webhook deliveries', async () => {
    await eventually(() => zhenruHook.delivered.some((r) => r.body.kind === 'late-received'));
    await eventually(() => ptHook.delivered.some((r) => r.body.kind === 'late-received'));
    // The consumer's optional hook, run again for the same receipt: the reminder key is taken, nothing more is sent.
    await aggregation.app
      .get(ReminderService)
      .filingsValidated([{ uscc: b!.uscc, formId: 'torch-monthly', period: '2026-10' }]);
    const late = await events('filing.late-received.v1', '2026-10');
    expect(late).toHaveLength(1);
    expect(late[0]!.payload).toMatchObject({
      uscc: b!.uscc,
      daysLate: 1,
      dueOn: '2026-11-15',
      graceEndsOn: '2026-11-18',
      streetCode: ZHENRU,
      parkCode: 'PT',
    });
    const [delivery] = zhenruHook.delivered.filter((r) => r.body.kind === 'late-received');
    expect(delivery).toMatchObject({
      signatureValid: true,
      body: {
        topic: 'filing.late-received.v1',
        target: { kind: 'street', code: ZHENRU },
        enterprise: { uscc: b!.uscc },
      },
    });
    expect(changshouHook.delivered.filter((r) => r.body.kind === 'late-received')).toHaveLength(0);
  });

  it('shows a street team only its streets and a park team only its parks', async () => {
    expect((await view(`period=2026-10&street=${ZHENRU}`, changshouTeam)).status).toBe(403);
    expect((await view('period=2026-10&park=PT', zhenruTeam)).status).toBe(403);
    expect((await view('period=2026-10', zhenruTeam)).body.expected).toBe(7);
    expect((await view('period=2026-10&park=PT', ptTeam)).body.expected).toBe(8);
    expect((await view('period=2026-10&park=CN', ptTeam)).status).toBe(403);
    expect((await view(`period=2026-10&street=${ZHENRU}`, ptTeam)).status).toBe(403);
    expect((await view('period=2026-10', principals.enterprise(a!.uscc))).status).toBe(403);
    expect((await view(`period=2026-10&street=${CHANGSHOU}`, principals.commission)).body.expected).toBe(1);
    expect(
      (await aggregation.http.get(`/v1/compliance/trend?form=torch-monthly&street=${ZHENRU}`, { as: changshouTeam }))
        .status,
    ).toBe(403);
    expect(
      (await aggregation.http.get(`/v1/compliance/webhooks/street/${ZHENRU}/deliveries`, { as: changshouTeam })).status,
    ).toBe(403);
    const invalid = await view('period=2026-13&street=999');
    expect(invalid.status).toBe(422);
  });

  it('pages, filters and searches the work queue on the server; a download carries all of it', async () => {
    const all = (await view(`period=2026-10&street=${ZHENRU}`)).body.queue.map((item) => item.uscc);
    expect(all).toHaveLength(5);
    type Page = View & { page: number; pageSize: number; queueTotal: number };
    const page = async (query: string) =>
      (
        await aggregation.http.get<Page>(`/v1/compliance?form=torch-monthly&period=2026-10&street=${ZHENRU}&${query}`, {
          as: zhenruTeam,
        })
      ).body;

    const first = await page('page=1&pageSize=2');
    expect(first).toMatchObject({ page: 1, pageSize: 2, queueTotal: 5, expected: 7, filed: 3 });
    expect(first.queue.map((item) => item.uscc)).toEqual(all.slice(0, 2));
    expect((await page('page=3&pageSize=2')).queue.map((item) => item.uscc)).toEqual(all.slice(4));
    expect((await page('page=4&pageSize=2')).queue).toEqual([]);

    const notFiled = await page('status=not-filed');
    expect(notFiled.queueTotal).toBe(2);
    expect(notFiled.queue.map((item) => item.uscc).sort()).toEqual([c, d].map((x) => x!.uscc).sort());
    expect(notFiled.counts['filed-late']).toBe(1);
    const byName = await page(`q=${encodeURIComponent(e!.nameZh)}`);
    expect(byName.queue.map((item) => item.uscc)).toEqual([e!.uscc]);
    const byUscc = await page(`q=${f!.uscc.toLowerCase()}`);
    expect(byUscc.queue.map((item) => item.uscc)).toEqual([f!.uscc]);

    const bad = await aggregation.http.get<{ errors: { pointer: string }[] }>(
      `/v1/compliance?form=torch-monthly&period=2026-10&pageSize=0&status=filed-on-time`,
      { as: zhenruTeam },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error) => error.pointer).sort()).toEqual(['/query/pageSize', '/query/status']);

    const csv = await aggregation.http.get<string>(
      `/v1/compliance?form=torch-monthly&period=2026-10&street=${ZHENRU}&pageSize=1&format=csv`,
      { as: zhenruTeam },
    );
    expect(csv.body.trim().split('\r\n')).toHaveLength(1 + 5);
  });

  it('downloads the work queue as CSV and XLSX', async () => {
    const csv = await aggregation.http.get<string>(
      `/v1/compliance?form=torch-monthly&period=2026-10&street=${ZHENRU}&format=csv`,
      { as: zhenruTeam },
    );
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toContain('status,statusZh,uscc,nameZh');
    expect(lines[5]).toContain(b!.uscc);

    const xlsx = await getBytes(
      aggregation,
      `/v1/compliance?form=torch-monthly&period=2026-10&street=${ZHENRU}&format=xlsx`,
      zhenruTeam,
    );
    expect(xlsx.contentType).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const queue = workbook.getWorksheet('催报清单 Work queue')!;
    expect(queue.rowCount).toBe(2 + 5);
    expect(queue.getRow(7).getCell(3).value).toBe(b!.uscc);
  });

  it('makes a never-filing enterprise overdue exactly once when the grace period ends, across restarts', async () => {
    await aggregation.stop({ keepData: true });
    // 20 Nov: the grace period ended on the 18th while the service was down; the catch-up at start sends the notices.
    aggregation = await startCompliance('2026-11-20T02:00:00.000Z', namespace);
    await eventually(async () => (await events('filing.overdue.v1', '2026-10', 500)).length >= 5);
    await aggregation.stop({ keepData: true });
    aggregation = await startCompliance('2026-11-20T02:05:00.000Z', namespace);
    await eventually(async () => (await view(`period=2026-10&street=${ZHENRU}`)).status === 200);

    const overdue = await events('filing.overdue.v1', '2026-10', 4000);
    expect(overdue.map((event) => event.payload.uscc).sort()).toEqual([c, d, e, f, g].map((x) => x!.uscc).sort());
    const status = new Map(overdue.map((event) => [event.payload.uscc, event.payload]));
    expect(status.get(c!.uscc)).toMatchObject({ status: 'not-filed', streetCode: ZHENRU });
    expect(status.get(d!.uscc)).toMatchObject({ status: 'not-filed', streetCode: ZHENRU });
    expect(status.get(e!.uscc)).toMatchObject({ status: 'needs-explanation' });
    expect(status.get(f!.uscc)).toMatchObject({ status: 'rejected' });
    expect(status.get(g!.uscc)).toMatchObject({ status: 'not-filed', streetCode: CHANGSHOU });

    await eventually(
      () =>
        ptHook.delivered.filter((r) => r.body.kind === 'overdue' && r.body.reminder.period === '2026-10').length === 5,
    );
    const zhenruOverdue = zhenruHook.delivered
      .filter((r) => r.body.kind === 'overdue' && r.body.reminder.period === '2026-10')
      .map((r) => r.body.reminder.uscc);
    expect(zhenruOverdue.sort()).toEqual([c, d, e, f].map((x) => x!.uscc).sort());
    const changshouOverdue = changshouHook.delivered
      .filter((r) => r.body.kind === 'overdue' && r.body.reminder.period === '2026-10')
      .map((r) => r.body.reminder.uscc);
    expect(changshouOverdue).toEqual([g!.uscc]);
    for (const hook of [zhenruHook, changshouHook, ptHook]) {
      expect([...hook.countsByKey().values()].every((count) => count === 1)).toBe(true);
      expect(hook.requests.every((r) => r.signatureValid)).toBe(true);
    }
    // Filed on time, or not expected: never reminded.
    for (const quiet of [a, i, h])
      expect(
        zhenruHook.delivered.some((r) => r.body.reminder.uscc === quiet!.uscc && r.body.reminder.period === '2026-10'),
      ).toBe(false);

    const result = (await view(`period=2026-10&street=${ZHENRU}`)).body;
    expect(result.queue.map((item) => item.status)).toEqual(['overdue', 'overdue', 'overdue', 'overdue', 'filed-late']);
  });

  it('keeps a delivery log with every attempt, retried after a failure', async () => {
    const log = await aggregation.http.get<{
      deliveries: { state: string; kind: string; uscc: string; attempts: { statusCode: number | null }[] }[];
    }>('/v1/compliance/webhooks/park/PT/deliveries', { as: ptTeam });
    expect(log.status).toBe(200);
    const late = log.body.deliveries.find((delivery) => delivery.kind === 'late-received')!;
    expect(late).toMatchObject({ state: 'delivered', uscc: b!.uscc });
    expect(late.attempts.map((attempt) => attempt.statusCode)).toEqual([503, 200]);
    expect(
      log.body.deliveries.every((delivery) => delivery.state === 'delivered' || delivery.state === 'pending'),
    ).toBe(true);
  });

  it('records park and carrier filing rates below the threshold: first notice, then second notice (一次通报、两次摘牌)', async () => {
    const evaluation = async (period: string) =>
      (
        await eventually(async () => {
          const response = await aggregation.http.get<{
            recorded: boolean;
            threshold: string;
            parks: Record<string, unknown>[];
            carriers: Record<string, unknown>[];
          }>(`/v1/compliance/evaluation?form=torch-monthly&period=${period}`, { as: principals.commission });
          return response.body.recorded ? response : undefined;
        })
      ).body;
    const september = await evaluation('2026-09');
    expect(september.threshold).toBe('90');
    expect(september.parks).toEqual([
      expect.objectContaining({
        code: 'PT',
        expected: 8,
        filed: 1,
        filingRate: '12.5',
        below: true,
        consecutivePeriodsBelow: 1,
        notice: 'first-notice',
      }),
    ]);
    const october2026 = await evaluation('2026-10');
    expect(october2026.parks).toEqual([
      expect.objectContaining({
        code: 'PT',
        expected: 8,
        filed: 3,
        filedOnTime: 2,
        filingRate: '37.5',
        below: true,
        consecutivePeriodsBelow: 2,
        notice: 'second-notice',
      }),
    ]);
    expect(october2026.carriers).toEqual([
      expect.objectContaining({
        code: 'PT-HAINA',
        parkCode: 'PT',
        expected: 3,
        filed: 2,
        filingRate: '66.67',
        notice: 'second-notice',
      }),
    ]);
    expect(
      (await aggregation.http.get('/v1/compliance/evaluation?form=torch-monthly&period=2026-10', { as: zhenruTeam }))
        .status,
    ).toBe(403);
    expect(
      (await aggregation.http.get('/v1/compliance/evaluation?form=torch-monthly&period=2026-10', { as: ptTeam }))
        .status,
    ).toBe(403);
  });

  it('draws the filing-rate trend over the last periods', async () => {
    const trend = await aggregation.http.get<{
      points: { period: string; expected: number; filed: number; filingRate: string | null }[];
    }>(`/v1/compliance/trend?form=torch-monthly&street=${ZHENRU}&periods=3`, { as: zhenruTeam });
    expect(trend.body.points.map((p) => [p.period, p.expected, p.filed, p.filingRate])).toEqual([
      ['2026-08', 6, 0, '0'],
      ['2026-09', 6, 1, '16.67'],
      ['2026-10', 7, 3, '42.86'],
    ]);
    const csv = await aggregation.http.get<string>(
      `/v1/compliance/trend?form=torch-monthly&street=${ZHENRU}&periods=3&format=csv`,
      { as: zhenruTeam },
    );
    expect(csv.body.trim().split('\r\n')).toHaveLength(4);
  });
  it("shows in the work queue each enterprise's industry, last reminder and its delivery status", async () => {
    type Reminder = {
      kind: string;
      sentAt: string;
      deliveries: { targetKind: string; targetCode: string; state: string }[];
    };
    const queue = await eventually(async () => {
      const { body } = await aggregation.http.get<{
        queue: { uscc: string; industryCode: string; lastReminder: Reminder | null }[];
      }>(`/v1/compliance?form=torch-monthly&period=2026-10&street=${ZHENRU}`, { as: zhenruTeam });
      const settled = body.queue.every((item) => item.lastReminder?.deliveries.every((d) => d.state === 'delivered'));
      return settled ? body.queue : undefined;
    });
    const byUscc = new Map(queue.map((item) => [item.uscc, item]));
    expect(byUscc.get(c!.uscc)!.industryCode).toBe(c!.industryCode);
    // Overdue and never filed: the overdue notice, delivered to the street's and the park's webhooks.
    expect(byUscc.get(c!.uscc)!.lastReminder).toMatchObject({
      kind: 'overdue',
      deliveries: [
        { targetKind: 'street', targetCode: ZHENRU, state: 'delivered' },
        { targetKind: 'park', targetCode: 'PT', state: 'delivered' },
      ],
    });
    // Filed late: the late-received notice is its last reminder.
    expect(byUscc.get(b!.uscc)!.lastReminder).toMatchObject({ kind: 'late-received' });
    const [reminder] = await sqlQuery<{ created_at: Date }>(
      `SELECT created_at FROM aggregation_${aggregation.namespace}.compliance_reminder WHERE uscc = $1 AND period = '2026-10' AND kind = 'overdue'`,
      [c!.uscc],
    );
    expect(byUscc.get(c!.uscc)!.lastReminder!.sentAt).toBe(new Date(reminder!.created_at).toISOString());
  });

  it("ranks a street among its park's streets and the zone's, and a park among the parks, for the trend's last period", async () => {
    const ranks = async (query: string, as = zhenruTeam) =>
      (
        await aggregation.http.get<{ ranks: unknown[] }>(
          `/v1/compliance/trend?form=torch-monthly&periods=2&to=2026-10&${query}`,
          { as },
        )
      ).body.ranks;
    // 2026-10: 真如 filed 3 of 7, 长寿路 0 of 1; both are streets of PT.
    expect(await ranks(`street=${ZHENRU}`)).toEqual([
      { among: 'park-streets', parkCode: 'PT', position: 1, of: 2 },
      { among: 'zone-streets', parkCode: null, position: 1, of: 2 },
    ]);
    expect(await ranks(`street=${CHANGSHOU}`, changshouTeam)).toEqual([
      { among: 'park-streets', parkCode: 'PT', position: 2, of: 2 },
      { among: 'zone-streets', parkCode: null, position: 2, of: 2 },
    ]);
    expect(await ranks('park=PT', ptTeam)).toEqual([{ among: 'zone-parks', parkCode: null, position: 1, of: 1 }]);
    // The zone as a whole is not ranked.
    expect(await ranks('', principals.commission)).toEqual([]);
  });

  it('records a closed period again when a filing received by the end of grace is applied only after the recording', async () => {
    const parkPt = async () =>
      (
        await aggregation.http.get<{ recorded: boolean; parks: { code: string; filed: number; filingRate: string }[] }>(
          '/v1/compliance/evaluation?form=torch-monthly&period=2026-10',
          { as: principals.commission },
        )
      ).body.parks.find((unit) => unit.code === 'PT');
    expect(await parkPt()).toMatchObject({ filed: 3, filingRate: '37.5' });
    // Received on the 17th (within grace), validated and applied now, after October's evaluation was recorded.
    const late = {
      ...verdict(g!.uscc, '2026-10', '2026-11-17T02:00:00.000Z'),
      validatedAt: aggregation.app.get<Clock>(CLOCK).now().toISOString(),
    };
    await publishEvents(kafka, namespace, 'filing.validated.v1', [{ key: late.uscc, payload: late }]);
    await eventually(async () => (await view(`period=2026-10&street=${CHANGSHOU}`, changshouTeam)).body.filed === 1);
    const sweeps = aggregation.app.get(DeadlineScheduler);
    await sweeps.sweep(); // the scheduled sweep may have got there first
    expect(await parkPt()).toMatchObject({ filed: 4, filingRate: '50', notice: 'second-notice' });
    // Recorded again once; the next sweep finds nothing newer to count.
    expect((await sweeps.sweep()).evaluated).toBe(0);
  });
});
