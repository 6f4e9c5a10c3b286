import { Injectable } from '@nestjs/common';
import { MikroORM, type FilterQuery } from '@mikro-orm/postgresql';
import type { AuditQuery, EventEnvelope } from '@huoju/contracts';
import { AuditEntry } from './audit-entry.entity';

@Injectable()
export class AuditRepository {
  constructor(private readonly orm: MikroORM) {}

  async append(entry: Omit<AuditEntry, 'id' | 'at' | 'eventId'>): Promise<void> {
    const em = this.orm.em.fork();
    em.create(AuditEntry, entry);
    await em.flush();
  }

  /** Entries other services recorded, each stored once however often its event is delivered. */
  async appendRecorded(events: readonly EventEnvelope<'audit.recorded.v1'>[]): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map(({ id, payload }) => ({
      event_id: id,
      at: payload.at,
      actor: payload.actor,
      role: payload.role,
      action: payload.action,
      target: payload.target,
      ip: payload.ip,
      details: { ...payload.details, service: payload.service },
    }));
    await this.orm.em.fork().execute(
      `INSERT INTO audit_entry (event_id, at, actor, role, action, target, ip, details)
       SELECT event_id, at, actor, role, action, target, ip, details FROM jsonb_to_recordset(?::jsonb)
           AS r(event_id uuid, at timestamptz, actor text, role text, action text, target text, ip text, details jsonb)
       ON CONFLICT (event_id) WHERE event_id IS NOT NULL DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }

  async page(query: AuditQuery): Promise<{ items: AuditEntry[]; total: number }> {
    const where: FilterQuery<AuditEntry> = {};
    if (query.actor) where.actor = query.actor;
    if (query.action) where.action = query.action;
    if (query.from || query.to)
      where.at = {
        ...(query.from ? { $gte: new Date(query.from) } : {}),
        ...(query.to ? { $lt: new Date(query.to) } : {}),
      };
    const [items, total] = await this.orm.em.fork().findAndCount(AuditEntry, where, {
      orderBy: { at: 'desc', id: 'desc' },
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return { items, total };
  }
}
