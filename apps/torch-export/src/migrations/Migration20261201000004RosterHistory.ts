import { Migration } from '@mikro-orm/migrations';

/**
 * The roster as a history: every registry version of every enterprise, kept, so an export of an earlier period
 * names and places each enterprise as it was then, and re-exporting an earlier export's cut-off reads the roster
 * that export read. The current-state roster tables are folded into it (one home) and dropped.
 */
export class Migration20261201000004RosterHistory extends Migration {
  override up(): void {
    // changed_on is the registry's change day (Asia/Shanghai): a name or industry holds from it until the next
    // version's. seq is the order versions were recorded in (ingestion is serialised), so "seq <= R" names exactly
    // the roster an export read. Memberships and streets keep the event's own validity periods.
    this.addSql(`CREATE TABLE roster_enterprise_version (
      uscc text NOT NULL,
      registry_version integer NOT NULL,
      seq bigserial NOT NULL UNIQUE,
      changed_on date NOT NULL,
      name_zh text NOT NULL,
      industry_code text NOT NULL,
      memberships jsonb NOT NULL,
      streets jsonb NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (uscc, registry_version)
    )`);
    // What the roster held before history was kept: one version each, holding since before any period.
    this
      .addSql(`INSERT INTO roster_enterprise_version (uscc, registry_version, changed_on, name_zh, industry_code, memberships, streets)
      SELECT e.uscc, e.registry_version, '-infinity'::date, e.name_zh, e.industry_code,
             coalesce((SELECT jsonb_agg(jsonb_build_object('parkCode', m.park_code, 'subParkCode', m.sub_park_code,
                                 'validFrom', m.valid_from, 'validTo', m.valid_to) ORDER BY m.valid_from)
                         FROM roster_membership m WHERE m.uscc = e.uscc), '[]'::jsonb),
             coalesce((SELECT jsonb_agg(jsonb_build_object('streetCode', s.street_code, 'validFrom', s.valid_from, 'validTo', s.valid_to)
                                 ORDER BY s.valid_from)
                         FROM roster_street s WHERE s.uscc = e.uscc), '[]'::jsonb)
        FROM roster_enterprise e ORDER BY e.uscc`);
    for (const table of [
      'roster_scope',
      'roster_qualification',
      'roster_street',
      'roster_membership',
      'roster_enterprise',
    ])
      this.addSql(`DROP TABLE ${table}`);

    // The roster cut-off of every export; the ones made before read the roster as it now stands.
    this.addSql(`ALTER TABLE export_job ADD COLUMN roster_sequence bigint`);
    this.addSql(
      `UPDATE export_job SET roster_sequence = (SELECT coalesce(max(seq), 0) FROM roster_enterprise_version)`,
    );
    this.addSql(`ALTER TABLE export_job ALTER COLUMN roster_sequence SET NOT NULL`);
  }
}
