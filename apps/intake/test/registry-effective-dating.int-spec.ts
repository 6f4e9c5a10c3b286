import { generateRoster, principals, sqlQuery } from '@huoju/testing';
import { startTestIntake, type RunningIntake } from './intake.harness';
import { CSV, postRoster, rosterCells, rosterCsv } from './roster-file.fixture';

interface State {
  uscc: string;
  registryVersion: number;
  memberships: {
    parkCode: string;
    subParkCode: string;
    carrierCode: string | null;
    validFrom: string;
    validTo: string | null;
  }[];
  streets: { streetCode: string; validFrom: string; validTo: string | null }[];
}

describe('effective-dated roster changes', () => {
  let intake: RunningIntake;
  const [imported, moved] = generateRoster({ size: 200, seed: 31 }).filter((e) => e.parkCode === 'PT');
  // 普陀园 → 长宁园 east area (上海硅巷), street 华阳路街道, from 1 July 2026.
  const toChangning = {
    parkCode: 'CN',
    subParkCode: 'CN-E',
    carrierCode: '',
    streetCode: '310105001',
    validFrom: '2026-07-01',
  };

  const inPark = async (park: string, on: string) =>
    (
      await intake.http.get<{ items: { uscc: string }[] }>(`/v1/enterprises?park=${park}&on=${on}&pageSize=500`, {
        as: principals.admin,
      })
    ).body.items.map((e) => e.uscc);
  const events = async (uscc: string) =>
    (
      await sqlQuery<{ envelope: { payload: State & { changedAt: string } } }>(
        `SELECT envelope FROM "intake_${intake.namespace}".outbox WHERE topic = 'registry.enterprise-changed.v1' AND message_key = $1 ORDER BY id`,
        [uscc],
      )
    ).map((row) => row.envelope.payload);

  beforeAll(async () => {
    intake = await startTestIntake();
    const created = await postRoster(intake.url, rosterCsv([rosterCells(imported!), rosterCells(moved!)]), {
      as: principals.admin,
      contentType: CSV,
    });
    expect(created.body).toMatchObject({ created: 2 });
  });

  afterAll(() => intake.stop());

  it('moves an enterprise from 普陀园 to 长宁园 on 2026-07-01 by import: the old membership ends on 2026-06-30', async () => {
    const file = rosterCsv([{ ...rosterCells(imported!), ...toChangning }]);
    const response = await postRoster(intake.url, file, { as: principals.admin, contentType: CSV });
    expect(response.body).toMatchObject({
      created: 0,
      updated: 1,
      unchanged: 0,
      updates: [{ row: 2, uscc: imported!.uscc, changes: ['membership', 'street'] }],
    });

    const state = (await intake.http.get<State>(`/v1/enterprises/${imported!.uscc}`, { as: principals.admin })).body;
    expect(state.registryVersion).toBe(2);
    expect(state.memberships).toEqual([
      {
        parkCode: 'PT',
        subParkCode: imported!.subParkCode,
        carrierCode: imported!.carrierCode ?? null,
        validFrom: '2025-01-01',
        validTo: '2026-06-30',
      },
      { parkCode: 'CN', subParkCode: 'CN-E', carrierCode: null, validFrom: '2026-07-01', validTo: null },
    ]);
    expect(state.streets).toEqual([
      { streetCode: imported!.streetCode, validFrom: '2025-01-01', validTo: '2026-06-30' },
      { streetCode: '310105001', validFrom: '2026-07-01', validTo: null },
    ]);

    expect(await inPark('PT', '2026-06-15')).toContain(imported!.uscc);
    expect(await inPark('PT', '2026-07-15')).not.toContain(imported!.uscc);
    expect(await inPark('CN', '2026-06-15')).not.toContain(imported!.uscc);
    expect(await inPark('CN', '2026-07-15')).toContain(imported!.uscc);

    // The same file again is already the roster's state.
    expect((await postRoster(intake.url, file, { as: principals.admin, contentType: CSV })).body).toMatchObject({
      updated: 0,
      unchanged: 1,
    });
  });

  it('keeps both versions in the history and publishes the full state of each', async () => {
    const history = (
      await intake.http.get<{ registryVersion: number; change: string; changedBy: string; state: State }[]>(
        `/v1/enterprises/${imported!.uscc}/history`,
        { as: principals.admin },
      )
    ).body;
    expect(history.map((h) => [h.registryVersion, h.change, h.changedBy])).toEqual([
      [1, 'created (import row 2)', 'test-admin'],
      [2, 'import row 2: moved to CN/CN-E from 2026-07-01; street 310105001 from 2026-07-01', 'test-admin'],
    ]);
    expect(history[0]!.state.memberships).toEqual([expect.objectContaining({ parkCode: 'PT', validTo: null })]);

    const published = await events(imported!.uscc);
    expect(published.map((p) => p.registryVersion)).toEqual([1, 2]);
    published.forEach((payload, index) => {
      const { changedAt, ...state } = payload;
      expect(Number.isNaN(Date.parse(changedAt))).toBe(false);
      expect(state).toEqual(history[index]!.state);
    });
    const current = (await intake.http.get<State>(`/v1/enterprises/${imported!.uscc}`, { as: principals.admin })).body;
    expect(published[1]).toMatchObject(current);
  });

  it('dates a move through the memberships endpoint the same way', async () => {
    const response = await intake.http.post<State>(`/v1/enterprises/${moved!.uscc}/memberships`, {
      as: principals.park('PT'),
      body: { parkCode: 'CN', subParkCode: 'CN-E', validFrom: '2026-07-01' },
    });
    expect(response.status).toBe(200);
    expect(response.body.memberships.map((m) => [m.parkCode, m.validFrom, m.validTo])).toEqual([
      ['PT', '2025-01-01', '2026-06-30'],
      ['CN', '2026-07-01', null],
    ]);
    const published = await events(moved!.uscc);
    expect(published.at(-1)).toMatchObject({ registryVersion: 2, memberships: response.body.memberships });
  });

  it('refuses a move dated before the current membership began', async () => {
    const response = await postRoster<{ errors: { row: number; column: string; code: string }[] }>(
      intake.url,
      rosterCsv([
        {
          ...rosterCells(imported!),
          parkCode: 'PT',
          subParkCode: imported!.subParkCode,
          streetCode: imported!.streetCode,
          validFrom: '2026-06-01',
        },
      ]),
      { as: principals.admin, contentType: CSV },
    );
    expect(response.status).toBe(422);
    expect(response.body.errors.map((e) => `${e.row} ${e.column} ${e.code}`)).toEqual([
      '2 生效日期 validFrom IMPORT.VALID_FROM_TOO_EARLY',
    ]);
  });
});
