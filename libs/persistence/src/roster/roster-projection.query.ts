/**
 * Each consuming service's copy of the roster, built from registry.enterprise-changed.v1. The tables are
 * replaced per enterprise on every event (the event carries the full state), so a replay rebuilds them.
 * valid_to is inclusive; NULL means open-ended.
 */
export const ROSTER_PROJECTION_SQL: readonly string[] = [
  `CREATE TABLE roster_enterprise (
     uscc text PRIMARY KEY,
     registry_version integer NOT NULL,
     name_zh text NOT NULL,
     industry_code text NOT NULL,
     registered_district text NOT NULL,
     contact jsonb NOT NULL,
     industry_tags text[] NOT NULL,
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE TABLE roster_membership (
     uscc text NOT NULL,
     park_code text NOT NULL,
     sub_park_code text NOT NULL,
     carrier_code text,
     valid_from date NOT NULL,
     valid_to date
   )`,
  `CREATE INDEX roster_membership_uscc ON roster_membership (uscc)`,
  `CREATE INDEX roster_membership_park ON roster_membership (park_code, valid_from)`,
  `CREATE TABLE roster_street (uscc text NOT NULL, street_code text NOT NULL, valid_from date NOT NULL, valid_to date)`,
  `CREATE INDEX roster_street_uscc ON roster_street (uscc)`,
  `CREATE INDEX roster_street_code ON roster_street (street_code)`,
  `CREATE TABLE roster_qualification (uscc text NOT NULL, tag text NOT NULL, valid_from date NOT NULL, valid_to date)`,
  `CREATE INDEX roster_qualification_uscc ON roster_qualification (uscc)`,
  `CREATE TABLE roster_scope (uscc text NOT NULL, form_id text NOT NULL, valid_from date NOT NULL, valid_to date)`,
  `CREATE INDEX roster_scope_uscc ON roster_scope (uscc)`,
];
