import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@huoju/contracts';
import { ConsumeEvent } from '@huoju/messaging';
import { AuditRepository } from './audit.repository';

/** Audit entries aggregation and torch-export record (exports, downloads, roll-ups) join intake's log. */
@Controller()
export class AuditRecordedConsumer {
  constructor(private readonly entries: AuditRepository) {}

  @ConsumeEvent('audit.recorded.v1', { batch: true })
  async handle(@Payload() envelopes: EventEnvelope<'audit.recorded.v1'>[]): Promise<void> {
    await this.entries.appendRecorded(envelopes);
  }
}
