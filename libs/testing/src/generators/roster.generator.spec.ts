import { validateUscc } from '@huoju/domain';
import {
  carrier,
  hasIndustryPrefix,
  industryTag,
  park,
  parks,
  qualificationTag,
  subPark,
  validateIndustryCode,
} from '@huoju/domain';
import { type GeneratedEnterprise, generateRoster, iterateRoster } from './roster.generator';

const LEADING = ['IC', 'BIOMED', 'AI'];

describe(generateRoster.name, () => {
  const roster = generateRoster({ size: 5000, seed: 42 });

  it.each([0, 1, 1000])('returns exactly %i enterprises', (size) => {
    expect(generateRoster({ size, seed: 7 })).toHaveLength(size);
  });

  it('is deterministic for a seed', () => {
    expect(generateRoster({ size: 500, seed: 42 })).toEqual(roster.slice(0, 500));
  });

  it('differs between seeds', () => {
    const other = generateRoster({ size: 500, seed: 43 });

    expect(other.map((e) => e.uscc)).not.toEqual(roster.slice(0, 500).map((e) => e.uscc));
    expect(other.map((e) => e.nameZh)).not.toEqual(roster.slice(0, 500).map((e) => e.nameZh));
  });

  it('matches the streaming variant', () => {
    expect([...iterateRoster({ size: 200, seed: 42 })]).toEqual(roster.slice(0, 200));
  });

  it('issues valid Shanghai USCCs of category 91 whose region is the registered district', () => {
    for (const enterprise of roster) {
      const check = validateUscc(enterprise.uscc);

      expect({ uscc: enterprise.uscc, errors: check.errors, warnings: check.warnings }).toEqual({
        uscc: enterprise.uscc,
        errors: [],
        warnings: [],
      });
      expect(enterprise.uscc.slice(0, 2)).toBe('91');
      expect(enterprise.uscc.slice(2, 8)).toBe(enterprise.registeredDistrict);
    }
  });

  it('gives unique USCCs and unique names', () => {
    expect(new Set(roster.map((e) => e.uscc)).size).toBe(roster.length);
    expect(new Set(roster.map((e) => e.nameZh)).size).toBe(roster.length);
    for (const enterprise of roster) expect(enterprise.nameZh).toMatch(/^上海.+(股份)?有限公司$/);
  });

  it('uses valid GB/T 4754 classes with section letters', () => {
    for (const enterprise of roster) {
      const check = validateIndustryCode(enterprise.industryCode);

      expect(check).toMatchObject({ valid: true, normalized: enterprise.industryCode, matchedLevel: 'class' });
    }
  });

  it('tags industries consistently with the code and the park', () => {
    for (const enterprise of roster) {
      const owner = park(enterprise.parkCode);
      const allowed = new Set([
        ...LEADING,
        ...(owner?.leadIndustries ?? []),
        ...(owner?.featuredIndustries ?? []),
        ...(owner?.futureIndustries ?? []),
      ]);
      for (const tag of enterprise.industryTags) {
        expect(allowed.has(tag)).toBe(true);
        expect(hasIndustryPrefix(enterprise.industryCode, industryTag(tag)?.gbtPrefixes ?? [])).toBe(true);
      }
    }
  });

  it('leans toward the park lead industries', () => {
    const inPutuo = roster.filter((e) => e.parkCode === 'PT');
    const software = inPutuo.filter((e) => e.industryTags.includes('SOFTWARE_IT'));

    expect(software.length / inPutuo.length).toBeGreaterThan(0.35);
  });

  it('places each enterprise on a street of its sub-park, inside the park districts', () => {
    for (const enterprise of roster) {
      const sub = subPark(enterprise.subParkCode);
      const owner = park(enterprise.parkCode);

      expect(sub?.parkCode).toBe(enterprise.parkCode);
      expect(sub?.streetCodes).toContain(enterprise.streetCode);
      expect(owner?.districtCodes).toContain(enterprise.streetCode.slice(0, 6));
      if (enterprise.carrierCode !== undefined) {
        const hosting = carrier(enterprise.carrierCode);
        expect(hosting?.parkCode).toBe(enterprise.parkCode);
        if (hosting?.subParkCode !== undefined) expect(hosting.subParkCode).toBe(enterprise.subParkCode);
      }
    }
  });

  it('spreads enterprises over every confirmed park, weighting the seed parks and the core park', () => {
    const count = (code: string) => roster.filter((e) => e.parkCode === code).length;
    for (const p of parks()) {
      if (p.confirmed) expect(count(p.code)).toBeGreaterThan(0);
      else expect(count(p.code)).toBe(0);
    }
    for (const seedPark of ['CORE', 'CN', 'PT', 'HK', 'XC']) expect(count(seedPark)).toBeGreaterThan(count('JS'));
  });

  it('hands out qualifications in realistic proportions with consistent dates', () => {
    const share = (tag: string) =>
      roster.filter((e) => e.qualifications.some((q) => q.tag === tag)).length / roster.length;

    expect(share('HNTE')).toBeGreaterThan(0.2);
    expect(share('HNTE')).toBeLessThan(0.4);
    expect(share('SRDI')).toBeGreaterThan(0.05);
    expect(share('LITTLE_GIANT')).toBeLessThan(0.05);
    expect(share('UNICORN')).toBeLessThan(0.01);
    for (const enterprise of roster) {
      for (const q of enterprise.qualifications) {
        expect(qualificationTag(q.tag)).toBeDefined();
        expect(q.validFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        if (q.validTo !== undefined) expect(q.validTo > q.validFrom).toBe(true);
      }
      const hnte = enterprise.qualifications.find((q) => q.tag === 'HNTE');
      if (hnte) expect(hnte.certificateNo).toMatch(/^GR\d{4}31\d{6}$/);
    }
  });

  it('gives most enterprises both Torch forms from 2025-01-01', () => {
    const both = (e: GeneratedEnterprise) =>
      e.scope.some((s) => s.formId === 'torch-monthly' && s.validFrom === '2025-01-01' && s.validTo === undefined) &&
      e.scope.some((s) => s.formId === 'torch-annual' && s.validFrom === '2025-01-01' && s.validTo === undefined);

    expect(roster.filter(both).length / roster.length).toBeGreaterThan(0.8);
    for (const enterprise of roster) expect(enterprise.scope.length).toBeGreaterThan(0);
  });

  it('follows the requested year', () => {
    const [first] = generateRoster({ size: 1, seed: 1, year: 2030 });

    expect(first?.scope[0]?.validFrom.startsWith('2029')).toBe(true);
  });

  it('fills in a plausible contact', () => {
    for (const enterprise of roster.slice(0, 500)) {
      expect(enterprise.contact.name).toMatch(/^[\u4e00-\u9fa5]{2,3}$/);
      expect(enterprise.contact.phone).toMatch(/^(1[35789]\d{9}|021-[2-6]\d{7})$/);
      expect(enterprise.contact.email).toMatch(/^[a-z]+\d+@[0-9a-z]{9}\.example\.com$/);
    }
  });

  it('rejects a negative or fractional size', () => {
    expect(() => generateRoster({ size: -1, seed: 1 })).toThrow(RangeError);
    expect(() => generateRoster({ size: 1.5, seed: 1 })).toThrow(RangeError);
  });

  // Speed is measured by `npm run bench` (25,000 and 250,000 enterprises), not asserted here.
  it('keeps keys unique at benchmark scale', () => {
    const big = generateRoster({ size: 25_000, seed: 2026 });

    expect(new Set(big.map((e) => e.uscc)).size).toBe(25_000);
    expect(new Set(big.map((e) => e.nameZh)).size).toBe(25_000);
  });
});
