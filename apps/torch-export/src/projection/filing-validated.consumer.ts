import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { MikroORM } from '@mikro-orm/postgresql';
import type { EventEnvelope } from '@huoju/contracts';
import { ConsumeEvent } from '@huoju/messaging';
import { VerdictRepository } from './verdict.repository';

/** Keeps every verdict and the accepted filing per enterprise, form and period (natural-key idempotent). */
@Controller()
export class FilingValidatedConsumer {
  constructor(
    private readonly orm: MikroORM,
    private readonly verdicts: VerdictRepository,
  ) {}

  @ConsumeEvent('filing.validated.v1', { batch: true })
  async handle(@Payload() envelopes: EventEnvelope<'filing.validated.v1'>[]): Promise<void> {
    await this.orm.em.fork().transactional((em) =>
      this.verdicts.record(
        em,
        envelopes.map((envelope) => envelope.payload),
      ),
    );
  }
}
