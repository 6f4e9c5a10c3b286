import { Client } from 'pg';

/** The tables a rebuild compares, with the columns that must match row for row. */
export const COMPARED: Readonly<Record<string, string>> = {
  fact: 'form_id, period, uscc, indicator, value, filing_id, revision, verdict',
  filing_state:
    'form_id, period, uscc, filing_id, latest_revision, latest_outcome, first_received_at, accepted_revision, accepted_received_at',
  figure:
    'form_id, period, park_code, dimension, member, indicator, ytd, month, comparable_ytd, last_year_ytd, enterprises, month_enterprises, ly_enterprises',
  completeness: 'form_id, period, park_code, dimension, member, expected, filed, accepted',
  rollup_input: 'form_id, period, park_code, uscc, filing_id, revision, verdict, members',
  figure_input:
    'form_id, period, uscc, park_code, sub_park_code, carrier_code, registered_district, street_code, section, division, industry_tags, qualifications, in_scope, filed, accepted, filing_id, revision, verdict',
  figure_contribution: 'form_id, period, uscc, indicator, ytd, month_value, ly_value',
};

export interface TableDifference {
  readonly onlyLive: number;
  readonly onlyRebuilt: number;
  readonly rows: number;
}

/**
 * The rebuild's SQL across two schemas. It runs outside any service's ORM (the rebuilt schema is a second
 * service's), on a connection of its own; schema and table names come from the configuration and COMPARED,
 * never from a request, and are quoted.
 */
export class RebuildQuery {
  constructor(private readonly databaseUrl: string) {}

  async dropSchema(schema: string): Promise<void> {
    await this.sql(`DROP SCHEMA IF EXISTS ${quote(schema)} CASCADE`);
  }

  /** Rows of `table` (its COMPARED columns) found in one schema and not the other, counted with duplicates. */
  async difference(liveSchema: string, rebuiltSchema: string, table: string): Promise<TableDifference> {
    const columns = COMPARED[table];
    if (!columns) throw new Error(`${table} is not a compared table`);
    const live = `${quote(liveSchema)}.${table}`;
    const rebuilt = `${quote(rebuiltSchema)}.${table}`;
    const [row] = await this.sql<{ only_live: string; only_rebuilt: string; rows: string }>(
      `SELECT (SELECT count(*) FROM (SELECT ${columns} FROM ${live} EXCEPT ALL SELECT ${columns} FROM ${rebuilt}) a) AS only_live,
              (SELECT count(*) FROM (SELECT ${columns} FROM ${rebuilt} EXCEPT ALL SELECT ${columns} FROM ${live}) b) AS only_rebuilt,
              (SELECT count(*) FROM ${rebuilt}) AS rows`,
    );
    return { onlyLive: Number(row!.only_live), onlyRebuilt: Number(row!.only_rebuilt), rows: Number(row!.rows) };
  }

  private async sql<T>(text: string): Promise<T[]> {
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      return (await client.query(text)).rows as T[];
    } finally {
      await client.end();
    }
  }
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
