import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { AuditRecorded } from '@huoju/contracts';
import { LOGGER, currentCorrelationId, type Principal } from '@huoju/platform';
import { Outbox } from '../outbox/outbox';
import type { MessagingOptions } from '../messaging.module';
import { MESSAGING_OPTIONS } from '../messaging-options.token';

/**
 * Writes what a caller did at this service into intake's audit log, as an `audit.recorded.v1` event
 * through this service's outbox: the entry survives intake being down, and no service writes another's
 * schema. Recording never fails the request it records: a failure is logged loudly instead.
 */
@Injectable()
export class AuditTrail {
  constructor(
    private readonly orm: MikroORM,
    private readonly outbox: Outbox,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async record(
    principal: Principal,
    ip: string,
    entry: { action: AuditRecorded['action']; target: string; details?: Record<string, unknown> },
  ): Promise<void> {
    const payload: AuditRecorded = {
      service: this.options.service,
      actor: principal.subject,
      role: principal.role,
      action: entry.action,
      target: entry.target.slice(0, 200),
      ip: ip.slice(0, 64),
      // Real time, like the entries intake writes itself, so the log reads in order.
      at: new Date().toISOString(),
      details: entry.details ?? {},
    };
    try {
      await this.outbox.add(this.orm.em.fork(), {
        topic: 'audit.recorded.v1',
        key: principal.subject,
        payload,
        correlationId: currentCorrelationId(),
      });
    } catch (error) {
      this.logger.error({ err: error, audit: payload }, 'audit entry not written');
    }
  }
}
