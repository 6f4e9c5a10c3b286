import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { MikroORM } from '@mikro-orm/postgresql';
import type { EventEnvelope } from '@huoju/contracts';
import { ConsumeEvent } from '@huoju/messaging';
import { RosterHistoryRepository } from './roster-history.repository';

/** The roster projection: every registry version kept, so an export reads the roster of its period and cut-off. */
@Controller()
export class EnterpriseChangedConsumer {
  constructor(
    private readonly orm: MikroORM,
    private readonly roster: RosterHistoryRepository,
  ) {}

  @ConsumeEvent('registry.enterprise-changed.v1', { batch: true })
  async handle(@Payload() envelopes: EventEnvelope<'registry.enterprise-changed.v1'>[]): Promise<void> {
    await this.orm.em.fork().transactional((em) =>
      this.roster.record(
        em,
        envelopes.map((envelope) => envelope.payload),
      ),
    );
  }
}
