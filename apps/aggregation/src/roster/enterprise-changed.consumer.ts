import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { MikroORM } from '@mikro-orm/postgresql';
import type { EventEnvelope } from '@huoju/contracts';
import { ConsumeEvent } from '@huoju/messaging';
import { applyEnterpriseChanges } from '@huoju/persistence';
import { RollupScheduler } from '../rollups/rollup.scheduler';

/** Keeps aggregation's roster copy; a changed attribution re-rolls the periods it affects. */
@Controller()
export class EnterpriseChangedConsumer {
  constructor(
    private readonly orm: MikroORM,
    private readonly scheduler: RollupScheduler,
  ) {}

  @ConsumeEvent('registry.enterprise-changed.v1', { batch: true })
  async handle(@Payload() envelopes: EventEnvelope<'registry.enterprise-changed.v1'>[]): Promise<void> {
    const em = this.orm.em.fork();
    await em.transactional((tx) =>
      applyEnterpriseChanges(
        tx,
        envelopes.map((envelope) => envelope.payload),
      ),
    );
    await this.scheduler.rosterChanged(em, [...new Set(envelopes.map((envelope) => envelope.payload.uscc))]);
  }
}
