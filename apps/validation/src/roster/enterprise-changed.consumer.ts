import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { MikroORM } from '@mikro-orm/postgresql';
import type { EventEnvelope } from '@huoju/contracts';
import { ConsumeEvent } from '@huoju/messaging';
import { applyEnterpriseChanges } from '@huoju/persistence';

/** Keeps validation's copy of the roster (industry and survey scope) from the registry topic. */
@Controller()
export class EnterpriseChangedConsumer {
  constructor(private readonly orm: MikroORM) {}

  @ConsumeEvent('registry.enterprise-changed.v1', { batch: true })
  async handle(@Payload() envelopes: EventEnvelope<'registry.enterprise-changed.v1'>[]): Promise<void> {
    await this.orm.em.fork().transactional((em) =>
      applyEnterpriseChanges(
        em,
        envelopes.map((envelope) => envelope.payload),
      ),
    );
  }
}
