import { wavesByEnterprise } from './validation.service';

const submission = (uscc: string, n: number) => ({ payload: { uscc }, n });

describe(wavesByEnterprise.name, () => {
  it('puts each enterprise once into a wave and keeps its submissions in order across waves', () => {
    const batch = [submission('A', 1), submission('B', 1), submission('A', 2), submission('A', 3), submission('C', 1)];
    const waves = wavesByEnterprise(batch);
    expect(waves.map((wave) => wave.map((s) => `${s.payload.uscc}${s.n}`))).toEqual([
      ['A1', 'B1', 'C1'],
      ['A2'],
      ['A3'],
    ]);
    for (const wave of waves) expect(new Set(wave.map((s) => s.payload.uscc)).size).toBe(wave.length);
  });

  it('gives no wave for an empty batch', () => {
    expect(wavesByEnterprise([])).toEqual([]);
  });
});
