import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReminderKind } from './compliance-status';

export interface ReminderDelivery {
  readonly targetKind: 'street' | 'park';
  readonly targetCode: string;
  readonly state: 'pending' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly deliveredAt: string | null;
  readonly lastError: string | null;
}

/** The newest reminder recorded for an enterprise and period, with the state of its webhook deliveries. */
export interface LastReminder {
  readonly kind: ReminderKind;
  readonly sentAt: string;
  /** One per webhook the reminder went to (the street's, the park's); empty when none was configured. */
  readonly deliveries: readonly ReminderDelivery[];
}

interface RawRow {
  uscc: string;
  kind: ReminderKind;
  created_at: Date | string;
  deliveries: {
    target_kind: 'street' | 'park';
    target_code: string;
    state: ReminderDelivery['state'];
    attempts: number;
    delivered_at: string | null;
    last_error: string | null;
  }[];
}

/** For the work queue: each listed enterprise's last reminder of the period and how its delivery went. */
@Injectable()
export class QueueRemindersQuery {
  async lastReminders(
    em: EntityManager,
    formId: string,
    period: string,
    usccs: readonly string[],
  ): Promise<Map<string, LastReminder>> {
    if (usccs.length === 0) return new Map();
    const rows = await em.execute<RawRow[]>(
      `SELECT DISTINCT ON (r.uscc) r.uscc, r.kind, r.created_at,
              COALESCE((SELECT json_agg(json_build_object('target_kind', d.target_kind, 'target_code', d.target_code,
                                'state', d.state, 'attempts', d.attempts, 'delivered_at', d.delivered_at,
                                'last_error', d.last_error) ORDER BY d.target_kind DESC, d.target_code)
                          FROM compliance_delivery d WHERE d.reminder_id = r.id), '[]'::json) AS deliveries
         FROM compliance_reminder r
        WHERE r.form_id = ? AND r.period = ? AND r.uscc IN (SELECT jsonb_array_elements_text(?::jsonb))
        ORDER BY r.uscc, r.created_at DESC, r.id DESC`,
      [formId, period, JSON.stringify(usccs)],
    );
    return new Map(
      rows.map((row) => [
        row.uscc,
        {
          kind: row.kind,
          sentAt: new Date(row.created_at).toISOString(),
          deliveries: row.deliveries.map((d) => ({
            targetKind: d.target_kind,
            targetCode: d.target_code,
            state: d.state,
            attempts: d.attempts,
            deliveredAt: d.delivered_at === null ? null : new Date(d.delivered_at).toISOString(),
            lastError: d.last_error,
          })),
        },
      ]),
    );
  }
}
