import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, signIn, test } from './support/fixtures';
import { publishStreetRoster, REPOSITORY_ROOT } from './support/platform';

// Measured, not asserted: how long the compliance page of a street with 2,000 enterprises takes to become
// usable (navigation → the work queue's first row, and → the whole page settled with its trend), and how much JavaScript
// the first load carried. The figures go to tmp/web-e2e/speed.json and apps/web/SPEED.md.
test('speed: the compliance page of a street with 2,000 enterprises (measured, written to tmp/web-e2e/speed.json)', async ({
  page,
  platform,
}) => {
  test.setTimeout(600_000);
  const street = '310107014'; // 长风新村街道, the only street of PT-CHANGFENG
  const loadStarted = Date.now();
  await publishStreetRoster(platform, street, 2000, 77);

  const period = platform.periods[platform.periods.length - 1]!;
  await signIn(page, platform, 'commission', '/evaluation');
  // The projection takes the 2,000 registry events in; wait until the page counts them all.
  const url = `/compliance?street=${street}&period=${period}`;
  await expect(async () => {
    await page.goto(url);
    await expect(page.getByText(/催报清单（(19|20)\d\d 家）/)).toBeVisible({ timeout: 90_000 });
  }).toPass({ timeout: 300_000 });
  const projectedMs = Date.now() - loadStarted;

  const samples: {
    firstRowMs: number;
    settledMs: number;
    scriptBytesTransferred: number;
    /** Each request of the load (document, scripts, API): when it started after navigation, how long it took. */
    requests: { path: string; startMs: number; ms: number }[];
  }[] = [];
  for (let run = 0; run < 3; run++) {
    const scripts: number[] = [];
    const onResponse = (response: { url(): string; headerValue(name: string): Promise<string | null> }) => {
      if (response.url().endsWith('.js'))
        void response.headerValue('content-length').then((length) => scripts.push(Number(length ?? 0)));
    };
    const requests: { path: string; startMs: number; ms: number }[] = [];
    let started = 0;
    const onFinished = (request: { url(): string; timing(): { startTime: number; responseEnd: number } }) => {
      const { pathname, search } = new URL(request.url());
      const timing = request.timing();
      requests.push({
        path: `${pathname}${search}`,
        startMs: Math.round(timing.startTime - started),
        ms: Math.round(timing.responseEnd),
      });
    };
    page.on('response', onResponse);
    page.on('requestfinished', onFinished);
    // The first run loads every script; later runs find them in the browser's cache, like a returning user.
    started = Date.now();
    await page.goto(url, { waitUntil: 'commit' });
    await page.getByRole('table', { name: '未按时报送的企业' }).getByRole('row').nth(1).waitFor();
    const firstRowMs = Date.now() - started;
    // Settled: the twelve-period trend (asked after the queue's first paint) is on the page too.
    await page
      .getByRole('table', { name: '近 12 期报送率' })
      .getByRole('row', { name: new RegExp(period) })
      .waitFor({ timeout: 120_000 });
    const settledMs = Date.now() - started;
    page.off('response', onResponse);
    page.off('requestfinished', onFinished);
    requests.sort((a, b) => a.startMs - b.startMs);
    samples.push({ firstRowMs, settledMs, scriptBytesTransferred: scripts.reduce((a, b) => a + b, 0), requests });
  }
  const record = { measuredAt: new Date().toISOString(), enterprises: 2000, projectedMs, samples };
  mkdirSync(path.join(REPOSITORY_ROOT, 'tmp', 'web-e2e'), { recursive: true });
  writeFileSync(path.join(REPOSITORY_ROOT, 'tmp', 'web-e2e', 'speed.json'), JSON.stringify(record, null, 2));
  console.log(`[speed] ${JSON.stringify(record)}`);
});
