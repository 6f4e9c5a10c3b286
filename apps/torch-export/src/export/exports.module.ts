import { Module } from '@nestjs/common';
import { ExportJobRepository } from './export-job.repository';
import { exportQuotaProvider } from './export-quota';
import { ExportProcessor } from './export.processor';
import { ExportQueue } from './export.queue';
import { ExportsController } from './exports.controller';
import { ExportsService } from './exports.service';

const httpControllers = [ExportsController];
const services = [ExportsService];
const jobs = [ExportQueue, ExportProcessor];
const repositories = [ExportJobRepository];

/** Export jobs: the HTTP API, the BullMQ queue and worker, the writers and manifests. */
@Module({
  controllers: httpControllers,
  providers: [...services, ...jobs, ...repositories, exportQuotaProvider],
  exports: [ExportsService, ExportJobRepository],
})
export class ExportsModule {}
