import pino from 'pino';
import type { Clock } from '@huoju/platform';
import { principals, problemOf } from '@huoju/testing';
import { loadComplianceConfig } from './compliance.config';
import { InMemoryWebhooks } from './in-memory-webhooks.fake';
import { WebhookDeliveryError, WebhookService } from './webhook.service';

const ZHENRU = '310107022';
const CHANGSHOU = '310107015';
const clock: Clock = { now: () => new Date('2026-10-20T02:00:00Z') };
const street = { kind: 'street', code: ZHENRU } as const;

function setUp(env: Record<string, string> = {}) {
  const store = new InMemoryWebhooks();
  const sut = new WebhookService(
    store.orm,
    clock,
    loadComplianceConfig({ COMPLIANCE_WEBHOOK_ALLOW_LOOPBACK: 'true', ...env }),
    pino({ level: 'silent' }),
    store.repository as never,
  );
  return { store, sut };
}

describe('WebhookService (in-memory repositories)', () => {
  it('lets the street team set its webhook, stores the secret sealed, and reads it back', async () => {
    const { store, sut } = setUp();
    const view = await sut.configure(principals.street(ZHENRU), 'street', ZHENRU, {
      url: 'http://127.0.0.1:8080/hook',
      secret: 'zhenru-secret-0123456789',
    });
    expect(view).toEqual({
      kind: 'street',
      code: ZHENRU,
      url: 'http://127.0.0.1:8080/hook',
      updatedBy: principals.street(ZHENRU).subject,
      updatedAt: '2026-10-20T02:00:00.000Z',
    });
    const stored = store.webhooks.get(`street|${ZHENRU}`)!;
    expect(stored.secret).toMatch(/^v1\./);
    expect(stored.secret).not.toContain('zhenru-secret');
    expect(await sut.read(principals.commission, 'street', ZHENRU)).toEqual(view);
  });

  it('refuses another street, the commission, and reports every field error at once', async () => {
    const { store, sut } = setUp();
    const body = { url: 'http://127.0.0.1:8080/hook', secret: 'zhenru-secret-0123456789' };
    expect((await problemOf(sut.configure(principals.street(CHANGSHOU), 'street', ZHENRU, body))).status).toBe(403);
    expect((await problemOf(sut.configure(principals.commission, 'street', ZHENRU, body))).status).toBe(403);
    const invalid = await problemOf(
      sut.configure(principals.admin, 'street', ZHENRU, { url: 'ftp://x', secret: 'short' }),
    );
    expect(invalid.status).toBe(422);
    expect(invalid.errors.map((e) => e.pointer)).toEqual(['/url', '/secret']);
    expect(store.webhooks.size).toBe(0);
    expect((await problemOf(sut.read(principals.admin, 'street', ZHENRU))).status).toBe(404);
  });

  it('fails a delivery whose webhook was removed, and skips one already settled', async () => {
    const { store, sut } = setUp();
    store.addDelivery('d-1', street, new Date('2026-10-19T00:00:00Z'));
    expect(await sut.deliver('d-1', 1, false)).toBe('skipped');
    expect(store.deliveries.get('d-1')).toMatchObject({ state: 'failed', lastError: 'WEBHOOK_REMOVED' });
    expect(await sut.deliver('d-1', 2, false)).toBe('skipped');
    expect(store.attempts).toEqual([]);
  });

  it('logs a refused target as an attempt, retries it, and fails it on the last attempt', async () => {
    // Loopback is refused at send time here, so nothing leaves the process.
    const { store, sut } = setUp({ COMPLIANCE_WEBHOOK_ALLOW_LOOPBACK: 'false' });
    store.webhooks.set(`street|${ZHENRU}`, {
      url: 'http://127.0.0.1:8080/hook',
      secret: 'plain-secret-before-sealing',
      updated_by: 'admin',
      updated_at: new Date('2026-10-01T00:00:00Z'),
    });
    store.addDelivery('d-2', street, new Date('2026-10-19T00:00:00Z'));
    await expect(sut.deliver('d-2', 1, false)).rejects.toThrow(WebhookDeliveryError);
    expect(store.deliveries.get('d-2')).toMatchObject({ state: 'pending', attempts: 1, lastError: 'TARGET_REFUSED' });
    await expect(sut.deliver('d-2', 2, true)).rejects.toThrow(WebhookDeliveryError);
    expect(store.deliveries.get('d-2')).toMatchObject({ state: 'failed', attempts: 2, deliveredAt: null });
    expect(store.attempts.map((a) => [a.attempt, a.error, a.status_code])).toEqual([
      [1, 'TARGET_REFUSED', null],
      [2, 'TARGET_REFUSED', null],
    ]);
    const log = await sut.deliveries(principals.street(ZHENRU), 'street', ZHENRU, undefined);
    expect(log.deliveries).toHaveLength(1);
    expect(log.deliveries[0]).toMatchObject({ id: 'd-2', state: 'failed', lastError: 'TARGET_REFUSED' });
    expect(log.deliveries[0]!.attempts.map((a) => a.attempt)).toEqual([1, 2]);
  });
});
