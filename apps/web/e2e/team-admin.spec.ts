import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { accountOf, apiKeyOf, expect, expectAccessible, screenshot, signIn, test } from './support/fixtures';
import { mintEnterpriseToken, newEnterpriseIn, type PlatformState } from './support/platform';

test('the street team sets its webhook, a late filing is reminded, and the delivery shows in the log and the work queue', async ({
  page,
  platform,
}) => {
  // The street's own receiver: answers 200 to every signed reminder.
  const received: string[] = [];
  const receiver: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push(body);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/reminders`;
    await signIn(page, platform, 'street', '/webhooks');
    await page.getByLabel('接收地址（HTTPS）').fill(url);
    await page.getByLabel('签名密钥').fill('street-webhook-secret-0123456789');
    await page.getByRole('button', { name: '保存' }).click();
    await expect(page.getByText('已保存')).toBeVisible();

    // A new enterprise of the street files the newest month after its due date: a late-received reminder.
    const street = accountOf(platform, 'street').scope[0]!;
    const period = platform.periods[platform.periods.length - 1]!;
    const uscc = await registerIn(platform, street);
    const filed = await fetch(`${platform.urls.intake}/v1/filings`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await mintEnterpriseToken(platform, uscc)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ formId: 'torch-monthly', period, values: { qc05_0: '1000', qd01: '12' } }),
    });
    expect(filed.status).toBe(202);

    const log = page.getByRole('table', { name: '发送记录' });
    await expect(async () => {
      await page.reload();
      await expect(log.getByRole('row').filter({ hasText: uscc })).toContainText('已送达', { timeout: 3_000 });
    }).toPass({ timeout: 90_000 });
    await expect(log.getByRole('row').filter({ hasText: uscc })).toContainText('迟报通知');
    expect(received.some((body) => body.includes(uscc))).toBe(true);
    await screenshot(page, 'street-webhooks');
    await expectAccessible(page);

    // The work queue names the last reminder and that the street's webhook got it.
    await page.goto(`/compliance?period=${period}&q=${uscc}`);
    const row = page.getByRole('table', { name: '未按时报送的企业' }).getByRole('row').filter({ hasText: uscc });
    await expect(row).toContainText('迟报通知');
    await expect(row).toContainText('街镇通知 已送达');
    await expect(row).toContainText('应用软件开发');
    await expect(page.getByText(/报送率在 PT 园区各街镇中排第 \d+\/\d+/)).toBeVisible();
  } finally {
    await new Promise((resolve) => receiver.close(resolve));
  }
});

test('a signed-in user whose session expired signs in again and comes back to the same page', async ({
  page,
  platform,
}) => {
  const period = platform.periods[0]!;
  const path = `/compliance?period=${period}&page=1`;
  await signIn(page, platform, 'street', path);
  // The session ends (the refresh cookie is gone and the page reloads): the sign-in page, with ?next=.
  await page.context().clearCookies();
  await page.reload();
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await expect(page.getByText('登录已过期或尚未登录，登录后将回到刚才的页面。')).toBeVisible();
  await page.getByLabel('用户名').fill(accountOf(platform, 'street').username);
  await page.getByLabel('密码', { exact: true }).fill(platform.password);
  await page.getByRole('tabpanel').getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(new RegExp(`/compliance\\?period=${period}&page=1$`));
  await expect(page.getByRole('table', { name: '未按时报送的企业' })).toBeVisible();
});

test('the enterprise opens the annual form rendered from its definition', async ({ page, platform }) => {
  const year = String(Number(platform.periods[0]!.slice(0, 4)) - 1);
  await signIn(page, platform, 'enterprise', `/file?form=torch-annual&period=${year}`);
  await expect(page.getByRole('heading', { level: 2 })).toContainText('年报');
  await expect(page.getByLabel(/营业收入.*qc05_0/)).toBeVisible();
  await screenshot(page, 'enterprise-annual-form');
  await expectAccessible(page);
});

test('a park team reads an enterprise’s roster history and moves it to another street', async ({ page, platform }) => {
  const uscc = await registerIn(platform, '310107014');
  await signIn(page, platform, 'park', `/enterprises/${uscc}`);
  const streets = page.getByRole('table', { name: '所属街镇（含历史）' });
  await expect(streets.getByRole('row').filter({ hasText: '310107014' })).toContainText('至今');
  await expect(page.getByRole('table', { name: '园区归属（含历史）' })).toContainText('PT-CHANGFENG');

  const move = page.getByRole('form', { name: '迁至其他街镇' });
  await move.getByLabel('街镇').fill('310107022');
  await move.getByLabel('起始日期').fill('2026-06-01');
  await move.getByRole('button', { name: '迁至其他街镇' }).click();
  await expect(page.getByText('已迁至街镇 310107022，自 2026-06-01 起。')).toBeVisible();
  // The old street ends the day before; the new one runs from the move.
  await expect(streets.getByRole('row').filter({ hasText: '310107014' })).toContainText('2026-05-31');
  await expect(streets.getByRole('row').filter({ hasText: '310107022' })).toContainText('至今');
  await expect(page.getByRole('table', { name: '名录变更记录' }).getByRole('row')).not.toHaveCount(1);
  await screenshot(page, 'park-enterprise-history');
  await expectAccessible(page);
});

test('the administrator changes an account’s role and scope, disables it, and reads the audit log', async ({
  page,
  platform,
}) => {
  const username = `street-e2e-${Date.now() % 100_000}`;
  const admin = await adminToken(platform);
  const created = await fetch(`${platform.urls.intake}/v1/accounts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      username,
      displayName: '街镇测试',
      password: 'Correct-Horse-2026',
      role: 'street',
      scope: ['310107014'],
    }),
  });
  expect(created.status, await created.clone().text()).toBe(201);

  await signIn(page, platform, 'admin', `/admin/accounts?q=${username}`);
  await page.getByRole('button', { name: `编辑 ${username}` }).click();
  const edit = page.getByRole('form', { name: `编辑账号 ${username}` });
  await edit.getByLabel('角色').selectOption('park');
  await edit.getByLabel('范围').fill('PT');
  await edit.getByRole('button', { name: '保存' }).click();
  const row = page.getByRole('row').filter({ hasText: username });
  await expect(row).toContainText('园区');
  await expect(row).toContainText('PT');
  await row.getByRole('switch', { name: `启用账号 ${username}` }).click();
  await expect(row.getByRole('switch', { name: `启用账号 ${username}` })).not.toBeChecked();
  await expectAccessible(page);

  // The audit log, filtered in the URL: the account changes just made.
  await page.goto('/admin/audit?action=account.update');
  await expect(page.getByLabel('操作', { exact: true })).toHaveValue('account.update');
  const entries = page.getByRole('table', { name: '审计日志' });
  await expect(entries.getByRole('row').filter({ hasText: username }).first()).toContainText('修改账号');
  await screenshot(page, 'admin-audit');
  await expectAccessible(page);
});

async function adminToken(platform: PlatformState): Promise<string> {
  const response = await fetch(`${platform.urls.intake}/v1/auth/token`, {
    method: 'POST',
    headers: { authorization: `ApiKey ${apiKeyOf(platform, 'admin')}` },
  });
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** A new enterprise of park PT in the street, registered through the public API. */
async function registerIn(platform: PlatformState, street: string): Promise<string> {
  const { uscc, body } = newEnterpriseIn(street);
  const registered = await fetch(`${platform.urls.intake}/v1/enterprises`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await adminToken(platform)}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(registered.status, await registered.clone().text()).toBe(201);
  return uscc;
}
