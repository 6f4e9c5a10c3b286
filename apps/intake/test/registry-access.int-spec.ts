import { subParks } from '@huoju/domain';
import type { Principal } from '@huoju/platform';
import { enterpriseBody, generateRoster, principals, type GeneratedEnterprise } from '@huoju/testing';
import { startTestIntake, type RunningIntake } from './intake.harness';

interface RosterPage {
  total: number;
  items: {
    uscc: string;
    memberships: { parkCode: string; validTo: string | null }[];
    streets: { streetCode: string; validTo: string | null }[];
  }[];
}

describe('registry access by role and scope', () => {
  let intake: RunningIntake;
  const roster = generateRoster({ size: 120, seed: 7 });
  const inPark = (code: string) => roster.filter((e) => e.parkCode === code);
  const [pt, ptOther] = inPark('PT');
  const [cn] = inPark('CN');
  const created: GeneratedEnterprise[] = [];

  const otherSubPark = (enterprise: GeneratedEnterprise) =>
    subParks(enterprise.parkCode).find((s) => s.code !== enterprise.subParkCode)!;
  const move = (enterprise: GeneratedEnterprise) => {
    const sub = otherSubPark(enterprise);
    return { parkCode: enterprise.parkCode, subParkCode: sub.code, validFrom: '2026-09-01' };
  };
  const list = async (as: Principal) =>
    (await intake.http.get<RosterPage>('/v1/enterprises?pageSize=500', { as })).body;

  beforeAll(async () => {
    intake = await startTestIntake();
    for (const enterprise of roster.slice(0, 40).concat([pt!, ptOther!, cn!])) {
      if (created.some((e) => e.uscc === enterprise.uscc)) continue;
      const response = await intake.http.post('/v1/enterprises', {
        as: principals.admin,
        body: enterpriseBody(enterprise),
      });
      expect(response.status).toBe(201);
      created.push(enterprise);
    }
  });

  afterAll(() => intake.stop());

  it('keeps a park team to its own park: another park’s enterprises can be neither read nor changed', async () => {
    const team = principals.park('PT');
    expect((await intake.http.get(`/v1/enterprises/${cn!.uscc}`, { as: team })).status).toBe(403);
    expect((await intake.http.get(`/v1/enterprises/${cn!.uscc}/history`, { as: team })).status).toBe(403);
    expect(
      (
        await intake.http.patch(`/v1/enterprises/${cn!.uscc}`, {
          as: team,
          body: { contact: { name: '李四', phone: '021-60000000', email: 'li@example.com' } },
        })
      ).status,
    ).toBe(403);
    expect(
      (await intake.http.post(`/v1/enterprises/${cn!.uscc}/memberships`, { as: team, body: move(cn!) })).status,
    ).toBe(403);
    expect(
      (
        await intake.http.post(`/v1/enterprises/${cn!.uscc}/streets`, {
          as: team,
          body: { streetCode: cn!.streetCode, validFrom: '2026-09-01' },
        })
      ).status,
    ).toBe(403);

    const page = await list(team);
    expect(page.items.map((e) => e.uscc).sort()).toEqual(
      created
        .filter((e) => e.parkCode === 'PT')
        .map((e) => e.uscc)
        .sort(),
    );
    expect(page.items.every((e) => e.memberships.some((m) => m.parkCode === 'PT' && m.validTo === null))).toBe(true);
  });

  it('lets a park team read and change its own park’s enterprises', async () => {
    const team = principals.park('PT');
    expect((await intake.http.get(`/v1/enterprises/${pt!.uscc}`, { as: team })).status).toBe(200);
    const patched = await intake.http.patch<{ registryVersion: number; contact: { name: string } }>(
      `/v1/enterprises/${pt!.uscc}`,
      {
        as: team,
        body: { contact: { name: '王五', phone: '021-60000001', email: 'wang@example.com' } },
      },
    );
    expect(patched).toMatchObject({ status: 200, body: { registryVersion: 2, contact: { name: '王五' } } });
    const moved = await intake.http.post<{
      memberships: { subParkCode: string; validFrom: string; validTo: string | null }[];
    }>(`/v1/enterprises/${pt!.uscc}/memberships`, { as: team, body: move(pt!) });
    expect(moved.status).toBe(200);
    expect(moved.body.memberships).toEqual([
      expect.objectContaining({ subParkCode: pt!.subParkCode, validFrom: '2025-01-01', validTo: '2026-08-31' }),
      expect.objectContaining({ subParkCode: otherSubPark(pt!).code, validFrom: '2026-09-01', validTo: null }),
    ]);
  });

  it('shows a street team the enterprises of its streets only, and lets it change nothing', async () => {
    const team = principals.street(ptOther!.streetCode);
    expect((await intake.http.get(`/v1/enterprises/${ptOther!.uscc}`, { as: team })).status).toBe(200);
    const stranger = created.find((e) => e.streetCode !== ptOther!.streetCode)!;
    expect((await intake.http.get(`/v1/enterprises/${stranger.uscc}`, { as: team })).status).toBe(403);
    expect(
      (
        await intake.http.patch(`/v1/enterprises/${ptOther!.uscc}`, {
          as: team,
          body: { nameZh: '上海改名测试有限公司' },
        })
      ).status,
    ).toBe(403);

    const page = await list(team);
    expect(page.items.map((e) => e.uscc).sort()).toEqual(
      created
        .filter((e) => e.streetCode === ptOther!.streetCode)
        .map((e) => e.uscc)
        .sort(),
    );
  });

  it('shows an enterprise itself and nobody else', async () => {
    const self = principals.enterprise(ptOther!.uscc);
    expect((await intake.http.get(`/v1/enterprises/${ptOther!.uscc}`, { as: self })).status).toBe(200);
    expect((await intake.http.get(`/v1/enterprises/${pt!.uscc}`, { as: self })).status).toBe(403);
    expect((await intake.http.get(`/v1/enterprises/${pt!.uscc}/history`, { as: self })).status).toBe(403);
    expect(
      (
        await intake.http.patch(`/v1/enterprises/${ptOther!.uscc}`, {
          as: self,
          body: { nameZh: '上海改名测试有限公司' },
        })
      ).status,
    ).toBe(403);
    const page = await list(self);
    expect(page.items.map((e) => e.uscc)).toEqual([ptOther!.uscc]);
  });

  it('lets the commission read everything and change nothing', async () => {
    expect((await intake.http.get(`/v1/enterprises/${cn!.uscc}`, { as: principals.commission })).status).toBe(200);
    expect((await list(principals.commission)).total).toBe(created.length);
    expect(
      (
        await intake.http.patch(`/v1/enterprises/${cn!.uscc}`, {
          as: principals.commission,
          body: { nameZh: '上海改名测试有限公司' },
        })
      ).status,
    ).toBe(403);
  });
});
