import { Migration20261123000001Initial } from './Migration20261123000001Initial';

/** The intake schema's migrations, in order: used at start and by the migration Job (src/migrate.ts). */
export const INTAKE_MIGRATIONS = [Migration20261123000001Initial];
