import { Migration } from '@mikro-orm/migrations';
import { OUTBOX_PARKING_SQL } from '@huoju/messaging';

/** Outbox rows the broker refuses for good are parked with their reason instead of blocking the relay. */
export class Migration20261201000003OutboxParking extends Migration {
  override up(): void {
    for (const statement of OUTBOX_PARKING_SQL) this.addSql(statement);
  }
}
