import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { MikroORM } from '@mikro-orm/postgresql';
import type { EventEnvelope } from '@huoju/contracts';
import { ConsumeEvent } from '@huoju/messaging';
import { Metrics } from '@huoju/platform';
import { ReminderService } from '../compliance/reminder.service';
import { RollupScheduler } from '../rollups/rollup.scheduler';
import { FactsService } from './facts.service';

/** Verdicts in, facts updated in one transaction; then the touched parks' periods are queued for roll-up. */
@Controller()
export class FilingValidatedConsumer {
  constructor(
    private readonly orm: MikroORM,
    private readonly facts: FactsService,
    private readonly scheduler: RollupScheduler,
    private readonly reminders: ReminderService,
    private readonly metrics: Metrics,
  ) {}

  @ConsumeEvent('filing.validated.v1', { batch: true })
  async handle(@Payload() envelopes: EventEnvelope<'filing.validated.v1'>[]): Promise<void> {
    const em = this.orm.em.fork();
    const verdicts = envelopes.map((envelope) => envelope.payload);
    await em.transactional((tx) => this.facts.apply(tx, verdicts));
    for (const envelope of envelopes) {
      if (envelope.payload.outcome === 'accepted')
        this.metrics.freshness.observe((Date.now() - Date.parse(envelope.occurredAt)) / 1000);
    }
    // Every period of the batch, changed or not: a redelivery after a crash must still schedule its roll-up.
    await this.scheduler.factsChanged(
      em,
      verdicts.map((v) => ({ uscc: v.uscc, formId: v.formId, period: v.period })),
    );
    // A first filing after its due date is announced now rather than at the next compliance sweep.
    await this.reminders.filingsValidated(verdicts);
  }
}
