import type { EntityManager } from '@mikro-orm/postgresql';

export interface FilingStatusCount {
  readonly status: string;
  readonly count: number;
  /** Seconds since the oldest filing in this status last changed. */
  readonly oldestSeconds: number;
}

/** Filings per current status, for the `huoju_filings` gauges. */
export async function countFilingsByStatus(em: EntityManager): Promise<FilingStatusCount[]> {
  const rows = await em.execute<{ status: string; count: string; oldest: string }[]>(
    'SELECT status, count(*) AS count, extract(epoch FROM now() - min(updated_at)) AS oldest FROM filing GROUP BY status',
  );
  return rows.map((row) => ({ status: row.status, count: Number(row.count), oldestSeconds: Number(row.oldest) }));
}
