import { USCC_CHARSET, computeUsccCheckCharacter, validateUscc } from './uscc';
import { defaultUsccOverrides } from './uscc-overrides';

// Published codes of real firms. The Shanghai ones are listed companies' USCCs (SAIC Motor,
// Shanghai Pudong Development Bank, Shanghai International Port Group), checked with the algorithm.
const VALID_ELSEWHERE = ['914403001922038216', '91110000100003495Y'];
const VALID_SHANGHAI = ['91310000132260250X', '9131000013221158XC', '913100001322075806'];

describe(validateUscc.name, () => {
  it.each([...VALID_ELSEWHERE, ...VALID_SHANGHAI])('accepts the real code %s', (code) => {
    const sut = validateUscc(code);

    expect(sut.valid).toBe(true);
    expect(sut.errors).toEqual([]);
    expect(sut.normalized).toBe(code);
  });

  it('normalises by trimming and upper-casing', () => {
    const sut = validateUscc('  9131000013221158xc \n');

    expect(sut.normalized).toBe('9131000013221158XC');
    expect(sut.valid).toBe(true);
  });

  it.each(VALID_SHANGHAI)('rejects every single-character change of %s', (code) => {
    for (let position = 0; position < code.length; position++) {
      for (const replacement of USCC_CHARSET) {
        if (replacement === code[position]) continue;
        const mutated = code.slice(0, position) + replacement + code.slice(position + 1);

        const sut = validateUscc(mutated);

        expect({ mutated, valid: sut.valid }).toEqual({ mutated, valid: false });
        expect(sut.errors.map((error) => error.code)).toEqual(['USCC.CHECKSUM']);
      }
    }
  });

  it('explains a checksum error with the expected character', () => {
    const sut = validateUscc('91310000132260250Y');

    expect(sut.errors).toHaveLength(1);
    expect(sut.errors[0]).toMatchObject({ code: 'USCC.CHECKSUM' });
    expect(sut.errors[0]?.messageZh).toContain('“X”');
    expect(sut.errors[0]?.messageEn).toContain('"X"');
  });

  it.each(['I', 'O', 'Z', 'S', 'V'])('rejects the excluded letter %s', (letter) => {
    const sut = validateUscc(`9131000013221158X${letter}`);

    expect(sut.valid).toBe(false);
    expect(sut.errors.map((error) => error.code)).toEqual(['USCC.CHARSET']);
    expect(sut.errors[0]?.messageZh).toContain(letter);
  });

  it('rejects punctuation and spaces inside the code', () => {
    expect(validateUscc('9131000013221-58XC').errors.map((error) => error.code)).toEqual(['USCC.CHARSET']);
  });

  it.each(['', '9131000013221158X', '9131000013221158XC0', '913100001322'])('rejects the length of %p', (code) => {
    const sut = validateUscc(code);

    expect(sut.valid).toBe(false);
    expect(sut.errors.map((error) => error.code)).toContain('USCC.LENGTH');
    expect(sut.warnings).toEqual([]);
  });

  it('reports length and charset together', () => {
    expect(validateUscc('91310O').errors.map((error) => error.code)).toEqual(['USCC.LENGTH', 'USCC.CHARSET']);
  });

  it('warns, without failing, when the firm is registered outside Shanghai', () => {
    const sut = validateUscc('914403001922038216');

    expect(sut.valid).toBe(true);
    expect(sut.warnings.map((warning) => warning.code)).toEqual(['USCC.REGION_OUTSIDE_SHANGHAI']);
    expect(sut.warnings[0]?.messageZh).toContain('440300');
  });

  it('does not warn for a Shanghai registration', () => {
    expect(validateUscc('91310000132260250X').warnings).toEqual([]);
  });

  describe('override list', () => {
    it('accepts the built-in pilot-era codes that fail the checksum', () => {
      for (const code of defaultUsccOverrides()) {
        expect(computeUsccCheckCharacter(code.slice(0, 17))).not.toBe(code[17]);

        const sut = validateUscc(code);

        expect(sut.valid).toBe(true);
        expect(sut.warnings.map((warning) => warning.code)).toEqual(['USCC.REGION_OUTSIDE_SHANGHAI']);
      }
      expect(validateUscc('91350100M0001TGQXM').valid).toBe(true);
    });

    it('accepts a caller-supplied override, and only that code', () => {
      const failing = '91310000132260250Y';
      const overrides = new Set([failing]);

      expect(validateUscc(failing, { overrides }).valid).toBe(true);
      expect(validateUscc('91310000132260250W', { overrides }).valid).toBe(false);
    });

    it('does not excuse charset or length errors', () => {
      expect(validateUscc('9131000013221158XO', { overrides: new Set(['9131000013221158XO']) }).valid).toBe(false);
    });
  });
});

describe(computeUsccCheckCharacter.name, () => {
  it('computes the 18th character', () => {
    expect(computeUsccCheckCharacter('91110000100003495')).toBe('Y');
    expect(computeUsccCheckCharacter('91440300192203821')).toBe('6');
  });

  it('refuses malformed input', () => {
    expect(() => computeUsccCheckCharacter('9131')).toThrow(RangeError);
    expect(() => computeUsccCheckCharacter('9131000013221158O')).toThrow(RangeError);
  });
});
