import type { Provider } from '@nestjs/common';
import { TORCH_EXPORT_CONFIG, type TorchExportConfig } from '../../torch-export.config';
import { EXPORT_FILE_STORE, type ExportFileStore } from './export-file-store';
import { PostgresExportFileStore } from './postgres-export-file-store';

/** The configured store behind EXPORT_FILE_STORE; an S3-compatible one is a new case here and in the config enum. */
export const exportFileStoreProvider: Provider = {
  provide: EXPORT_FILE_STORE,
  inject: [TORCH_EXPORT_CONFIG, PostgresExportFileStore],
  useFactory: (config: TorchExportConfig, postgres: PostgresExportFileStore): ExportFileStore => {
    switch (config.EXPORT_FILE_STORE) {
      case 'postgres':
        return postgres;
    }
  },
};
