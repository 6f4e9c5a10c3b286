import { validateIndustryCode } from './industry-classification';
import { type EnterpriseFilter, type TargetMetric } from './reference.types';
import {
  carriers,
  districts,
  industryTag,
  industryTags,
  park,
  parks,
  qualificationTag,
  qualificationTags,
  streetTown,
  streetTowns,
  subPark,
  subParks,
  targets,
  targetsVersion,
  zone,
} from './zone-registry';

// Township codes of the four seed districts, NBS 2023 list (research/domain.md §3).
const SEED_DISTRICT_STREETS: Record<string, string[]> = {
  '310105': ['001', '002', '004', '005', '006', '008', '009', '010', '011', '102'],
  '310107': ['005', '014', '015', '016', '017', '020', '021', '022', '102', '103'],
  '310109': ['009', '010', '011', '014', '016', '017', '018', '019'],
  '310118': ['001', '002', '003', '102', '103', '104', '105', '106', '107', '109', '110'],
};

describe(districts.name, () => {
  it('lists the 16 Shanghai districts with GB/T 2260 codes', () => {
    expect(districts().map((district) => district.code)).toEqual([
      '310101', '310104', '310105', '310106', '310107', '310109', '310110', '310112',
      '310113', '310114', '310115', '310116', '310117', '310118', '310120', '310151',
    ]); // prettier-ignore
    expect(districts().find((district) => district.code === '310151')?.nameZh).toBe('崇明区');
  });
});

describe(streetTowns.name, () => {
  const all = streetTowns();

  it.each(Object.entries(SEED_DISTRICT_STREETS))('holds every street/town of district %s', (districtCode, suffixes) => {
    const codes = all.filter((street) => street.districtCode === districtCode).map((street) => street.code);

    expect(codes.sort()).toEqual(suffixes.map((suffix) => districtCode + suffix));
  });

  it('uses 9-digit codes inside their district and a kind that matches the code', () => {
    const districtCodes = new Set(districts().map((district) => district.code));
    for (const street of all) {
      expect(street.code).toMatch(/^\d{9}$/);
      expect(street.code.startsWith(street.districtCode)).toBe(true);
      expect(districtCodes.has(street.districtCode)).toBe(true);
      const n = Number(street.code.slice(6));
      const kind = n < 100 ? 'street' : n < 200 ? 'town' : n < 400 ? 'township' : 'other';
      expect(street.kind).toBe(kind);
    }
    expect(new Set(all.map((street) => street.code)).size).toBe(all.length);
  });

  it('covers all 16 districts', () => {
    expect(new Set(all.map((street) => street.districtCode)).size).toBe(16);
  });

  it('returns the latest list not after the requested year', () => {
    expect(streetTowns(2026)).toBe(all);
    expect(streetTowns(2023)).toBe(all);
    expect(streetTowns(2022)).toEqual([]);
    expect(streetTown('310107015')?.nameZh).toBe('长寿路街道');
    expect(streetTown('310109018')?.nameZh).toBe('北外滩街道');
  });
});

describe(parks.name, () => {
  it('has the zone and 22 parks, one of them an unconfirmed placeholder', () => {
    expect(zone().code).toBe('ZJ');
    expect(parks()).toHaveLength(22);
    expect(
      parks()
        .filter((p) => !p.confirmed)
        .map((p) => p.code),
    ).toEqual(['P22']);
    expect(new Set(parks().map((p) => p.code)).size).toBe(22);
  });

  it('gives every park at least one sub-park', () => {
    for (const p of parks()) expect(subParks(p.code).length).toBeGreaterThanOrEqual(1);
  });

  it('references known industry tags and districts', () => {
    const districtCodes = new Set(districts().map((district) => district.code));
    for (const p of parks()) {
      for (const tag of [...p.leadIndustries, ...p.featuredIndustries, ...(p.futureIndustries ?? [])]) {
        expect(industryTag(tag)).toBeDefined();
      }
      for (const code of p.districtCodes) expect(districtCodes.has(code)).toBe(true);
    }
  });

  it('carries the seed parks with their lead industries', () => {
    expect(park('CN')?.leadIndustries).toEqual(['INTERNET_SERVICES']);
    expect(park('PT')?.leadIndustries).toEqual(['SOFTWARE_IT']);
    expect(park('HK')?.featuredIndustries).toEqual(['GREEN_LOW_CARBON']);
    expect(park('XC')?.leadIndustries).toEqual(['NEW_GEN_IT']);
  });
});

describe(subParks.name, () => {
  it('links every sub-park to an existing park and to streets inside that park', () => {
    const codes = subParks().map((sub) => sub.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const sub of subParks()) {
      const owner = park(sub.parkCode);
      expect(owner).toBeDefined();
      for (const code of sub.streetCodes) {
        const street = streetTown(code);
        expect(street).toBeDefined();
        expect(owner?.districtCodes).toContain(street?.districtCode);
      }
      if (owner?.confirmed) expect(sub.streetCodes.length).toBeGreaterThan(0);
    }
  });

  it('maps the seed sub-parks to their towns', () => {
    expect(subParks('PT')).toHaveLength(5);
    expect(subPark('PT-TAOPU')?.streetCodes).toEqual(['310107103']);
    expect(subPark('HK-NBUND')?.streetCodes).toContain('310109018');
    expect(subParks('CN').map((sub) => sub.code)).toEqual(['CN-E', 'CN-C', 'CN-W']);
  });
});

describe(carriers.name, () => {
  it('links carriers to an existing park and, where given, a sub-park of that park', () => {
    const codes = carriers().map((carrier) => carrier.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const carrier of carriers()) {
      expect(park(carrier.parkCode)).toBeDefined();
      if (carrier.subParkCode !== undefined) expect(subPark(carrier.subParkCode)?.parkCode).toBe(carrier.parkCode);
    }
    expect(carriers('CN').map((carrier) => carrier.nameZh)).toEqual(
      expect.arrayContaining(['硅巷NO.1', '武夷新象限', '翡悦里', '新秀汇']),
    );
  });
});

describe(industryTags.name, () => {
  it('marks exactly IC, BIOMED and AI as the leading industries', () => {
    expect(
      industryTags()
        .filter((tag) => tag.leading)
        .map((tag) => tag.code),
    ).toEqual(['IC', 'BIOMED', 'AI']);
  });

  it('uses GB/T 4754 prefixes that exist', () => {
    for (const tag of industryTags()) {
      expect(tag.gbtPrefixes.length).toBeGreaterThan(0);
      for (const prefix of tag.gbtPrefixes) expect(validateIndustryCode(prefix).valid).toBe(true);
    }
  });
});

describe(qualificationTags.name, () => {
  it('holds the qualifications the targets and roster use', () => {
    expect(qualificationTags().map((tag) => tag.code)).toEqual([
      'HNTE',
      'SRDI',
      'LITTLE_GIANT',
      'UNICORN',
      'GAZELLE',
      'LISTED',
      'HIDDEN_CHAMPION',
    ]);
    expect(qualificationTag('HNTE')?.validityYears).toBe(3);
  });
});

describe(targets.name, () => {
  const filtersOf = (metric: TargetMetric): EnterpriseFilter[] => {
    switch (metric.kind) {
      case 'sum':
        return metric.filter ? [metric.filter] : [];
      case 'ratio':
        return [metric.numerator.filter, metric.denominator.filter].filter((f) => f !== undefined);
      case 'count':
        return [metric.filter];
      case 'external':
        return [];
    }
  };

  it('has a version and unique ids', () => {
    expect(targetsVersion()).toBe('2026.1');
    const ids = targets().map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('references known parks, tags and industry codes, with decimal values', () => {
    for (const t of targets()) {
      expect(t.parkCode === 'ZJ' || park(t.parkCode) !== undefined).toBe(true);
      expect(t.value).toMatch(/^\d+(\.\d+)?$/);
      expect(t.source).toMatch(/^seed 00[0-4] /);
      if (t.metric.kind !== 'external') expect(['个', '平方米']).not.toContain(t.unit);
      if (t.metric.kind === 'ratio') expect(t.unit).toBe('%');
      for (const filter of filtersOf(t.metric)) {
        for (const tag of filter.industryTags ?? []) expect(industryTag(tag)).toBeDefined();
        for (const tag of filter.qualificationTags ?? []) expect(qualificationTag(tag)).toBeDefined();
        for (const prefix of filter.industryPrefixes ?? []) expect(validateIndustryCode(prefix).valid).toBe(true);
      }
    }
  });

  it('converts 亿元 to 千元', () => {
    for (const t of targets().filter((candidate) => candidate.display.unit === '亿元')) {
      expect(t.unit).toBe('千元');
      expect(Number(t.value)).toBe(Number(t.display.value) * 100_000);
    }
  });

  it('states the seed targets as the seeds do', () => {
    const byId = new Map(targets().map((t) => [t.id, t]));
    expect(byId.get('PT-RD-INTENSITY')).toMatchObject({
      parkCode: 'PT',
      comparator: '>=',
      value: '4',
      unit: '%',
      metric: { kind: 'ratio', numerator: { indicator: 'qj20' }, denominator: { indicator: 'qc05_0' } },
    });
    expect(byId.get('CN-LEADING-SCALE')).toMatchObject({ comparator: '>', value: '100000000' });
    expect(byId.get('HK-HNTE')?.metric).toEqual({ kind: 'count', filter: { qualificationTags: ['HNTE'] } });
    expect(byId.get('XC-RD-INTENSITY')?.value).toBe('9');
    expect(byId.get('ZJ-UNICORN-HIDDEN-CHAMPION')).toMatchObject({ year: 2025, comparator: '>', value: '100' });
  });
});
