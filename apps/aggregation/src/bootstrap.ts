import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { startHttpService } from '@huoju/messaging';
import { AggregationModule } from './app.module';
import type { AggregationConfig } from './aggregation.config';

export function startAggregation(config: AggregationConfig, logger: Logger): Promise<NestFastifyApplication> {
  return startHttpService(AggregationModule.register(config, logger), {
    service: 'aggregation',
    title: 'Huoju aggregation',
    description: 'Exact figures per zone, park, sub-park, street and industry; roll-ups; targets (汇总 与 目标)',
    logger,
    contract: 'aggregation',
    port: config.PORT,
    host: config.HOST,
    trustProxy: config.TRUST_PROXY,
  });
}
