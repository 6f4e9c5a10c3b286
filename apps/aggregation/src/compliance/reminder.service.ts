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
import { expectationsSql, type ExpectationFilter } from './expectations.repository';

interface RecordedRow {
  id: string;
  uscc: string;
  period: string;
  park_code: string;
  sub_park_code: string;
  street_code: string;
  name_zh: string;
  outcome: string | null;
  first_filing_id: string | null;
  first_revision: number | null;
  first_received_at: Date | string | null;
}

/** Which expected enterprises a reminder of each kind is for. */
const PREDICATE: Readonly<Record<ReminderKind, string>> = {
  // Nothing accepted yet: an enterprise that filed in time is never reminded.
  'due-soon': 'r.accepted_revision IS NULL',
  overdue: 'r.accepted_revision IS NULL',
  'late-received': 'r.first_received_at > r.due_at',
};

/**
 * Records reminders exactly once. Each batch inserts the reminder keys (unique per enterprise, form, period
 * and kind), the outbox events and the webhook deliveries in one transaction: a second run, a redelivered
 * job, a concurrent instance or a restart finds the keys taken and sends nothing again.
 */
@Injectable()
export class ReminderService {
  constructor(
    private readonly orm: MikroORM,
    private readonly outbox: Outbox,
    private readonly deliveries: DeliveryDispatcher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(COMPLIANCE_CONFIG) private readonly config: ComplianceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Optional hook for the filing.validated.v1 consumer, after its facts transaction: late-received notices at
   * once instead of at the next sweep. Never fails the consumer; the sweep catches whatever this misses.
   */
  async filingsValidated(keys: readonly { uscc: string; formId: string; period: string }[]): Promise<void> {
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
    const candidates = await this.orm.em.fork().execute<{ uscc: string }[]>(
      `SELECT fs.uscc FROM filing_state fs
        WHERE fs.form_id = ? AND fs.period = ? AND fs.first_received_at > ?::timestamptz
          ${usccs ? 'AND fs.uscc IN (SELECT jsonb_array_elements_text(?::jsonb))' : ''}
          AND NOT EXISTS (SELECT 1 FROM compliance_reminder x WHERE x.uscc = fs.uscc AND x.form_id = fs.form_id AND x.period = fs.period AND x.kind = 'late-received')`,
      [
        deadlines.formId,
        deadlines.period,
        deadlines.schedule.dueAt.toISOString(),
        ...(usccs ? [JSON.stringify(usccs)] : []),
      ],
    );
    if (candidates.length === 0) return 0;
    return this.record('late-received', deadlines, { usccs: candidates.map((row) => row.uscc) });
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
    const { sql, params } = expectationsSql([deadlines], filter, now);
    const rows = await tx.execute<RecordedRow[]>(
      `WITH r AS (${sql})
       INSERT INTO compliance_reminder (uscc, form_id, period, kind, park_code, sub_park_code, street_code, name_zh, contact, outcome,
                                        first_filing_id, first_revision, first_received_at, created_at)
       SELECT r.uscc, ?, r.period, ?, r.park_code, r.sub_park_code, r.street_code, r.name_zh, r.contact, r.latest_outcome,
              f.filing_id, f.revision, r.first_received_at, ?::timestamptz
         FROM r LEFT JOIN LATERAL (
           SELECT v.filing_id, v.revision FROM verdict v
            WHERE v.uscc = r.uscc AND v.form_id = ? AND v.period = r.period ORDER BY v.received_at, v.revision LIMIT 1
         ) f ON true
        WHERE ${PREDICATE[kind]}
          AND NOT EXISTS (SELECT 1 FROM compliance_reminder x WHERE x.uscc = r.uscc AND x.form_id = ? AND x.period = r.period AND x.kind = ?)
        ORDER BY r.uscc LIMIT ?
       ON CONFLICT ON CONSTRAINT compliance_reminder_once DO NOTHING
       RETURNING id, uscc, period, park_code, sub_park_code, street_code, name_zh, outcome, first_filing_id, first_revision, first_received_at`,
      [...params, deadlines.formId, kind, now.toISOString(), deadlines.formId, deadlines.formId, kind, batch],
    );
    if (rows.length === 0) return { recorded: 0, deliveryIds: [] };
    const topic = REMINDER_TOPIC[kind];
    const messages = rows.map(
      (row) => ({ topic, key: row.uscc, payload: payloadOf(kind, deadlines, row) }) as OutboxMessage,
    );
    const envelopes = await this.outbox.addAll(tx, messages);
    await tx.execute(
      `UPDATE compliance_reminder r SET topic = ?, event_id = u.event_id, payload = u.payload
         FROM jsonb_to_recordset(?::jsonb) AS u(id bigint, event_id uuid, payload jsonb) WHERE r.id = u.id`,
      [
        topic,
        JSON.stringify(
          rows.map((row, index) => ({ id: row.id, event_id: envelopes[index]!.id, payload: messages[index]!.payload })),
        ),
      ],
    );
    const deliveries = await tx.execute<{ id: string }[]>(
      `INSERT INTO compliance_delivery (id, reminder_id, target_kind, target_code, created_at)
       SELECT gen_random_uuid(), r.id, w.target_kind, w.target_code, ?::timestamptz
         FROM compliance_reminder r
         JOIN compliance_webhook w ON (w.target_kind = 'street' AND w.target_code = r.street_code) OR (w.target_kind = 'park' AND w.target_code = r.park_code)
        WHERE r.id IN (SELECT jsonb_array_elements_text(?::jsonb)::bigint)
       ON CONFLICT ON CONSTRAINT compliance_delivery_once DO NOTHING
       RETURNING id`,
      [now.toISOString(), JSON.stringify(rows.map((row) => row.id))],
    );
    return { recorded: rows.length, deliveryIds: deliveries.map((row) => row.id) };
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
