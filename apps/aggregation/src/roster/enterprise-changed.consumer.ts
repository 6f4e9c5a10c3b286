import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { MikroORM } from '@mikro-orm/postgresql';
import type { EventEnvelope } from '@huoju/contracts';
import { ConsumeEvent } from '@huoju/messaging';
import { applyEnterpriseChanges } from '@huoju/persistence';
import { FigureDeltasRepository, lockRoster } from '../figures/figure-deltas.repository';
import { RollupScheduler } from '../rollups/rollup.scheduler';

/** Keeps aggregation's roster copy; a changed attribution moves the figures of the periods it affects at once. */
@Controller()
export class EnterpriseChangedConsumer {
  constructor(
    private readonly orm: MikroORM,
    private readonly figures: FigureDeltasRepository,
    private readonly scheduler: RollupScheduler,
  ) {}

  @ConsumeEvent('registry.enterprise-changed.v1', { batch: true })
  async handle(@Payload() envelopes: EventEnvelope<'registry.enterprise-changed.v1'>[]): Promise<void> {
    const em = this.orm.em.fork();
    const usccs = [...new Set(envelopes.map((envelope) => envelope.payload.uscc))];
    const pending = await em.transactional(async (tx) => {
      await lockRoster(tx, 'change');
      await applyEnterpriseChanges(
        tx,
        envelopes.map((envelope) => envelope.payload),
      );
      const keys = await this.scheduler.rosterKeys(tx, usccs);
      await this.figures.apply(tx, keys);
      return this.scheduler.recordPending(tx, keys);
    });
    await this.scheduler.enqueue(pending);
  }
}
