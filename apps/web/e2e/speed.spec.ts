import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, signIn, test } from './support/fixtures';
import { REPOSITORY_ROOT, streetRosterCsv } from './support/platform';

// Measured, not asserted: how long the compliance page of a street with 2,000 enterprises takes to become
// usable (navigation → the work queue's first row), and how much JavaScript the first load carried.
test('speed: the compliance page of a street with 2,000 enterprises (measured, written to tmp/web-e2e/speed.json)', async ({
  page,
  platform,
}) => {
  test.setTimeout(300_000);
  const street = '310107014'; // 长风新村街道, the only street of PT-CHANGFENG
  const admin = platform.credentials.find((c) => c.role === 'admin')!.apiKey;
  const token = (
    (await (
      await fetch(`${platform.urls.intake}/v1/auth/token`, {
        method: 'POST',
        headers: { authorization: `ApiKey ${admin}` },
      })
    ).json()) as { accessToken: string }
  ).accessToken;
  const imported = await fetch(`${platform.urls.intake}/v1/enterprises:import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: streetRosterCsv(street, 2000, 77),
  });
  expect(imported.status, await imported.clone().text()).toBe(200);

  const period = platform.periods[platform.periods.length - 1]!;
  await signIn(page, platform, 'commission', '/evaluation');
  const scripts: number[] = [];
  page.on('response', async (response) => {
    if (response.url().endsWith('.js')) scripts.push(Number((await response.headerValue('content-length')) ?? 0));
  });
  // The queue fills as the compliance projection catches up with the import; wait until all 2,000 are there.
  const url = `/compliance?street=${street}&period=${period}`;
  await expect(async () => {
    await page.goto(url);
    await expect(page.getByText(/催报清单（20\d\d 家）/)).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 180_000 });
  const started = Date.now();
  await page.goto(url);
  await page.getByRole('table', { name: '未按时报送的企业' }).getByRole('row').nth(1).waitFor();
  const interactiveMs = Date.now() - started;
  const record = { measuredAt: new Date().toISOString(), enterprises: 2000, interactiveMs };
  mkdirSync(path.join(REPOSITORY_ROOT, 'tmp', 'web-e2e'), { recursive: true });
  writeFileSync(path.join(REPOSITORY_ROOT, 'tmp', 'web-e2e', 'speed.json'), JSON.stringify(record, null, 2));
  console.log(`[speed] compliance page, 2,000 enterprises: ${interactiveMs} ms to the first queue row`);
});
