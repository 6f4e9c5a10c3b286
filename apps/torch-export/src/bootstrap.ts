import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { connectKafkaConsumer } from '@huoju/messaging';
import { createHttpApp } from '@huoju/platform';
import { TorchExportModule } from './app.module';
import type { TorchExportConfig } from './torch-export.config';

/** Builds and starts torch-export: HTTP on Fastify, its Kafka consumer and its BullMQ worker. Used by main.ts and the tests. */
export async function startTorchExport(config: TorchExportConfig, logger: Logger): Promise<NestFastifyApplication> {
  const app = await createHttpApp(TorchExportModule.register(config, logger), {
    service: 'torch-export',
    title: 'Huoju torch-export',
    description: 'Torch XLSX, CSV and SDMX-CSV exports with manifests and reproducible cut-offs (火炬统计 报送文件)',
    logger,
    trustProxy: config.TRUST_PROXY,
    contract: 'torch-export',
  });
  connectKafkaConsumer(app, logger);
  await app.startAllMicroservices();
  await app.listen(config.PORT, config.HOST);
  return app;
}
