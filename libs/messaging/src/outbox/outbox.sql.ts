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
