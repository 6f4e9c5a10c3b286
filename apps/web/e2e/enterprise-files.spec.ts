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

  // Year-to-date revenue below last month's (the 其中 part lowered with it): a warning beside the field.
  await revenue.fill('60000');
  await page.getByLabel(/主营业务收入.*qc55/).fill('55000');
  const warning = page.getByRole('status').filter({ hasText: 'TM-YTD-001' }).first();
  await expect(warning).toBeVisible();
  await expect(page.getByText(/项提示尚未说明/)).toBeVisible();

  // Explain every warning right there: a coded reason and a specific text.
  const reasons = page.getByLabel(/的说明理由$/);
  for (let i = 0; i < (await reasons.count()); i++) {
    // By keyboard: open the reason list and take the first reason (会计差错更正或口径调整).
    await reasons.nth(i).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page
      .getByLabel(/的具体说明$/)
      .nth(i)
      .fill('8月多确认跨期收入3500千元，9月冲回，详见调整分录');
  }
  await expect(page.getByText(/项提示尚未说明/)).toHaveCount(0);
  await expect(page.getByRole('button', { name: '提交修改' })).toBeEnabled();
  await page.getByRole('button', { name: '提交修改' }).click();

  await expect(page.getByRole('heading', { name: '报送回执' })).toBeVisible();
  await expect(page.getByText(/^[0-9a-f]{64}$/)).toBeVisible();
  await screenshot(page, 'enterprise-receipt');

  // The filing page: status, revisions, and a diff between the two.
  await page.getByRole('link', { name: '查看报表详情' }).click();
  await expect(page.getByRole('heading', { name: '版本记录' }).or(page.getByText('版本记录'))).toBeVisible();
  const diff = page.getByRole('table', { name: '版本对比' });
  await expect(diff.getByRole('row').filter({ hasText: 'qc05_0' })).toContainText('已修改');
  await expect(diff.getByRole('row').filter({ hasText: 'qc05_0' })).toContainText('60000');
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
