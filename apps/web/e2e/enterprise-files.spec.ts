import { expect, expectAccessible, screenshot, signIn, test } from './support/fixtures';

test('an enterprise files, sees a warning beside the field, explains it, gets a receipt, amends and compares', async ({
  page,
  platform,
}) => {
  const period = platform.periods[platform.periods.length - 1]!;
  await signIn(page, platform, 'enterprise', `/file?form=torch-monthly&period=${period}`);
  await expect(page.getByRole('heading', { level: 2 })).toContainText('月报');
  const revenue = page.getByLabel(/营业收入.*qc05_0/);
  await expect(revenue).not.toHaveValue('');
  await screenshot(page, 'enterprise-form');
  await expectAccessible(page);

  // A year-to-date figure below last month's: a warning beside the revenue field.
  await revenue.fill('1');
  await page.getByLabel(/主营业务收入.*qc55/).fill('0.5');
  const warning = page.getByRole('status').filter({ hasText: 'TM-YTD-001' }).first();
  await expect(warning).toBeVisible();
  await expect(page.getByRole('button', { name: '提交修改' })).toBeEnabled();

  // Explain it right there: a coded reason and a specific text.
  await page.getByLabel('TM-YTD-001 的说明理由').first().click();
  await page.getByRole('option', { name: '会计差错更正或口径调整' }).click();
  await page.getByLabel('TM-YTD-001 的具体说明').first().fill('8月多确认跨期收入，9月冲回，金额见附表');
  await expect(page.getByText(/尚未说明/)).toHaveCount(0);
  await page.getByRole('button', { name: '提交修改' }).click();

  await expect(page.getByRole('heading', { name: '报送回执' })).toBeVisible();
  await expect(page.getByText(/^[0-9a-f]{64}$/)).toBeVisible();
  await screenshot(page, 'enterprise-receipt');

  // The filing page: status, revisions, and a diff between the two.
  await page.getByRole('link', { name: '查看报表详情' }).click();
  await expect(page.getByRole('heading', { name: '版本记录' }).or(page.getByText('版本记录'))).toBeVisible();
  const diff = page.getByRole('table', { name: '版本对比' });
  await expect(diff.getByRole('row').filter({ hasText: 'qc05_0' })).toContainText('已修改');
  await expect(diff.getByRole('row').filter({ hasText: 'qc05_0' })).toContainText('1');
  await screenshot(page, 'enterprise-filing');
  await expectAccessible(page);
});

test('a hard error blocks submission and shows beside its field', async ({ page, platform }) => {
  const period = platform.periods[platform.periods.length - 1]!;
  await signIn(page, platform, 'enterprise', `/file?form=torch-monthly&period=${period}`);
  await page.getByLabel(/从业人员期末人数.*qd01/).fill('-3');
  await expect(page.getByRole('alert').filter({ hasText: 'TM-SGN-001' })).toBeVisible();
  await expect(page.getByRole('button', { name: /提交/ })).toBeDisabled();
});
