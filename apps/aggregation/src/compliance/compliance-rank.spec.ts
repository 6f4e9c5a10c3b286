import { rankAmong, type RankedUnit } from './compliance-rank';

const unit = (code: string, expected: number, filed: number, filedOnTime = filed): RankedUnit => ({
  code,
  expected,
  filed,
  filedOnTime,
});

describe(rankAmong.name, () => {
  const units = [unit('a', 10, 9), unit('b', 3, 1), unit('c', 6, 2), unit('d', 4, 4, 1), unit('e', 0, 0)];

  it('ranks by filing rate, best first', () => {
    expect(rankAmong(units, 'd')).toEqual({ position: 1, of: 4 });
    expect(rankAmong(units, 'a')).toEqual({ position: 2, of: 4 });
  });

  it('lets exactly equal rates share a place, compared as fractions', () => {
    // 1/3 and 2/6: the same rate, both third.
    expect(rankAmong(units, 'b')).toEqual({ position: 3, of: 4 });
    expect(rankAmong(units, 'c')).toEqual({ position: 3, of: 4 });
  });

  it('breaks a tie in filing rate by the on-time rate', () => {
    const tied = [unit('x', 4, 4, 1), unit('y', 4, 4, 3)];
    expect(rankAmong(tied, 'y')).toEqual({ position: 1, of: 2 });
    expect(rankAmong(tied, 'x')).toEqual({ position: 2, of: 2 });
  });

  it('does not rank a unit expecting nothing', () => {
    expect(rankAmong(units, 'e')).toBeUndefined();
    expect(rankAmong(units, 'zz')).toBeUndefined();
  });
});
