/**
 * Tables every service keeps in its own schema for reliable messaging. Each service's first migration
 * runs these statements; they are here once so the relay, the inbox and the migrations agree.
 */
export const MESSAGING_TABLES_SQL: readonly string[] = [
  `CREATE TABLE outbox (
     id bigserial PRIMARY KEY,
     topic text NOT NULL,
     message_key text NOT NULL,
     envelope jsonb NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     published_at timestamptz
   )`,
  `CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL`,
  // Wakes the relay at commit time instead of waiting for its next poll.
  `CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     PERFORM pg_notify('outbox_' || TG_TABLE_SCHEMA, '');
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER outbox_inserted AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`,
  `CREATE TABLE inbox (
     consumer text NOT NULL,
     event_id uuid NOT NULL,
     topic text NOT NULL,
     processed_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (consumer, event_id)
   )`,
];

/**
 * An outbox row the broker refuses for good (too large, an invalid record) is parked: marked with when and
 * why, skipped by the relay so the rows after it keep flowing, and published again once the mark is
 * cleared (`npm run dlq -- outbox-replay`). Every service adds this in a migration of its own.
 */
export const OUTBOX_PARKING_SQL: readonly string[] = [
  `ALTER TABLE outbox ADD COLUMN parked_at timestamptz, ADD COLUMN parked_reason text`,
  `CREATE INDEX outbox_parked ON outbox (parked_at) WHERE parked_at IS NOT NULL`,
];
