const path = require('node:path');
const { base } = require('../jest.preset.cjs');

// The fault tier's season: the four services twice each, built into dist/, on a throwaway broker, PostgreSQL
// cluster and Redis of the test's own that it stops, restarts and flushes (the shared ones are never touched).
module.exports = {
  ...base,
  rootDir: __dirname,
  displayName: 'e2e:fault',
  forceExit: true,
  testMatch: ['<rootDir>/src/**/*.fault-spec.ts'],
  globalSetup: path.join(__dirname, '../libs/testing/src/harness/global-setup.ts'),
  globalTeardown: path.join(__dirname, '../libs/testing/src/harness/global-teardown.ts'),
  setupFilesAfterEnv: [path.join(__dirname, '../libs/testing/src/harness/integration-setup.ts')],
};
