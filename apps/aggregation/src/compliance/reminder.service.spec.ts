import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { EventEnvelope } from '@huoju/contracts';
import type { Outbox, OutboxMessage } from '@huoju/messaging';
import type { Clock } from '@huoju/platform';
import { loadComplianceConfig } from './compliance.config';
import { deadlinesOf } from './deadline-calendar';
import type { DeliveryDispatcher } from './delivery.dispatcher';
import type { RecordedRow, ReminderRepository } from './reminder.repository';
import { ReminderService } from './reminder.service';

type Public<T> = { [K in keyof T]: T[K] };

const september = deadlinesOf('torch-monthly', '2026-09', 9)!;

/** Reminders in memory: `expected` enterprises not reminded yet, recorded batch by batch like the SQL does. */
function setUp(expected: string[], now: Date) {
  const reminded = new Set<string>();
  const events = new Map<string, string>();
  const transactions: string[][] = [];
  const queued: string[] = [];
  const orm = {
    em: { fork: () => ({ transactional: <T>(work: (em: EntityManager) => Promise<T>) => work({} as EntityManager) }) },
  } as unknown as MikroORM;
  const reminders: Public<ReminderRepository> = {
    lateReceivedCandidates: async () => [],
    insertBatch: async (_tx, _kind, deadlines, _filter, _now, batch) => {
      const rows = expected
        .filter((uscc) => !reminded.has(uscc))
        .slice(0, batch)
        .map(
          (uscc): RecordedRow => ({
            id: `r-${uscc}`,
            uscc,
            period: deadlines.period,
            park_code: 'PT',
            sub_park_code: 'PT-1',
            street_code: '310107022',
            name_zh: uscc,
            outcome: null,
            first_filing_id: null,
            first_revision: null,
            first_received_at: null,
          }),
        );
      rows.forEach((row) => reminded.add(row.uscc));
      transactions.push(rows.map((row) => row.uscc));
      return rows;
    },
    attachEvents: async (_tx, _topic, attached) => attached.forEach((e) => events.set(e.reminderId, e.eventId)),
    insertDeliveries: async (_tx, reminderIds) => reminderIds.map((id) => `d-${id}`),
  };
  const outbox = {
    addAll: async (_em: EntityManager, messages: readonly OutboxMessage[]) =>
      messages.map((m) => ({ id: randomUUID(), key: m.key, type: m.topic }) as unknown as EventEnvelope),
  } as unknown as Outbox;
  const dispatcher = { enqueue: async (ids: readonly string[]) => void queued.push(...ids) } as DeliveryDispatcher;
  const clock: Clock = { now: () => now };
  const config = loadComplianceConfig({ COMPLIANCE_REMINDER_BATCH: '2' });
  const sut = new ReminderService(orm, outbox, dispatcher, clock, config, pino({ level: 'silent' }), reminders);
  return { sut, transactions, events, queued };
}

describe('ReminderService (in-memory repositories)', () => {
  it('records due-soon reminders in batches, each with its event and deliveries, and queues them after each batch', async () => {
    const { sut, transactions, events, queued } = setUp(['A', 'B', 'C'], september.dueSoonAt);
    expect(await sut.dueSoon(september)).toBe(3);
    expect(transactions).toEqual([['A', 'B'], ['C']]);
    expect([...events.keys()]).toEqual(['r-A', 'r-B', 'r-C']);
    expect(queued).toEqual(['d-r-A', 'd-r-B', 'd-r-C']);
    // A second sweep finds every key taken and sends nothing.
    expect(await sut.dueSoon(september)).toBe(0);
  });

  it('sends no due-soon reminder before its time or after the due date', async () => {
    const early = setUp(['A'], new Date(september.dueSoonAt.getTime() - 1));
    expect(await early.sut.dueSoon(september)).toBe(0);
    const late = setUp(['A'], september.schedule.dueAt);
    expect(await late.sut.dueSoon(september)).toBe(0);
    expect([...early.transactions, ...late.transactions]).toEqual([]);
  });
});
