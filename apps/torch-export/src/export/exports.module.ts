import { Module } from '@nestjs/common';
import { ExportJobRepository } from './export-job.repository';
import { exportQuotaProvider } from './export-quota';
import { ExportProcessor } from './export.processor';
import { ExportFileExpiry } from './export-file-expiry.service';
import { ExportQueue } from './export.queue';
import { ExportReconciler } from './export.reconciler';
import { ExportsController } from './exports.controller';
import { ExportsService } from './exports.service';
import { EXPORT_FILE_STORE } from './file-store/export-file-store';
import { ExportFileRepository } from './file-store/export-file.repository';
import { exportFileStoreProvider } from './file-store/export-file-store.provider';
import { PostgresExportFileStore } from './file-store/postgres-export-file-store';

const httpControllers = [ExportsController];
const services = [ExportsService];
const jobs = [ExportQueue, ExportProcessor, ExportReconciler, ExportFileExpiry];
const repositories = [ExportJobRepository];
const fileStore = [exportFileStoreProvider, PostgresExportFileStore, ExportFileRepository];

/** Export jobs: the HTTP API, the BullMQ queue and worker, the writers and manifests, the file store. */
@Module({
  controllers: httpControllers,
  providers: [...services, ...jobs, ...repositories, ...fileStore, exportQuotaProvider],
  exports: [ExportsService, ExportJobRepository, EXPORT_FILE_STORE],
})
export class ExportsModule {}
