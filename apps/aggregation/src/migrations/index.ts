import { Migration20261123000201Initial } from './Migration20261123000201Initial';
import { Migration20261123000202Compliance } from './Migration20261123000202Compliance';
import { Migration20261201000203IncrementalFigures } from './Migration20261201000203IncrementalFigures';
import { Migration20261201000204OutboxParking } from './Migration20261201000204OutboxParking';
import { Migration20261201000205RollupDeferral } from './Migration20261201000205RollupDeferral';
import { Migration20261201000206RollupInputByEnterprise } from './Migration20261201000206RollupInputByEnterprise';

/** The aggregation schema's migrations, in order: used at start and by the migration Job (src/migrate.ts). */
export const AGGREGATION_MIGRATIONS = [
  Migration20261123000201Initial,
  Migration20261123000202Compliance,
  Migration20261201000203IncrementalFigures,
  Migration20261201000204OutboxParking,
  Migration20261201000205RollupDeferral,
  Migration20261201000206RollupInputByEnterprise,
];
