import { managingPark } from './managing-park';

describe('managingPark', () => {
  const now = new Date('2026-10-20T02:00:00Z');
  const membership = (parkCode: string, validFrom: string, validTo: string | null) => ({
    parkCode,
    subParkCode: `${parkCode}-X`,
    carrierCode: null,
    validFrom,
    validTo,
  });

  it('is the park of today’s membership, not of a move recorded for later', () => {
    const state = { memberships: [membership('PT', '2025-01-01', '2098-12-31'), membership('HK', '2099-01-01', null)] };
    expect(managingPark(state, now)).toBe('PT');
  });

  it('falls back to the open membership, then the last, when none is valid today', () => {
    expect(managingPark({ memberships: [membership('HK', '2027-01-01', null)] }, now)).toBe('HK');
    expect(managingPark({ memberships: [membership('PT', '2024-01-01', '2025-12-31')] }, now)).toBe('PT');
    expect(managingPark({ memberships: [] }, now)).toBeUndefined();
  });
});
