import type { MikroORM } from '@mikro-orm/postgresql';
import { quoteIdentifier } from './orm-options';

/** A table of the service's schema that autovacuum would analyze or vacuum now, by its default thresholds. */
export interface TableNeedingCare {
  readonly table: string;
  readonly analyze: boolean;
  readonly vacuum: boolean;
}

/**
 * Tables of `schema` past autovacuum's default thresholds (50 rows + 10 % changed since the last ANALYZE;
 * 50 rows + 20 % dead), and whether autovacuum itself is on (then nothing needs doing here).
 */
export async function tablesNeedingCare(
  orm: MikroORM,
  schema: string,
): Promise<{ autovacuum: boolean; tables: TableNeedingCare[] }> {
  const rows = await orm.em
    .getConnection()
    .execute<{ autovacuum: boolean; table: string | null; analyze: boolean; vacuum: boolean }[]>(
      `SELECT current_setting('autovacuum')::boolean AS autovacuum, t.*
       FROM (SELECT 1) one
       LEFT JOIN (SELECT s.relname AS "table", s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0) AS analyze,
                         s.n_dead_tup > 50 + 0.2 * greatest(c.reltuples, 0) AS vacuum
                    FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
                   WHERE s.schemaname = ?) t ON t.analyze OR t.vacuum`,
      [schema],
    );
  return {
    autovacuum: rows[0]?.autovacuum ?? true,
    tables: rows
      .filter((row): row is typeof row & { table: string } => row.table !== null)
      .map(({ table, analyze, vacuum }) => ({ table, analyze, vacuum })),
  };
}

/** VACUUM (ANALYZE) or ANALYZE one table, outside any transaction; a table someone else is busy with is skipped. */
export async function careForTable(orm: MikroORM, schema: string, table: TableNeedingCare): Promise<void> {
  const name = `${quoteIdentifier(schema)}.${quoteIdentifier(table.table)}`;
  await orm.em
    .getConnection()
    .execute(table.vacuum ? `VACUUM (ANALYZE, SKIP_LOCKED) ${name}` : `ANALYZE (SKIP_LOCKED) ${name}`);
}
