import type { MikroORM } from '@mikro-orm/postgresql';
import { principals, problemOf } from '@huoju/testing';
import type { AggregatesQuery, FigureFilter, FigureSumRow, ProvenanceFilter, ProvenanceRow } from './aggregates.query';
import { AggregatesService } from './aggregates.service';

const orm = { em: { fork: () => ({}) } } as unknown as MikroORM;

const figure = (member: string, values: Partial<FigureSumRow>): FigureSumRow => ({
  member,
  indicator: 'qc05_0',
  ytd: '0',
  month: null,
  comparable: null,
  last_year: null,
  enterprises: '1',
  month_enterprises: '1',
  final: false,
  expected: '1',
  filed: '1',
  accepted: '1',
  ...values,
});

/** The figures API's reads in memory: records the filters asked for and answers the rows given. */
function setUp(rows: FigureSumRow[], provenance: ProvenanceRow[] = []) {
  const asked: { figures: FigureFilter[]; provenance: ProvenanceFilter[] } = { figures: [], provenance: [] };
  const query: Pick<AggregatesQuery, 'figures' | 'provenance'> = {
    figures: async (_em, filter) => {
      asked.figures.push(filter);
      return rows;
    },
    provenance: async (_em, filter) => {
      asked.provenance.push(filter);
      return provenance;
    },
  };
  return { sut: new AggregatesService(orm, query as AggregatesQuery), asked };
}

describe('AggregatesService (in-memory query)', () => {
  it('serves exact sums and year-on-year growth on the comparable basis, limited to the park team’s parks', async () => {
    const { sut, asked } = setUp([
      figure('PT', { ytd: '1200.500', comparable: '1100.000', last_year: '1000.000', enterprises: '3' }),
      figure('CN', { ytd: '-0.000', comparable: '50', last_year: '0' }),
    ]);
    const ytd = await sut.figures({ period: '2026-09', groupBy: 'park' }, principals.park('PT'));
    expect(ytd.rows.map((r) => [r.member, r.value, r.enterprises])).toEqual([
      ['PT', '1200.5', 3],
      ['CN', '0', 1],
    ]);
    expect(asked.figures[0]).toMatchObject({ formId: 'torch-monthly', dimension: 'park', zone: false, parks: ['PT'] });

    const yoy = await sut.figures({ period: '2026-09', groupBy: 'zone', measure: 'yoy' }, principals.commission);
    expect(yoy.rows.map((r) => r.value)).toEqual(['10', null]);
    expect(asked.figures[1]).toMatchObject({ dimension: 'park', zone: true, parks: undefined, streets: undefined });
  });

  it('lets a street team read only by street, and lists every bad parameter at once', async () => {
    const { sut, asked } = setUp([]);
    expect((await problemOf(sut.figures({ period: '2026-09' }, principals.street('310107022')))).status).toBe(403);
    await sut.figures({ period: '2026-09', groupBy: 'street' }, principals.street('310107022'));
    expect(asked.figures[0]).toMatchObject({ dimension: 'street', streets: ['310107022'] });
    const invalid = await problemOf(
      sut.figures({ period: '2026-13', groupBy: 'planet', measure: 'median' }, principals.commission),
    );
    expect(invalid.status).toBe(422);
    expect(invalid.errors.map((e) => e.pointer)).toEqual(['/period', '/groupBy', '/measure']);
  });

  it('totals the filings behind one figure exactly', async () => {
    const row = (uscc: string, value: string | null): ProvenanceRow => ({
      uscc,
      name_zh: uscc,
      park_code: 'PT',
      filing_id: `f-${uscc}`,
      revision: 1,
      verdict: 1,
      value: value as string,
      content_sha256: 'ab',
    });
    const { sut, asked } = setUp([], [row('A', '0.1'), row('B', '0.20'), row('C', null)]);
    const cell = await sut.provenance(
      { period: '2026-09', groupBy: 'park', member: 'PT', indicator: 'qc05_0' },
      principals.commission,
    );
    expect(cell.total).toBe('0.3');
    expect(cell.filings.map((f) => [f.uscc, f.value])).toEqual([
      ['A', '0.1'],
      ['B', '0.2'],
    ]);
    expect(asked.provenance[0]).toMatchObject({ member: 'PT', indicator: 'qc05_0', column: { column: 'park_code' } });
  });
});
