import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { FilingDueSoon, FilingLateReceived, FilingOverdue, PayloadOf } from '@huoju/contracts';
import {
  KAFKA,
  MESSAGING_OPTIONS,
  Outbox,
  ensureTopics,
  type MessagingOptions,
  type OutboxMessage,
} from '@huoju/messaging';
import { CLOCK, LOGGER, type Clock } from '@huoju/platform';
import type { AppliedVerdict, VerdictsAppliedHook } from '../facts/verdicts-applied.hook';
import { COMPLIANCE_CONFIG, type ComplianceConfig } from './compliance.config';
import { REMINDER_TOPIC, type ReminderKind } from './compliance-status';
import {
  daysLate,
  deadlinesOf,
  lateReceiptsPossible,
  overdueCatchUpDue,
  type PeriodDeadlines,
} from './deadline-calendar';
import { DeliveryDispatcher } from './delivery.dispatcher';
import type { ExpectationFilter } from './expectations.repository';
import { ReminderRepository, type RecordedRow } from './reminder.repository';

/**
 * Records reminders exactly once. Each batch inserts the reminder keys (unique per enterprise, form, period
 * and kind), the outbox events and the webhook deliveries in one transaction: a second run, a redelivered
 * job, a concurrent instance or a restart finds the keys taken and sends nothing again.
 */
@Injectable()
export class ReminderService implements VerdictsAppliedHook {
  constructor(
    private readonly orm: MikroORM,
    private readonly outbox: Outbox,
    private readonly deliveries: DeliveryDispatcher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(COMPLIANCE_CONFIG) private readonly config: ComplianceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly reminders: ReminderRepository,
  ) {}

  /**
   * Optional hook for the filing.validated.v1 consumer, after its facts transaction: late-received notices at
   * once instead of at the next sweep. Never fails the consumer; the sweep catches whatever this misses.
   */
  async filingsValidated(keys: readonly AppliedVerdict[]): Promise<void> {
    if (this.config.COMPLIANCE_REMINDERS === 'off') return;
    const byPeriod = new Map<string, { formId: string; period: string; usccs: Set<string> }>();
    for (const { uscc, formId, period } of keys) {
      const group = byPeriod.get(`${formId}|${period}`) ?? { formId, period, usccs: new Set<string>() };
      group.usccs.add(uscc);
      byPeriod.set(`${formId}|${period}`, group);
    }
    for (const { formId, period, usccs } of byPeriod.values()) {
      const deadlines = deadlinesOf(formId, period, this.config.COMPLIANCE_REMIND_HOUR);
      if (!deadlines) continue;
      try {
        await this.lateReceived(deadlines, [...usccs]);
      } catch (error) {
        this.logger.warn({ err: error, formId, period }, 'late-received check failed; the next sweep retries it');
      }
    }
  }

  /** Due-soon reminders, only between their time and the due date (never after it). */
  async dueSoon(deadlines: PeriodDeadlines): Promise<number> {
    const now = this.clock.now();
    if (now < deadlines.dueSoonAt || now >= deadlines.schedule.dueAt) return 0;
    return this.record('due-soon', deadlines, {});
  }

  /** Overdue notices, once the grace period has ended (and while that is still news: see overdueCatchUpDue). */
  async overdue(deadlines: PeriodDeadlines): Promise<number> {
    if (!overdueCatchUpDue(deadlines, this.clock.now(), this.config.COMPLIANCE_CATCH_UP_DAYS)) return 0;
    return this.record('overdue', deadlines, {});
  }

  /** Late-received notices for first receipts after the due date (all of the period, or just these enterprises). */
  async lateReceived(deadlines: PeriodDeadlines, usccs?: readonly string[]): Promise<number> {
    if (!lateReceiptsPossible(deadlines, this.clock.now())) return 0;
    const candidates = await this.reminders.lateReceivedCandidates(this.orm.em.fork(), deadlines, usccs);
    if (candidates.length === 0) return 0;
    return this.record('late-received', deadlines, { usccs: candidates });
  }

  private async record(kind: ReminderKind, deadlines: PeriodDeadlines, filter: ExpectationFilter): Promise<number> {
    const batch = this.config.COMPLIANCE_REMINDER_BATCH;
    let total = 0;
    for (;;) {
      const { recorded, deliveryIds } = await this.orm.em
        .fork()
        .transactional((tx) => this.recordBatch(tx, kind, deadlines, filter, batch));
      // After the commit; if this fails, the sweep queues the committed deliveries again.
      await this.deliveries.enqueue(deliveryIds);
      total += recorded;
      if (recorded < batch) return total;
    }
  }

  private async recordBatch(
    tx: EntityManager,
    kind: ReminderKind,
    deadlines: PeriodDeadlines,
    filter: ExpectationFilter,
    batch: number,
  ): Promise<{ recorded: number; deliveryIds: string[] }> {
    const now = this.clock.now();
    const rows = await this.reminders.insertBatch(tx, kind, deadlines, filter, now, batch);
    if (rows.length === 0) return { recorded: 0, deliveryIds: [] };
    const topic = REMINDER_TOPIC[kind];
    const messages = rows.map(
      (row) => ({ topic, key: row.uscc, payload: payloadOf(kind, deadlines, row) }) as OutboxMessage,
    );
    const envelopes = await this.outbox.addAll(tx, messages);
    await this.reminders.attachEvents(
      tx,
      topic,
      rows.map((row, index) => ({
        reminderId: row.id,
        eventId: envelopes[index]!.id,
        payload: messages[index]!.payload,
      })),
    );
    const deliveryIds = await this.reminders.insertDeliveries(
      tx,
      rows.map((row) => row.id),
      now,
    );
    return { recorded: rows.length, deliveryIds };
  }
}

function payloadOf(
  kind: ReminderKind,
  deadlines: PeriodDeadlines,
  row: RecordedRow,
): PayloadOf<(typeof REMINDER_TOPIC)[ReminderKind]> {
  const base = {
    uscc: row.uscc,
    nameZh: row.name_zh,
    formId: deadlines.formId,
    period: deadlines.period,
    dueOn: deadlines.schedule.dueOn,
    graceEndsOn: deadlines.schedule.graceEndsOn,
    parkCode: row.park_code,
    subParkCode: row.sub_park_code,
    streetCode: row.street_code,
  };
  switch (kind) {
    case 'due-soon':
      return { ...base, remindOn: deadlines.schedule.remindOn } satisfies FilingDueSoon;
    case 'overdue':
      return { ...base, status: overdueStatus(row.outcome) } satisfies FilingOverdue;
    case 'late-received': {
      const receivedAt = new Date(row.first_received_at!);
      return {
        ...base,
        filingId: row.first_filing_id!,
        revision: row.first_revision!,
        receivedAt: receivedAt.toISOString(),
        daysLate: daysLate(deadlines.schedule.dueOn, receivedAt),
      } satisfies FilingLateReceived;
    }
  }
}

function overdueStatus(outcome: string | null): FilingOverdue['status'] {
  switch (outcome) {
    case null:
      return 'not-filed';
    case 'needs-explanation':
    case 'rejected':
      return outcome;
    default:
      return 'received';
  }
}

/** Creates the reminder topics at start, before the outbox relay first publishes to them. */
@Injectable()
export class ReminderTopics implements OnModuleInit {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(MESSAGING_OPTIONS) private readonly messaging: MessagingOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    await ensureTopics(this.kafka, Object.values(REMINDER_TOPIC), {
      partitions: this.messaging.partitions,
      namespace: this.messaging.physicalTopic,
    });
  }
}
