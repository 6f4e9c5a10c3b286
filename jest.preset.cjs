// Shared Jest settings: SWC compiles TypeScript (legacy decorators + metadata for Nest),
// and the tsconfig path aliases resolve to library sources.
const path = require('node:path');
const root = __dirname;

const libs = ['contracts', 'domain', 'messaging', 'persistence', 'platform', 'testing', 'torch-files'];
const moduleNameMapper = {
  '^@huoju/contracts/http$': path.join(root, 'libs/contracts/src/http/index.ts'),
  '^@huoju/testing/generators$': path.join(root, 'libs/testing/src/generators/index.ts'),
  ...Object.fromEntries(libs.map((lib) => [`^@huoju/${lib}$`, path.join(root, `libs/${lib}/src/index.ts`)])),
};

const base = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2023',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  clearMocks: true,
};

/**
 * A project's Jest config: `unit` runs `*.spec.ts` next to the code (pure logic, no services);
 * `integration` runs `test/*.int-spec.ts` and `*.e2e-spec.ts` against the real Kafka, PostgreSQL and Redis
 * that the global setup finds or starts.
 */
function projectsFor(dir, name) {
  return [
    {
      ...base,
      rootDir: dir,
      displayName: { name: `${name}:unit`, color: 'cyan' },
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
    },
    {
      ...base,
      rootDir: dir,
      displayName: { name: `${name}:integration`, color: 'magenta' },
      testMatch: ['<rootDir>/test/**/*.int-spec.ts', '<rootDir>/src/**/*.e2e-spec.ts'],
      globalSetup: path.join(root, 'libs/testing/src/harness/global-setup.ts'),
      globalTeardown: path.join(root, 'libs/testing/src/harness/global-teardown.ts'),
      slowTestThreshold: 30,
      setupFilesAfterEnv: [path.join(root, 'libs/testing/src/harness/integration-setup.ts')],
    },
    {
      // The fault tier: stops and starts its own throwaway broker, database and Redis (never the shared ones).
      ...base,
      rootDir: dir,
      displayName: { name: `${name}:fault`, color: 'red' },
      testMatch: ['<rootDir>/test/**/*.fault-spec.ts'],
      globalSetup: path.join(root, 'libs/testing/src/harness/global-setup.ts'),
      globalTeardown: path.join(root, 'libs/testing/src/harness/global-teardown.ts'),
      slowTestThreshold: 120,
      setupFilesAfterEnv: [path.join(root, 'libs/testing/src/harness/integration-setup.ts')],
    },
  ];
}

/**
 * Options of the whole run. A suite whose beforeAll failed can leave a Kafka client or a pool open; Jest would
 * then wait for it forever and CI would hang instead of reporting the failure, so the run exits when done.
 */
const RUN_OPTIONS = { forceExit: true };

module.exports = { base, projectsFor, RUN_OPTIONS };
