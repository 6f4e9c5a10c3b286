import { defineConfig } from '@playwright/test';

// Browser tests of the console against the real platform (services as processes, demo data, the host),
// started once by the global setup. Debian's Chromium; nothing is downloaded.
export default defineConfig({
  testDir: './e2e',
  testMatch: '*.spec.ts',
  // The speed measurement (2,000 enterprises in one street) is a measurement, not a test: `nx run web:speed`.
  testIgnore: process.env.WEB_SPEED ? [] : ['speed.spec.ts'],
  globalSetup: './e2e/support/global-setup.ts',
  workers: 1,
  timeout: 240_000, // a loaded 2-core machine: axe on a full page alone can take half a minute
  expect: { timeout: 20_000 },
  reporter: [['list']],
  outputDir: '../../tmp/web-e2e/results',
  use: {
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
