import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReminderKind } from './compliance-status';
import type { PeriodDeadlines } from './deadline-calendar';
import { expectationsSql, type ExpectationFilter } from './expectations.repository';

/** A reminder just recorded, with what its event says. */
export interface RecordedRow {
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
 * The set-based SQL of reminders: `compliance_reminder` keys (unique per enterprise, form, period and kind) and
 * their webhook deliveries, each written in the caller's transaction with the outbox events (ReminderService).
 */
@Injectable()
export class ReminderRepository {
  /** Enterprises first received after the due date that have no late-received reminder yet. */
  async lateReceivedCandidates(
    em: EntityManager,
    deadlines: PeriodDeadlines,
    usccs?: readonly string[],
  ): Promise<string[]> {
    const rows = await em.execute<{ uscc: string }[]>(
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
    return rows.map((row) => row.uscc);
  }

  /** Up to `batch` reminders of that kind for expected enterprises not reminded yet; keys already taken are skipped. */
  async insertBatch(
    tx: EntityManager,
    kind: ReminderKind,
    deadlines: PeriodDeadlines,
    filter: ExpectationFilter,
    now: Date,
    batch: number,
  ): Promise<RecordedRow[]> {
    const { sql, params } = expectationsSql([deadlines], filter, now);
    return tx.execute<RecordedRow[]>(
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
  }

  /** Each reminder keeps the event that announced it (the webhook body repeats it). */
  async attachEvents(
    tx: EntityManager,
    topic: string,
    events: readonly { reminderId: string; eventId: string; payload: unknown }[],
  ): Promise<void> {
    await tx.execute(
      `UPDATE compliance_reminder r SET topic = ?, event_id = u.event_id, payload = u.payload
         FROM jsonb_to_recordset(?::jsonb) AS u(id bigint, event_id uuid, payload jsonb) WHERE r.id = u.id`,
      [topic, JSON.stringify(events.map((e) => ({ id: e.reminderId, event_id: e.eventId, payload: e.payload })))],
    );
  }

  /** One delivery per reminder and webhook of its street or park; returns the new deliveries' ids. */
  async insertDeliveries(tx: EntityManager, reminderIds: readonly string[], now: Date): Promise<string[]> {
    const rows = await tx.execute<{ id: string }[]>(
      `INSERT INTO compliance_delivery (id, reminder_id, target_kind, target_code, created_at)
       SELECT gen_random_uuid(), r.id, w.target_kind, w.target_code, ?::timestamptz
         FROM compliance_reminder r
         JOIN compliance_webhook w ON (w.target_kind = 'street' AND w.target_code = r.street_code) OR (w.target_kind = 'park' AND w.target_code = r.park_code)
        WHERE r.id IN (SELECT jsonb_array_elements_text(?::jsonb)::bigint)
       ON CONFLICT ON CONSTRAINT compliance_delivery_once DO NOTHING
       RETURNING id`,
      [now.toISOString(), JSON.stringify(reminderIds)],
    );
    return rows.map((row) => row.id);
  }
}
