import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, expectAccessible, screenshot, signIn, test } from './support/fixtures';
import { newEnterpriseIn, REPOSITORY_ROOT } from './support/platform';

test('a park team imports a roster file with errors, sees each row’s error, fixes the file and imports it', async ({
  page,
  platform,
}) => {
  const template = await (await fetch(`${platform.urls.intake}/v1/forms`)).text();
  expect(template).toContain('torch-monthly');
  const header =
    '统一社会信用代码 uscc,企业名称 nameZh,行业代码 industryCode,注册地区划代码 registeredDistrict,统计联系人 contactName,联系电话 contactPhone,电子邮箱 contactEmail,园区代码 parkCode,分园代码 subParkCode,载体代码 carrierCode,街镇代码 streetCode,生效日期 validFrom,资质 qualifications,产业标签 industryTags,报表范围 scope';
  const { uscc } = newEnterpriseIn('310107014');
  const good = `${uscc},上海导入测试科技有限公司,I6513,310107,李导入,021-61234567,import@example.com,PT,PT-CHANGFENG,,310107014,2025-01-01,,AI,torch-monthly:2025-01-01`;
  const bad = `91310107BADCODE000,上海错误数据有限公司,Z9999,310107,赵错误,021-61234568,not-an-email,PT,PT-CHANGFENG,,310107014,2025-13-01,,,torch-monthly:2025-01-01`;
  const dir = path.join(REPOSITORY_ROOT, 'tmp', 'web-e2e');
  const withErrors = path.join(dir, 'roster-with-errors.csv');
  const fixed = path.join(dir, 'roster-fixed.csv');
  writeFileSync(withErrors, `${header}\n${good}\n${bad}\n`);
  writeFileSync(fixed, `${header}\n${good}\n`);

  await signIn(page, platform, 'park', '/roster/import');
  await page.getByLabel('名录文件（CSV 或 XLSX）').setInputFiles(withErrors);
  await page.getByRole('button', { name: '检查文件' }).click();
  const errors = page.getByRole('table', { name: '文件中的问题' });
  await expect(errors).toBeVisible();
  // Every error of row 3 (the bad row) is listed with its column.
  await expect(errors.getByRole('row').filter({ hasText: /^3/ }).first()).toBeVisible();
  expect(await errors.getByRole('row').filter({ hasText: /^3/ }).count()).toBeGreaterThan(1);
  await expect(page.getByRole('button', { name: '正式导入' })).toBeDisabled();
  await screenshot(page, 'park-roster-import');
  await expectAccessible(page);

  await page.getByLabel('名录文件（CSV 或 XLSX）').setInputFiles(fixed);
  await page.getByRole('button', { name: '检查文件' }).click();
  await expect(page.getByText('检查通过，可以导入。')).toBeVisible();
  await page.getByRole('button', { name: '正式导入' }).click();
  await expect(page.getByText('导入完成。')).toBeVisible();

  await page.goto(`/enterprises/${uscc}`);
  await expect(page.getByRole('heading', { name: '上海导入测试科技有限公司' })).toBeVisible();
});

test('a park team drills from a figure down to the filings behind it', async ({ page, platform }) => {
  const period = platform.periods[platform.periods.length - 1]!;
  await signIn(page, platform, 'park', `/figures?period=${period}&indicator=qc05_0&groupBy=street&measure=ytd`);
  const table = page.getByRole('table', { name: '统计数据' });
  const figure = table.getByRole('link', { name: /查看构成/ }).first();
  await expect(figure).toBeVisible();
  const value = (await figure.textContent())!.trim();
  await expect(page.getByRole('img', { name: /柱状图/ })).toBeVisible();
  await screenshot(page, 'park-figures');
  await expectAccessible(page);

  await figure.click();
  await expect(page.getByRole('heading', { name: '数据构成' })).toBeVisible();
  await expect(page.getByRole('definition').or(page.locator('td')).filter({ hasText: value }).first()).toBeVisible();
  const revision = page.getByRole('link', { name: /第 \d+ 版/ }).first();
  await expect(revision).toBeVisible();
  await screenshot(page, 'park-provenance');
  await expectAccessible(page);
  await revision.click();
  await expect(page.getByText('版本记录')).toBeVisible();
});
