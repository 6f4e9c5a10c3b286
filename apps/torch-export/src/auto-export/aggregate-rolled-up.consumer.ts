import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@huoju/contracts';
import { ConsumeEvent } from '@huoju/messaging';
import { AutoExportService } from './auto-export.service';

/** A park's period finished rolling up: export it if the park is configured for automatic exports. */
@Controller()
export class AggregateRolledUpConsumer {
  constructor(private readonly autoExports: AutoExportService) {}

  @ConsumeEvent('aggregate.rolledup.v1', { batch: true })
  async handle(@Payload() envelopes: EventEnvelope<'aggregate.rolledup.v1'>[]): Promise<void> {
    await this.autoExports.onRolledUp(envelopes);
  }
}
