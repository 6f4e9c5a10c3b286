import argon2 from 'argon2';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@huoju/contracts';
import type { FieldError } from '@huoju/platform';

/** The password every demo account gets; production mode refuses it (see DEMO_PASSWORDS). */
export const DEMO_PASSWORD = 'Huoju-Demo-2026';

/** Too common to allow whatever their character classes (checked case-insensitively, as substrings). */
const COMMON = ['password', 'passw0rd', '12345678', 'qwertyui', 'huoju123', 'admin123', 'letmein', 'iloveyou'];

/**
 * The password policy: 12–128 characters, at least three of lower case, upper case, digits and other
 * characters, not containing the username, none of the commonest passwords — and in production, not the demo password.
 */
export function passwordProblems(
  password: string,
  username: string,
  options: { production: boolean },
  pointer = '/password',
): FieldError[] {
  const problem = (code: string, messageEn: string, messageZh: string): FieldError => ({
    pointer,
    code,
    messageEn,
    messageZh,
  });
  const errors: FieldError[] = [];
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH)
    errors.push(
      problem(
        'PASSWORD.LENGTH',
        `a password has ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
        `密码长度须为${PASSWORD_MIN_LENGTH}至${PASSWORD_MAX_LENGTH}个字符`,
      ),
    );
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((pattern) => pattern.test(password)).length;
  if (classes < 3)
    errors.push(
      problem(
        'PASSWORD.CLASSES',
        'use at least three of: lower case, upper case, digits, other characters',
        '密码须包含小写字母、大写字母、数字、其他字符中的至少三类',
      ),
    );
  const lower = password.toLowerCase();
  if (username.length >= 3 && lower.includes(username.toLowerCase()))
    errors.push(
      problem('PASSWORD.CONTAINS_USERNAME', 'a password must not contain the username', '密码不能包含用户名'),
    );
  if (COMMON.some((common) => lower.includes(common)))
    errors.push(problem('PASSWORD.COMMON', 'this password is too common', '该密码过于常见'));
  if (options.production && password === DEMO_PASSWORD)
    errors.push(problem('PASSWORD.DEMO', 'the demo password is refused in production', '生产环境不允许使用演示密码'));
  return errors;
}

/** argon2id with the library's defaults (64 MiB, 3 passes, 4 lanes; above OWASP's minimum). */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** Verified against when the username is unknown, so a wrong name costs as long as a wrong password. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-hash-target');
  return dummyHash;
}
