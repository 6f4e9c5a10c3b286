import { Migration20261123000101Initial } from './Migration20261123000101Initial';
import { Migration20261201000102OutboxParking } from './Migration20261201000102OutboxParking';

/** The validation schema's migrations, in order: used at start and by the migration Job (src/migrate.ts). */
export const VALIDATION_MIGRATIONS = [Migration20261123000101Initial, Migration20261201000102OutboxParking];
