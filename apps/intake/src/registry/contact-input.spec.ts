import { checkSync } from 'recheck';
import { EMAIL_MAX } from '@huoju/contracts/http';
import { EMAIL, PHONE, checkContact } from './enterprise-input';

describe(checkContact.name, () => {
  it('uses patterns that are linear by construction (no ReDoS), checked by recheck', () => {
    for (const pattern of [EMAIL, PHONE]) {
      const diagnosis = checkSync(pattern.source, pattern.flags, { checker: 'automaton' });
      expect([pattern.source, diagnosis.status]).toEqual([pattern.source, 'safe']);
    }
  });

  it('refuses an over-long field before any pattern sees it', () => {
    const email = `${'a'.repeat(16_000)}@${'.a'.repeat(8_000)}`;
    const { errors } = checkContact({ name: '张三', phone: '021-50801234', email }, '/contact');
    expect(errors.map((e) => `${e.pointer} ${e.code}`)).toEqual(['/contact/email FIELD.TOO_LONG']);
    const atCap = `${'a'.repeat(EMAIL_MAX - 12)}@example.com`;
    expect(checkContact({ name: '张三', phone: '021-50801234', email: atCap }, '/contact').errors).toEqual([]);
  });

  it('still accepts ordinary addresses and refuses malformed ones', () => {
    for (const email of ['tongji@example.com', 'a.b+c@sub.example.com.cn'])
      expect(checkContact({ name: '张三', phone: '021-50801234', email }, '/c').errors).toEqual([]);
    for (const email of ['a@b', 'a@@b.c', 'a b@c.d', '@b.c', 'a@b..c', 'a@.b'])
      expect(checkContact({ name: '张三', phone: '021-50801234', email }, '/c').errors.map((e) => e.code)).toEqual([
        'CONTACT.EMAIL',
      ]);
  });
});
