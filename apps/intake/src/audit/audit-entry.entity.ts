import { defineEntity, p } from '@mikro-orm/core';
import type { AuditAction } from '@huoju/contracts';

export const AuditEntrySchema = defineEntity({
  name: 'AuditEntry',
  tableName: 'audit_entry',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    at: p.datetime().onCreate(() => new Date()),
    actor: p.string(),
    role: p.string(),
    action: p.string().$type<AuditAction>(),
    target: p.string(),
    ip: p.string(),
    details: p.json<Record<string, unknown>>(),
    /** The audit.recorded.v1 event an entry came from (aggregation, torch-export); null for intake's own. */
    eventId: p.uuid().nullable(),
  },
});

export class AuditEntry extends AuditEntrySchema.class {}
AuditEntrySchema.setClass(AuditEntry);
