import ExcelJS from 'exceljs';
import { accountOf, expect, expectAccessible, screenshot, signIn, test } from './support/fixtures';

test('the commission compares parks, reads the evaluation and downloads a Torch XLSX it can open', async ({
  page,
  platform,
}) => {
  const period = platform.periods[platform.periods.length - 1]!;
  await signIn(page, platform, 'commission', `/figures?period=${period}&indicator=qc05_0&groupBy=park&measure=ytd`);
  await expect(page.getByRole('table', { name: '统计数据' }).getByRole('row').nth(2)).toBeVisible();
  await screenshot(page, 'commission-figures');
  await expectAccessible(page);

  await page.goto(`/evaluation?period=${period}`);
  await expect(page.getByRole('table', { name: '园区报送考核' }).getByRole('row').nth(1)).toBeVisible();
  await screenshot(page, 'commission-evaluation');
  await expectAccessible(page);

  await page.goto('/exports');
  await page.getByLabel('报告期').selectOption(period);
  await page.getByLabel('园区', { exact: true }).fill('PT');
  await page.getByRole('button', { name: '开始导出' }).click();
  const jobs = page.getByRole('table', { name: '导出任务' });
  const row = jobs.getByRole('row').filter({ hasText: period }).filter({ hasText: 'PT' }).first();
  await expect(row.getByRole('button', { name: '下载文件' })).toBeVisible({ timeout: 60_000 });
  await screenshot(page, 'commission-exports');
  await expectAccessible(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    row.getByRole('button', { name: '下载文件' }).click(),
  ]);
  const file = await download.path();
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.worksheets[0]!;
  const cells = sheet
    .getSheetValues()
    .flat()
    .map((v) => String(v ?? ''));
  expect(sheet.rowCount).toBeGreaterThan(1);
  // The header names the indicators by code; the demo enterprise of park PT is one of the rows.
  const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
  expect(header.some((v) => v.includes('qc05_0'))).toBe(true);
  expect(cells).toContain(accountOf(platform, 'enterprise').scope[0]);
});

test('zh ↔ en: the English toggle switches every label and sticks after a reload', async ({ page, platform }) => {
  await signIn(page, platform, 'commission', '/evaluation');
  await expect(page.getByRole('heading', { name: '园区报送考核' })).toBeVisible();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Park filing evaluation' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Figures' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Park filing evaluation' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Park filing evaluation' }).getByRole('row').nth(1)).toBeVisible();
  await screenshot(page, 'commission-evaluation-en');
  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.getByRole('heading', { name: '园区报送考核' })).toBeVisible();
});

test('the admin manages API keys and accounts', async ({ page, platform }) => {
  await signIn(page, platform, 'admin', '/admin/api-keys');
  await page.getByLabel('范围').fill('310107014'); // a street key (the default role)
  await page.getByLabel('用途说明').fill('浏览器测试密钥');
  await page.getByRole('button', { name: '创建' }).click();
  await expect(page.getByText('密钥只显示这一次')).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: '浏览器测试密钥' })).toBeVisible();
  await screenshot(page, 'admin-api-keys');
  await expectAccessible(page);
  // Revoking asks once more in the row; the key then shows as revoked.
  const key = page.getByRole('row').filter({ hasText: '浏览器测试密钥' });
  await key.getByRole('button', { name: '吊销密钥“浏览器测试密钥”' }).click();
  await key.getByRole('button', { name: '确定吊销' }).click();
  await expect(key).toContainText('已吊销');
  await page.goto('/admin/accounts');
  await expect(page.getByRole('row').filter({ hasText: 'commission' }).first()).toBeVisible();
  await screenshot(page, 'admin-accounts');
  await expectAccessible(page);
});
