const path = require('node:path');
const { base } = require('../jest.preset.cjs');

// End-to-end: the four services run as separate processes (built into dist/) against the real broker,
// database and Redis; the tests talk to them over HTTP and Kafka only.
module.exports = {
  ...base,
  rootDir: __dirname,
  displayName: 'e2e',
  // fetch (undici) keeps idle keep-alive sockets to the services open after they stopped.
  forceExit: true,
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  globalSetup: path.join(__dirname, '../libs/testing/src/harness/global-setup.ts'),
  globalTeardown: path.join(__dirname, '../libs/testing/src/harness/global-teardown.ts'),
  setupFilesAfterEnv: [path.join(__dirname, '../libs/testing/src/harness/integration-setup.ts')],
};
