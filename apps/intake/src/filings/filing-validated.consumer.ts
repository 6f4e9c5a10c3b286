import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { MikroORM } from '@mikro-orm/postgresql';
import type { EventEnvelope } from '@huoju/contracts';
import { ConsumeEvent } from '@huoju/messaging';
import { FilingStatusRepository } from './filing-status.repository';

/** Records validation's verdicts on revisions, one transaction per consumed batch. */
@Controller()
export class FilingValidatedConsumer {
  constructor(
    private readonly orm: MikroORM,
    private readonly statuses: FilingStatusRepository,
  ) {}

  @ConsumeEvent('filing.validated.v1', { batch: true })
  async handle(@Payload() envelopes: EventEnvelope<'filing.validated.v1'>[]): Promise<void> {
    const verdicts = envelopes.map(({ payload }) => ({
      filing_id: payload.filingId,
      revision: payload.revision,
      verdict: payload.verdict,
      outcome: payload.outcome,
      findings: payload.findings,
      validated_at: payload.validatedAt,
    }));
    await this.orm.em.fork().transactional((em) => this.statuses.applyVerdicts(em, verdicts));
  }
}
