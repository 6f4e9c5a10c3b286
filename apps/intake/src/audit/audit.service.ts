import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { auditQuerySchema, type AuditAction, type AuditEntry as AuditEntryView } from '@huoju/contracts';
import { LOGGER } from '@huoju/platform';
import { parseRequest } from '../auth/parse-request';
import { AuditRepository } from './audit.repository';

export interface AuditRecord {
  readonly actor: string;
  readonly role: string;
  readonly action: AuditAction;
  readonly target: string;
  /** The client address as the proxy trust (TRUST_PROXY) sees it. */
  readonly ip: string;
  readonly details?: Record<string, unknown>;
}

/**
 * The audit log of sign-ins, key and account changes, returns of filings and roster changes. Writing it
 * never fails the request it records: a failure is logged loudly instead.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly entries: AuditRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async record(record: AuditRecord): Promise<void> {
    try {
      await this.entries.append({ ...record, details: record.details ?? {} });
    } catch (error) {
      this.logger.error({ err: error, audit: record }, 'audit entry not written');
    }
  }

  async page(query: unknown): Promise<{ items: AuditEntryView[]; total: number; page: number; pageSize: number }> {
    const parsed = parseRequest(auditQuerySchema, query, '/query');
    const { items, total } = await this.entries.page(parsed);
    return {
      items: items.map((entry) => ({
        id: entry.id,
        at: entry.at.toISOString(),
        actor: entry.actor,
        role: entry.role,
        action: entry.action,
        target: entry.target,
        ip: entry.ip,
        details: entry.details,
      })),
      total,
      page: parsed.page,
      pageSize: parsed.pageSize,
    };
  }
}
