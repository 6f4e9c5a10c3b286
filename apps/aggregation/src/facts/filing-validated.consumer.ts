import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { MikroORM } from '@mikro-orm/postgresql';
import type { EventEnvelope } from '@huoju/contracts';
import { ConsumeEvent } from '@huoju/messaging';
import { Metrics } from '@huoju/platform';
import { FigureDeltasRepository, lockRoster } from '../figures/figure-deltas.repository';
import { keysReading, uniquePeriodKeys } from '../figures/figure-periods';
import { RollupScheduler } from '../rollups/rollup.scheduler';
import { FactsRepository } from './facts.repository';
import { VerdictsAppliedHook } from './verdicts-applied.hook';

/**
 * Verdicts in: the batch's facts, the served figures (by exact deltas) and the pending roll-ups change in
 * one transaction, so a figure is current when the offset is committed; then the roll-ups are queued.
 */
@Controller()
export class FilingValidatedConsumer {
  constructor(
    private readonly orm: MikroORM,
    private readonly facts: FactsRepository,
    private readonly figures: FigureDeltasRepository,
    private readonly scheduler: RollupScheduler,
    private readonly metrics: Metrics,
    private readonly afterApplied: VerdictsAppliedHook,
  ) {}

  @ConsumeEvent('filing.validated.v1', { batch: true })
  async handle(@Payload() envelopes: EventEnvelope<'filing.validated.v1'>[]): Promise<void> {
    const em = this.orm.em.fork();
    const verdicts = envelopes.map((envelope) => envelope.payload);
    const pending = await em.transactional(async (tx) => {
      await lockRoster(tx, 'read');
      const changed = await this.facts.apply(tx, verdicts);
      // Every period of the batch (its completeness may move with any verdict), and where facts changed,
      // the periods whose single-month and last-year values read them.
      const touched = uniquePeriodKeys([
        ...verdicts.map((v) => ({ uscc: v.uscc, formId: v.formId, period: v.period })),
        ...changed.flatMap(keysReading),
      ]);
      await this.figures.apply(tx, touched);
      // Every period of the batch, changed or not: a redelivery after a crash must still schedule its roll-up.
      return this.scheduler.recordPending(tx, touched);
    });
    await this.scheduler.enqueue(pending);
    for (const envelope of envelopes) {
      if (envelope.payload.outcome === 'accepted')
        this.metrics.freshness.observe((Date.now() - Date.parse(envelope.occurredAt)) / 1000);
    }
    // A first filing after its due date is announced now rather than at the next compliance sweep.
    await this.afterApplied.filingsValidated(verdicts);
  }
}
