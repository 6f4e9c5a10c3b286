import { Migration20261124000001Initial } from './Migration20261124000001Initial';
import { Migration20261201000001ExportFileStore } from './Migration20261201000001ExportFileStore';
import { Migration20261201000002ExportFileExpiry } from './Migration20261201000002ExportFileExpiry';
import { Migration20261201000003OutboxParking } from './Migration20261201000003OutboxParking';
import { Migration20261201000004RosterHistory } from './Migration20261201000004RosterHistory';

/** The torch-export schema's migrations, in order: used at start and by the migration Job (src/migrate.ts). */
export const TORCH_EXPORT_MIGRATIONS = [
  Migration20261124000001Initial,
  Migration20261201000001ExportFileStore,
  Migration20261201000002ExportFileExpiry,
  Migration20261201000003OutboxParking,
  Migration20261201000004RosterHistory,
];
