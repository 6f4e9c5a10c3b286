import { Migration20261123000001Initial } from './Migration20261123000001Initial';
import { Migration20261201000001Accounts } from './Migration20261201000001Accounts';
import { Migration20261201000002Audit } from './Migration20261201000002Audit';
import { Migration20261201000003OutboxParking } from './Migration20261201000003OutboxParking';
import { Migration20261201000004AuditEvents } from './Migration20261201000004AuditEvents';

/** The intake schema's migrations, in order: used at start and by the migration Job (src/migrate.ts). */
export const INTAKE_MIGRATIONS = [
  Migration20261123000001Initial,
  Migration20261201000001Accounts,
  Migration20261201000002Audit,
  Migration20261201000003OutboxParking,
  Migration20261201000004AuditEvents,
];
