import type { Page } from '@playwright/test';
import { en } from '../src/i18n/en';
import { zh } from '../src/i18n/zh';
import { expect, signIn, test } from './support/fixtures';

// A new user's first visit, for every demo account `npm start` prints: sign in from the home page, land on the
// role's own page, and open every page of the navigation — each shows its heading, no error, and no catalog
// key left untranslated, in Chinese and after the English toggle.
const ROLES = ['enterprise', 'street', 'park', 'commission', 'admin'] as const;
const KEYS = Object.keys(zh);
const ERRORS = [zh['problem.unexpected'], zh['problem.forbiddenTitle'], zh['problem.unreachableTitle']];
const ERRORS_EN = [en['problem.unexpected'], en['problem.forbiddenTitle'], en['problem.unreachableTitle']];

async function expectSettledPage(page: Page, errors: readonly string[]): Promise<void> {
  await expect(page.getByRole('heading', { level: 2 }).first()).toBeVisible();
  // Loading spinners gone: the page shows its data (or its empty state), not a half-drawn frame.
  await expect(page.locator('.ant-spin-spinning')).toHaveCount(0);
  const text = await page.locator('main').innerText();
  for (const error of errors) expect(text, `an error on ${page.url()}`).not.toContain(error);
  const untranslated = KEYS.filter((key) => text.includes(key));
  expect(untranslated, `untranslated keys on ${page.url()}`).toEqual([]);
}

for (const role of ROLES) {
  test(`a new ${role} user signs in from the home page and opens every page of the navigation, zh and en`, async ({
    page,
    platform,
  }) => {
    await signIn(page, platform, role, '/');
    await expect(page).not.toHaveURL(/sign-in/);
    await expectSettledPage(page, ERRORS);
    const nav = page.getByRole('navigation', { name: zh['nav.label'] });
    const links = await nav.getByRole('link').allInnerTexts();
    expect(links.length).toBeGreaterThan(0);
    for (const name of links) {
      await nav.getByRole('link', { name }).click();
      await expect(nav.getByRole('link', { name })).toHaveAttribute('aria-current', 'page');
      await expectSettledPage(page, ERRORS);
    }
    await page.getByRole('button', { name: 'English' }).click();
    const navEn = page.getByRole('navigation', { name: en['nav.label'] });
    for (const name of await navEn.getByRole('link').allInnerTexts()) {
      await navEn.getByRole('link', { name }).click();
      await expect(navEn.getByRole('link', { name })).toHaveAttribute('aria-current', 'page');
      await expectSettledPage(page, ERRORS_EN);
    }
    await page.getByRole('button', { name: '中文' }).click();
    await expect(nav).toBeVisible();
  });
}
