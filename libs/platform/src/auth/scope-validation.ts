import { park, streetTown, subParks, validateUscc } from '@huoju/domain';
import type { FieldError } from '../http/problem';
import type { Role } from './principal';

/**
 * The scope an API key or account may be given, checked against the reference data: an enterprise's
 * valid USCCs, known 9-digit street/town codes, known park codes; nothing for the commission and admins.
 * Every wrong entry is reported at once, pointing at its index.
 */
export function validateScope(role: Role, scope: readonly unknown[], pointer = '/scope'): FieldError[] {
  const errors: FieldError[] = [];
  const needsScope = role === 'enterprise' || role === 'street' || role === 'park';
  if (!needsScope) {
    if (scope.length > 0)
      errors.push({
        pointer,
        code: 'SCOPE.NOT_ALLOWED',
        messageEn: `a ${role} sees everything: leave the scope empty`,
        messageZh: '该角色可查看全部范围，范围须为空',
      });
    return errors;
  }
  if (scope.length === 0)
    errors.push({
      pointer,
      code: 'SCOPE.REQUIRED',
      messageEn: 'enterprise, street and park credentials need a scope (USCCs, street codes or park codes)',
      messageZh: '企业、街镇和园区的账号或密钥必须指定范围',
    });
  scope.forEach((entry, index) => {
    const at = `${pointer}/${index}`;
    if (typeof entry !== 'string') {
      errors.push({ pointer: at, code: 'SCOPE.TYPE', messageEn: 'a scope entry is text', messageZh: '范围须为文本' });
      return;
    }
    const problem = scopeEntryProblem(role, entry);
    if (problem) errors.push({ pointer: at, ...problem });
  });
  if (new Set(scope).size !== scope.length)
    errors.push({ pointer, code: 'SCOPE.DUPLICATE', messageEn: 'a scope entry repeats', messageZh: '范围中有重复项' });
  return errors;
}

function scopeEntryProblem(
  role: 'enterprise' | 'street' | 'park',
  entry: string,
): Omit<FieldError, 'pointer'> | undefined {
  switch (role) {
    case 'enterprise': {
      const check = validateUscc(entry);
      if (check.valid && check.normalized === entry) return undefined;
      const first = check.errors[0];
      return {
        code: 'SCOPE.USCC',
        messageEn: first?.messageEn ?? 'an upper-case 18-character USCC',
        messageZh: first?.messageZh ?? '须为18位大写统一社会信用代码',
      };
    }
    case 'street':
      return /^\d{9}$/.test(entry) && streetTown(entry)
        ? undefined
        : {
            code: 'SCOPE.STREET',
            messageEn: `"${entry.slice(0, 40)}" is not a known 9-digit street/town code`,
            messageZh: '不是已知的9位街镇代码',
          };
    case 'park':
      return park(entry)
        ? undefined
        : {
            code: 'SCOPE.PARK',
            messageEn: `"${entry.slice(0, 40)}" is not a park code of the zone`,
            messageZh: '不是本高新区的园区代码',
          };
  }
}

/** The 9-digit street/town codes the sub-parks of a park cover (a park team manages their accounts). */
export function streetsOfPark(parkCode: string): string[] {
  return [...new Set(subParks(parkCode).flatMap((subPark) => subPark.streetCodes))];
}
