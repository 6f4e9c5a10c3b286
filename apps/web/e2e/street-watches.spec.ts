import { expect, expectAccessible, screenshot, signIn, test } from './support/fixtures';
import { accountOf } from './support/fixtures';
import { mintEnterpriseToken, newEnterpriseIn } from './support/platform';

test('the street team watches an enterprise go from missing to filed without reloading', async ({ page, platform }) => {
  const street = accountOf(platform, 'street').scope[0]!;
  const period = platform.periods[platform.periods.length - 1]!;
  // A new enterprise in the team's street that has not filed yet (registered through the public API).
  const admin = await token(platform.urls.intake, platform.credentials.find((c) => c.role === 'admin')!.apiKey);
  const { uscc, body } = newEnterpriseIn(street);
  const registered = await fetch(`${platform.urls.intake}/v1/enterprises`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(registered.status, await registered.clone().text()).toBe(201);

  await signIn(page, platform, 'street', `/compliance?period=${period}`);
  const queue = page.getByRole('table', { name: '未按时报送的企业' });
  await page.getByRole('searchbox', { name: '按企业名称或代码查找' }).fill(uscc);
  await page.getByRole('searchbox', { name: '按企业名称或代码查找' }).press('Enter');
  const row = queue.getByRole('row').filter({ hasText: uscc });
  await expect(row).toContainText(/逾期未报|未报/, { timeout: 30_000 });

  // The enterprise files (through the API, as its own system would); the page updates by itself.
  const filer = await mintEnterpriseToken(platform, uscc);
  const filed = await fetch(`${platform.urls.intake}/v1/filings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${filer}`, 'content-type': 'application/json' },
    body: JSON.stringify({ formId: 'torch-monthly', period, values: { qc05_0: '1000', qd01: '12' } }),
  });
  expect(filed.status).toBe(202);
  await expect(row).toContainText('迟报', { timeout: 45_000 });
  await page.getByRole('searchbox', { name: '按企业名称或代码查找' }).fill('');
  await page.getByRole('searchbox', { name: '按企业名称或代码查找' }).press('Enter');
  await expect(page.getByRole('img', { name: /折线图/ })).toBeVisible();
  await screenshot(page, 'street-compliance');
  await expectAccessible(page);
});

test('a street user opening another street’s page gets the 403 page with their scope', async ({ page, platform }) => {
  const street = accountOf(platform, 'street').scope[0]!;
  await signIn(page, platform, 'street', '/compliance?street=310107022');
  await expect(page.getByText('无权访问')).toBeVisible();
  await expect(page.getByText(new RegExp(`可访问范围：${street}`))).toBeVisible();
  await screenshot(page, 'street-forbidden');
});

async function token(intake: string, apiKey: string): Promise<string> {
  const response = await fetch(`${intake}/v1/auth/token`, {
    method: 'POST',
    headers: { authorization: `ApiKey ${apiKey}` },
  });
  return ((await response.json()) as { accessToken: string }).accessToken;
}
