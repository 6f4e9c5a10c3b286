import fc from 'fast-check';
import { MikroORM } from '@mikro-orm/postgresql';
import { cleanUpNamespace, infrastructureUrls, testNamespace } from '@huoju/testing';
import { formatDecimal, normalizeDecimal, parseDecimal, singleMonthSql, singleMonthValue } from '@huoju/domain';
import { acceptedRevisions, acceptedRevisionsSql, ormOptions, periodKey, type VerdictLike } from '../src';

const verdictArbitrary = fc.record({
  uscc: fc.constantFrom('91310000MA1FL0001A', '91310000MA1FL0002B'),
  formId: fc.constantFrom('torch-monthly', 'torch-annual'),
  period: fc.constantFrom('2026-09', '2026'),
  revision: fc.integer({ min: 1, max: 4 }),
  verdict: fc.integer({ min: 1, max: 3 }),
  outcome: fc.constantFrom('accepted', 'needs-explanation', 'rejected'),
});

/** Verdicts as they arrive: any order, each (enterprise, form, period, revision, verdict) once. */
const historyArbitrary = fc.uniqueArray(verdictArbitrary, {
  maxLength: 30,
  selector: (v) => `${v.uscc}|${v.formId}|${v.period}|${v.revision}|${v.verdict}`,
});

describe('the accepted-revision rule in SQL', () => {
  const namespace = testNamespace('accepted');
  const schema = `acceptedtest_${namespace}`;
  let orm: MikroORM;

  beforeAll(async () => {
    orm = await MikroORM.init(
      ormOptions({ databaseUrl: infrastructureUrls().databaseUrl, schema, entities: [], migrations: [] }),
    );
    await orm.em.execute(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await orm.em.execute(
      `CREATE TABLE ${schema}.verdict (uscc text, form_id text, period text, revision int, verdict int, outcome text, arrival int)`,
    );
  });

  afterAll(async () => {
    await orm?.close();
    await cleanUpNamespace(namespace, ['acceptedtest']);
  });

  it('chooses what the pure rule chooses, for any history in any order', async () => {
    await fc.assert(
      fc.asyncProperty(historyArbitrary, async (history: VerdictLike[]) => {
        const em = orm.em.fork();
        await em.execute(`TRUNCATE ${schema}.verdict`);
        if (history.length > 0) {
          await em.execute(
            `INSERT INTO ${schema}.verdict SELECT * FROM jsonb_to_recordset(?::jsonb)
               AS v(uscc text, form_id text, period text, revision int, verdict int, outcome text, arrival int)`,
            [
              JSON.stringify(
                history.map((v, arrival) => ({
                  uscc: v.uscc,
                  form_id: v.formId,
                  period: v.period,
                  revision: v.revision,
                  verdict: v.verdict,
                  outcome: v.outcome,
                  arrival,
                })),
              ),
            ],
          );
        }
        const rows = await em.execute<{ uscc: string; form_id: string; period: string; revision: number }[]>(
          acceptedRevisionsSql(`${schema}.verdict`),
        );
        const fromSql = new Map(
          rows.map((row) => [periodKey({ formId: row.form_id, period: row.period, uscc: row.uscc }), row.revision]),
        );
        const expected = new Map([...acceptedRevisions(history)].map(([key, v]) => [key, v.revision]));
        expect(fromSql).toEqual(expected);
      }),
      { seed: 20261201, numRuns: 150 },
    );
  });

  it('narrows to the verdicts a filter names', async () => {
    const em = orm.em.fork();
    await em.execute(`TRUNCATE ${schema}.verdict`);
    await em.execute(
      `INSERT INTO ${schema}.verdict VALUES
         ('A', 'torch-monthly', '2026-09', 1, 1, 'accepted', 0),
         ('A', 'torch-monthly', '2026-09', 2, 1, 'accepted', 1),
         ('A', 'torch-monthly', '2026-09', 2, 2, 'rejected', 2)`,
    );
    // Up to arrival 1 the second revision counted; its re-validation then hands the period back to revision 1.
    const early = await em.execute<{ revision: number }[]>(acceptedRevisionsSql(`${schema}.verdict`, 'v.arrival <= 1'));
    const late = await em.execute<{ revision: number }[]>(acceptedRevisionsSql(`${schema}.verdict`));
    expect(early.map((row) => row.revision)).toEqual([2]);
    expect(late.map((row) => row.revision)).toEqual([1]);
  });
});

describe('the single-month formula in SQL', () => {
  const namespace = testNamespace('singlemonth');
  let orm: MikroORM;

  beforeAll(async () => {
    orm = await MikroORM.init(
      ormOptions({ databaseUrl: infrastructureUrls().databaseUrl, schema: 'public', entities: [], migrations: [] }),
    );
  });

  afterAll(async () => {
    await orm?.close();
    await cleanUpNamespace(namespace, []);
  });

  it('gives exactly what singleMonthValue gives, for every kind, month and value', async () => {
    // Values as figures are filed: up to 14 integer digits and the scale's fraction digits.
    const decimal = fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n });
    const sql = `SELECT (${singleMonthSql({ kind: 'k', month: 'm', ytd: 'y', previousYtd: 'p' })})::text AS value
                   FROM (SELECT ?::text AS k, ?::int AS m, ?::numeric AS y, ?::numeric AS p) t`;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('flow', 'count', 'stock', 'average'),
        fc.integer({ min: 1, max: 12 }),
        decimal,
        fc.option(decimal, { nil: undefined }),
        async (kind, month, ytd, previous) => {
          const expected = singleMonthValue({ kind: kind as 'flow' }, month, ytd, previous);
          const [row] = await orm.em
            .fork()
            .execute<
              { value: string | null }[]
            >(sql, [kind, month, formatDecimal(ytd), previous === undefined ? null : formatDecimal(previous)]);
          expect(row!.value === null ? undefined : parseDecimal(normalizeDecimal(row!.value))).toEqual(expected);
        },
      ),
      { seed: 20261201, numRuns: 300 },
    );
  });
});
