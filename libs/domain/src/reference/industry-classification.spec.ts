import {
  divisionOf,
  hasIndustryPrefix,
  industryName,
  industryNode,
  industryNodes,
  sectionOf,
  validateIndustryCode,
} from './industry-classification';

const LEVEL_ORDER = ['section', 'division', 'group', 'class'] as const;

describe(industryNodes.name, () => {
  const nodes = industryNodes();
  const ofLevel = (level: (typeof LEVEL_ORDER)[number]) => nodes.filter((node) => node.level === level);
  const divisionsOf = (section: string) =>
    ofLevel('division')
      .filter((node) => node.parent === section)
      .map((node) => node.code);

  it('has exactly the 20 sections A–T', () => {
    expect(ofLevel('section').map((node) => node.code)).toEqual([...'ABCDEFGHIJKLMNOPQRST']);
  });

  it('has exactly the 97 divisions 01–97', () => {
    const expected = Array.from({ length: 97 }, (_, i) => String(i + 1).padStart(2, '0'));
    expect(ofLevel('division').map((node) => node.code)).toEqual(expected);
  });

  it('has the 473 groups and the classes of the 2019 edition', () => {
    expect(ofLevel('group')).toHaveLength(473);
    // The sources give 1381 classes; the 2019 amendment is cited as 1382 (see data/README.md).
    expect(ofLevel('class').length).toBeGreaterThanOrEqual(1381);
  });

  it('has unique codes', () => {
    const codes = nodes.map((node) => node.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('links every node to an existing parent one level up whose code it extends', () => {
    const byCode = new Map(nodes.map((node) => [node.code, node]));
    for (const node of nodes) {
      if (node.level === 'section') {
        expect(node.parent).toBeUndefined();
        continue;
      }
      const parent = byCode.get(node.parent ?? '');
      expect(parent?.level).toBe(LEVEL_ORDER[LEVEL_ORDER.indexOf(node.level) - 1]);
      if (node.level !== 'division') expect(node.code.startsWith(node.parent ?? '?')).toBe(true);
      expect(node.code).toMatch(node.level === 'division' ? /^\d{2}$/ : node.level === 'group' ? /^\d{3}$/ : /^\d{4}$/);
    }
  });

  it('puts well-known divisions in the right sections', () => {
    const manufacturing = Array.from({ length: 31 }, (_, i) => String(13 + i));
    expect(divisionsOf('C')).toEqual(manufacturing);
    expect(industryName('C')).toBe('制造业');
    expect(divisionsOf('I')).toEqual(['63', '64', '65']);
    expect(industryName('I')).toBe('信息传输、软件和信息技术服务业');
    expect(industryName('39')).toBe('计算机、通信和其他电子设备制造业');
    expect(divisionsOf('A')).toEqual(['01', '02', '03', '04', '05']);
    expect(divisionsOf('T')).toEqual(['97']);
  });

  it('includes the classes added by amendment 1 (2019)', () => {
    expect(industryName('5267')).toBe('机动车充电销售');
    expect(industryName('6513')).toBe('应用软件开发');
    expect(industryName('3973')).toBe('集成电路制造');
  });
});

describe(validateIndustryCode.name, () => {
  it.each([
    ['I6513', 'I6513', 'class'],
    ['6513', 'I6513', 'class'],
    [' i6513 ', 'I6513', 'class'],
    ['C39', 'C39', 'division'],
    ['C397', 'C397', 'group'],
    ['0111', 'A0111', 'class'],
    ['T9700', 'T9700', 'class'],
  ] as const)('accepts %p as %p at %p level', (input, normalized, matchedLevel) => {
    const sut = validateIndustryCode(input);

    expect(sut).toMatchObject({ valid: true, normalized, matchedLevel });
    expect(sut.issue).toBeUndefined();
  });

  it('derives section and division', () => {
    expect(validateIndustryCode('6520')).toMatchObject({ section: 'I', division: '65' });
  });

  it('rejects a letter that does not match the division', () => {
    const sut = validateIndustryCode('C6513');

    expect(sut.valid).toBe(false);
    expect(sut.issue?.code).toBe('INDUSTRY.SECTION_MISMATCH');
    expect(sut.issue?.messageZh).toContain('I65');
    expect(sut.section).toBe('I');
  });

  it('rejects a letter that is not a section', () => {
    expect(validateIndustryCode('Z6513').issue?.code).toBe('INDUSTRY.UNKNOWN_SECTION');
  });

  it.each(['98', 'I98', '9800', '00'])('rejects unknown division in %p', (input) => {
    expect(validateIndustryCode(input)).toMatchObject({ valid: false, issue: { code: 'INDUSTRY.UNKNOWN_DIVISION' } });
  });

  it('checks the longest prefix: unknown group and unknown class', () => {
    expect(validateIndustryCode('I658').issue?.code).toBe('INDUSTRY.UNKNOWN_GROUP');
    expect(validateIndustryCode('I6514').issue?.code).toBe('INDUSTRY.UNKNOWN_CLASS');
    expect(validateIndustryCode('6529').issue?.code).toBe('INDUSTRY.UNKNOWN_CLASS');
  });

  it.each(['', 'I', '6', 'I65131', 'I-6513', '65A3'])('rejects malformed %p', (input) => {
    const sut = validateIndustryCode(input);

    expect(sut.valid).toBe(false);
    expect(sut.issue?.code).toBe('INDUSTRY.FORMAT');
    expect(sut.issue?.messageEn).toMatch(/section letter/);
  });
});

describe(industryNode.name, () => {
  it('finds nodes by bare or lettered code', () => {
    expect(industryNode('65')?.nameZh).toBe('软件和信息技术服务业');
    expect(industryNode('I651')?.level).toBe('group');
    expect(industryNode('C651')).toBeUndefined();
    expect(industryNode('6599')?.parent).toBe('659');
  });
});

describe(sectionOf.name, () => {
  it('derives the section from the division', () => {
    expect(sectionOf('6513')).toBe('I');
    expect(sectionOf('C39')).toBe('C');
    expect(sectionOf('B')).toBe('B');
    expect(sectionOf('98')).toBeUndefined();
    expect(sectionOf('C65')).toBeUndefined();
  });
});

describe(divisionOf.name, () => {
  it('returns the two-digit division when it exists', () => {
    expect(divisionOf('I6513')).toBe('65');
    expect(divisionOf('0111')).toBe('01');
    expect(divisionOf('9800')).toBeUndefined();
  });
});

describe(hasIndustryPrefix.name, () => {
  it('matches digits against prefixes without the section letter', () => {
    expect(hasIndustryPrefix('I6513', ['65'])).toBe(true);
    expect(hasIndustryPrefix('6513', ['64', '651'])).toBe(true);
    expect(hasIndustryPrefix('I6410', ['65'])).toBe(false);
  });
});
