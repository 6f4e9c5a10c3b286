import AxeBuilder from '@axe-core/playwright';
import { expect, test as base, type Page } from '@playwright/test';
import path from 'node:path';
import { readState, REPOSITORY_ROOT, type PlatformState } from './platform';

export const SCREENSHOTS = path.join(REPOSITORY_ROOT, 'docs', 'screenshots');

/** The running platform's state, the console as baseURL, and helpers that act like a user. */
export const test = base.extend<{ platform: PlatformState }>({
  platform: async ({}, use) => use(readState()),
  baseURL: async ({}, use) => use(readState().baseURL),
});
export { expect };

export function apiKeyOf(platform: PlatformState, role: string): string {
  const credential = platform.credentials.find((c) => c.role === role);
  if (!credential) throw new Error(`no demo credential for ${role}`);
  return credential.apiKey;
}

export function accountOf(platform: PlatformState, role: string) {
  const account = platform.accounts.find((a) => a.role === role);
  if (!account) throw new Error(`no demo account for ${role}`);
  return account;
}

/** Signs in as the role's demo person through the sign-in page and lands on `path` (via ?next=). */
export async function signIn(page: Page, platform: PlatformState, role: string, path = '/'): Promise<void> {
  await page.goto(path);
  await page.getByLabel('用户名').fill(accountOf(platform, role).username);
  await page.getByLabel('密码', { exact: true }).fill(platform.password);
  await page.getByRole('tabpanel').getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
}

/** axe: no serious or critical violation on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map(
      (v) =>
        `${v.id}: ${v.help} (${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(' | ')})`,
    ),
  ).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
}
