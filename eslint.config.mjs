// Lint rules: typed TypeScript checks from the house style, Prettier for layout, and Nx module
// boundaries in two dimensions (scope:, type:) so apps never import apps and pure libs stay pure.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const frameworks = [
  '@nestjs/*',
  '@mikro-orm/*',
  'kafkajs',
  'bullmq',
  'ioredis',
  '@fastify/*',
  'fastify',
  'exceljs',
  'pino',
];

/** Who may import whom: scope (apps never import apps) and type (pure libs stay pure). */
function boundaries({ tests }) {
  const testing = tests ? ['type:testing'] : [];
  return {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: [
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:intake', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:validation', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:aggregation', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:torch-export', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:bench', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:shared'] },
      {
        sourceTag: 'type:app',
        onlyDependOnLibsWithTags: [
          'type:contracts',
          'type:domain',
          'type:data-access',
          'type:messaging',
          'type:util',
          ...testing,
        ],
      },
      {
        sourceTag: 'type:domain',
        onlyDependOnLibsWithTags: ['type:domain', ...testing],
        bannedExternalImports: frameworks,
      },
      {
        sourceTag: 'type:contracts',
        onlyDependOnLibsWithTags: ['type:domain', ...testing],
        bannedExternalImports: frameworks,
      },
      { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', ...testing] },
      {
        sourceTag: 'type:data-access',
        onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:util', ...testing],
        bannedExternalImports: ['kafkajs', 'bullmq'],
      },
      {
        sourceTag: 'type:messaging',
        onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:data-access', 'type:util', ...testing],
      },
      {
        sourceTag: 'type:testing',
        onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:data-access', 'type:messaging', 'type:util'],
      },
      {
        sourceTag: 'type:e2e',
        onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:testing', 'type:util'],
      },
      // Developer tools (the demo loader): no app may import them, since no other tag lists type:tool.
      {
        sourceTag: 'type:tool',
        onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:testing', 'type:util'],
      },
      {
        sourceTag: 'type:bench',
        onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:testing', 'type:util', 'type:messaging'],
      },
    ],
  };
}

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.kafka/**',
      '.nx/**',
      'coverage/**',
      'bench/results/**',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', 'apps/web/**/*.tsx'],
    plugins: { '@nx': nx },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': ['error', boundaries({ tests: false })],
    },
  },
  {
    // Tests (specs, test/ folders, e2e) may also use the testing lib: its harness and generators.
    files: ['**/*.spec.ts', '**/test/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', boundaries({ tests: true })] },
  },
  {
    // The testing lib is for tests only: production sources of apps must not import it.
    files: ['apps/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@huoju/testing', message: 'Only tests may import @huoju/testing.' }] },
      ],
    },
  },
  {
    // Inner boundary: compliance is a feature of aggregation that others reach only through the app's
    // wiring (module, config, rebuild); facts tells it about applied verdicts through VerdictsAppliedHook.
    files: ['apps/aggregation/src/**/*.ts'],
    ignores: [
      '**/*.spec.ts',
      'apps/aggregation/src/compliance/**',
      'apps/aggregation/src/app.module.ts',
      'apps/aggregation/src/aggregation.config.ts',
      'apps/aggregation/src/rebuild/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@huoju/testing', message: 'Only tests may import @huoju/testing.' }],
          patterns: [
            {
              group: ['**/compliance/*', './compliance/*'],
              message: 'Compliance is its own feature: depend on a contract it implements (e.g. VerdictsAppliedHook).',
            },
          ],
        },
      ],
    },
  },
  {
    // The HTTP contracts run in the browser too (the web console's typed client): zod and each other only.
    files: ['libs/contracts/src/http/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!zod$|\\./).*', message: 'HTTP contracts import only zod and each other.' }] },
      ],
    },
  },
  prettier,
);
